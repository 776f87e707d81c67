using System.Text.Json;
using System.Text.Json.Nodes;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;

namespace PostNext.Platforms.YouTube;

/// <summary>
/// YouTube Data API errors in the one taxonomy. Google answers <c>{"error":{"code":403,"message":…,"errors":[{"reason":
/// "quotaExceeded",…}]}}</c> and sends no usage headers, so the reason decides: the daily quota clears at midnight Pacific
/// time, short-term limits after a back-off, the per-channel upload cap after a day.
/// </summary>
public static class YouTubeErrors
{
    /// <summary>
    /// The channel's daily upload cap (<c>uploadLimitExceeded</c>) follows the web/mobile limit, which YouTube describes
    /// as "try again in 24 hours" without a fixed reset time, so a rolling day is waited.
    /// </summary>
    public static readonly TimeSpan UploadCapWindow = TimeSpan.FromHours(24);

    private static readonly Lazy<TimeZoneInfo> Pacific = new(() =>
    {
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById("America/Los_Angeles");
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            // No time zone data on this host: Pacific Standard Time all year (an hour late in summer, never early).
            return TimeZoneInfo.CreateCustomTimeZone("PST", TimeSpan.FromHours(-8), "PST", "PST");
        }
    });

    /// <summary>When the daily quota resets: the next midnight in America/Los_Angeles, daylight saving included.</summary>
    public static DateTimeOffset NextQuotaReset(DateTimeOffset now)
    {
        var zone = Pacific.Value;
        var midnight = TimeZoneInfo.ConvertTime(now, zone).Date.AddDays(1);
        return new DateTimeOffset(midnight, zone.GetUtcOffset(midnight));
    }

    /// <summary>An error response by Google's reason first, then by status (401 auth, 5xx transient, other 4xx content).</summary>
    public static PlatformError Classify(int status, string body, DateTimeOffset now, DateTimeOffset rateLimitedUntil, Func<PlatformError> byStatus)
    {
        var (reason, text) = Read(body);
        var message = $"YouTube answered {status}{(reason is null ? "" : $" {reason}")}: {text ?? "(no message)"}";
        return reason switch
        {
            "quotaExceeded" or "dailyLimitExceeded" => new PlatformError(ErrorCategory.RateLimited, message, NextQuotaReset(now), status, reason),
            "rateLimitExceeded" or "userRateLimitExceeded" => new PlatformError(ErrorCategory.RateLimited, message, rateLimitedUntil, status, reason),
            "uploadLimitExceeded" => new PlatformError(ErrorCategory.RateLimited, message, now + UploadCapWindow, status, reason),
            "authError" or "insufficientPermissions" or "forbidden" or "youtubeSignupRequired" =>
                new PlatformError(ErrorCategory.Auth, message, null, status, reason),
            _ => byStatus() with { Message = message, PlatformCode = reason },
        };
    }

    /// <summary>The first error's reason and the error message.</summary>
    private static (string? Reason, string? Message) Read(string body)
    {
        try
        {
            var error = string.IsNullOrWhiteSpace(body) ? null : JsonNode.Parse(body)?["error"] as JsonObject;
            return (error?["errors"]?[0]?["reason"]?.ToString(), error?["message"]?.ToString());
        }
        catch (JsonException)
        {
            return (null, body.Length <= 300 ? body : body[..300]);
        }
    }
}
