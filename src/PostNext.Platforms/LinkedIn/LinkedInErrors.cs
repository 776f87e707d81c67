using System.Text.Json;
using System.Text.RegularExpressions;
using System.Text.Json.Nodes;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;

namespace PostNext.Platforms.LinkedIn;

/// <summary>
/// LinkedIn's documented failures in the one taxonomy. Bodies look like
/// <c>{"status":401,"serviceErrorCode":65601,"code":"REVOKED_ACCESS_TOKEN","message":"…"}</c>; validation errors add
/// <c>errorDetails.inputErrors[].code</c> (e.g. DUPLICATE_POST).
/// </summary>
internal static partial class LinkedInErrors
{
    /// <summary>The classified error, or null to leave it to the shared HTTP rules (5xx/408 transient).</summary>
    public static PlatformError? Classify(HttpResponseMessage response, string body, DateTimeOffset now)
    {
        var status = (int)response.StatusCode;
        var error = Error.Read(body);
        var message = $"LinkedIn answered {status}: {error.Message ?? Trim(body)}";
        var code = error.Code ?? error.ServiceErrorCode;

        switch (status)
        {
            case 401:
                // 65600 invalid, 65601 REVOKED_ACCESS_TOKEN, 65602 expired: the account must refresh or reconnect.
                return new PlatformError(ErrorCategory.Auth, message, null, status, code);
            case 429:
                // No rate-limit headers are documented; the daily app and member limits reset at 00:00 UTC.
                var until = RateLimitHeaders.Read(response.Headers, now)?.ResetAt ?? NextUtcMidnight(now);
                return new PlatformError(ErrorCategory.RateLimited, message, until, status, code ?? "THROTTLED");
            case 422 or 409 or 400 when error.InputCodes.Contains("DUPLICATE_POST") || Has(error.Message, "is a duplicate of"):
                return new PlatformError(ErrorCategory.Duplicate, message, null, status, "DUPLICATE_POST");
            case 403 when Has(error.Message, "resource is forbidden") || Has(error.Message, "Unable to obtain activity"):
                // Seen right after an upload while LinkedIn catches up; postiz retries these.
                return new PlatformError(ErrorCategory.Transient, message, null, status, code);
            case 403 when error.Code is "ACCESS_DENIED" || Has(error.Message, "permission"):
                // The token lacks a permission (scope or product): reconnecting with it is the fix.
                return new PlatformError(ErrorCategory.Auth, message, null, status, code);
            case 426:
                // NONEXISTENT_VERSION: the LinkedIn-Version this installation sends was retired. Every call fails the
                // same way until an operator configures a current version; the post itself is fine.
                return new PlatformError(ErrorCategory.Configuration,
                    $"LinkedIn retired the API version this installation sends; set PostNext:Platforms:linkedin:ApiVersion to a current " +
                    $"version (YYYYMM, see LinkedIn's API versioning page). {message}", null, status, code ?? "NONEXISTENT_VERSION");
            case >= 400 and < 500 and not 408:
                return new PlatformError(ErrorCategory.InvalidContent, message, null, status, error.InputCodes.FirstOrDefault() ?? code);
            default:
                return null;
        }
    }

    /// <summary>The post a DUPLICATE_POST answer names ("Content is a duplicate of urn:li:share:…"), when it names one.</summary>
    public static string? DuplicateOf(string message) =>
        DuplicateUrn().Match(message) is { Success: true } match ? match.Value : null;

    [GeneratedRegex(@"urn:li:(?:share|ugcPost):\d+")]
    private static partial Regex DuplicateUrn();

    public static DateTimeOffset NextUtcMidnight(DateTimeOffset now) => new DateTimeOffset(now.UtcDateTime.Date, TimeSpan.Zero).AddDays(1);

    private static bool Has(string? text, string part) => text?.Contains(part, StringComparison.OrdinalIgnoreCase) == true;

    private static string Trim(string body) => body.Length <= 500 ? body : body[..500] + "…";

    /// <summary>The parts of a LinkedIn error body the classification reads.</summary>
    private sealed record Error(string? Message, string? Code, string? ServiceErrorCode, IReadOnlyList<string> InputCodes)
    {
        public static Error Read(string body)
        {
            try
            {
                if (JsonNode.Parse(body) is not JsonObject json)
                {
                    return new Error(null, null, null, []);
                }

                var inputs = (json["errorDetails"]?["inputErrors"] as JsonArray ?? [])
                    .Select(e => e?["code"]?.ToString()).OfType<string>().ToList();
                return new Error(json["message"]?.ToString(), json["code"]?.ToString(), json["serviceErrorCode"]?.ToString(), inputs);
            }
            catch (JsonException)
            {
                return new Error(null, null, null, []);
            }
        }
    }
}
