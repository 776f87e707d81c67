using System.Text.Json;
using System.Text.Json.Nodes;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;

namespace PostNext.Platforms.X;

/// <summary>
/// X's documented failures in the one taxonomy. v2 answers RFC 7807 problems (<c>type</c>, <c>title</c>, <c>detail</c>,
/// <c>errors[]</c>); older paths still send <c>{"errors":[{"code":88,…}]}</c>.
/// </summary>
internal static class XErrors
{
    /// <summary>A 15-minute window is X's usual rate-limit period; used when a 429 carries no reset header.</summary>
    private static readonly TimeSpan DefaultWindow = TimeSpan.FromMinutes(15);

    /// <summary>How long a post waits before trying again when the app's credits were used up (402 carries no reset).</summary>
    public static readonly TimeSpan CreditsRetryInterval = TimeSpan.FromHours(1);

    /// <summary>Legacy codes: 32/89/215 bad credentials, 64/326 suspended or locked account.</summary>
    private static readonly int[] AuthCodes = [32, 64, 89, 215, 326];

    /// <summary>The classified error, or null to leave it to the shared HTTP rules (5xx/408 transient).</summary>
    public static PlatformError? Classify(HttpResponseMessage response, string body, DateTimeOffset now)
    {
        var status = (int)response.StatusCode;
        var problem = Problem.Read(body);
        var message = $"X answered {status}: {problem.Text ?? Trim(body)}";
        var text = $"{problem.Type} {problem.Text}";

        if (status == 429 || problem.Codes.Contains(88))
        {
            var capped = Has(text, "usage-capped");
            var headers = RateLimitHeaders.Read(response.Headers, now);
            var until = headers?.BlockedUntil ?? headers?.ResetAt ?? (capped ? PeriodEnd(problem.Period, now) : now + DefaultWindow);
            return new PlatformError(ErrorCategory.RateLimited, message, until, status, capped ? "usage-capped" : "rate-limited");
        }

        if (status == 402)
        {
            // Pay-per-use: the app's prepaid credits are spent. Nothing is wrong with the post; it can go out once the
            // credits are topped up in the X developer console, so it waits like a limit rather than failing.
            return new PlatformError(ErrorCategory.RateLimited,
                $"X refused the call because the app's API credits are used up (402); top them up in the X developer console. {message}",
                now + CreditsRetryInterval, status, "credits-exhausted");
        }

        if ((status == 403 && Has(text, "duplicate content")) || problem.Codes.Contains(187))
        {
            return new PlatformError(ErrorCategory.Duplicate, message, null, status, "duplicate");
        }

        if (status == 401 || problem.Codes.Any(AuthCodes.Contains) ||
            (status == 403 && (Has(text, "suspended") || Has(text, "Unsupported Authentication") || Has(text, "client-forbidden"))))
        {
            return new PlatformError(ErrorCategory.Auth, message, null, status, problem.Type);
        }

        return status is >= 400 and < 500 and not 408
            ? new PlatformError(ErrorCategory.InvalidContent, message, null, status, problem.Type)
            : null;
    }

    /// <summary>A usage cap without reset headers lifts at the end of its period (the problem's <c>period</c>).</summary>
    private static DateTimeOffset PeriodEnd(string? period, DateTimeOffset now)
    {
        var utc = now.ToUniversalTime();
        return period?.ToUpperInvariant() switch
        {
            "MONTHLY" => new DateTimeOffset(utc.Year, utc.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1),
            "DAILY" => new DateTimeOffset(utc.Date, TimeSpan.Zero).AddDays(1),
            _ => utc.AddDays(1),
        };
    }

    private static bool Has(string text, string part) => text.Contains(part, StringComparison.OrdinalIgnoreCase);

    private static string Trim(string body) => body.Length <= 500 ? body : body[..500] + "…";

    /// <summary>The parts of an X error body the classification reads.</summary>
    private sealed record Problem(string? Type, string? Text, string? Period, IReadOnlyList<int> Codes)
    {
        public static Problem Read(string body)
        {
            try
            {
                if (JsonNode.Parse(body) is not JsonObject json)
                {
                    return new Problem(null, null, null, []);
                }

                var errors = json["errors"] as JsonArray ?? [];
                var texts = new List<string?> { json["detail"]?.ToString() ?? json["title"]?.ToString() };
                texts.AddRange(errors.Select(e => e?["message"]?.ToString() ?? e?["detail"]?.ToString()));
                var codes = errors.Select(e => e?["code"] is JsonValue v && v.TryGetValue<int>(out var c) ? c : 0).Where(c => c != 0).ToList();
                var text = string.Join(" ", texts.Where(t => !string.IsNullOrWhiteSpace(t)).Distinct());
                return new Problem(json["type"]?.ToString(), text.Length == 0 ? null : text, json["period"]?.ToString(), codes);
            }
            catch (JsonException)
            {
                return new Problem(null, null, null, []);
            }
        }
    }
}
