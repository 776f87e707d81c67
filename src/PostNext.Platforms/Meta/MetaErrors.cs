using System.Net.Http.Headers;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;

namespace PostNext.Platforms.Meta;

/// <summary>
/// Meta-wide Graph error codes in the one taxonomy (platforms.md §3 "Error classification (Meta, also applies to
/// Instagram)", §3 "Rate limits"). Facebook and Instagram put their own codes in front of these.
/// </summary>
public static class MetaErrors
{
    /// <summary>How long a Meta rate limit lasts when no usage header says: its windows roll over one hour.</summary>
    public static readonly TimeSpan DefaultThrottle = TimeSpan.FromHours(1);

    /// <summary>
    /// Token dead or permission gone (reconnect): 190 invalid/expired token, 102 session, 104 no token, 10 and 200–299
    /// permission denied; subcodes 458 app removed, 459/464 checkpoint/unconfirmed user, 460 password changed,
    /// 463 expired, 467 invalid, 490, 492 no role on the Page.
    /// </summary>
    private static readonly HashSet<int> AuthCodes = [190, 102, 104, 10];

    private static readonly HashSet<int> AuthSubcodes = [458, 459, 460, 463, 464, 467, 490, 492];

    /// <summary>Throttling: 4 app, 17 user, 32 Page, 613 custom, 9 (Instagram), 80000–80014 Business Use Case.</summary>
    private static readonly HashSet<int> RateLimitCodes = [4, 9, 17, 32, 613];

    /// <summary>
    /// The category of <paramref name="error"/>: what <paramref name="specific"/> (the platform's own codes) says first,
    /// then Meta's codes, then the HTTP status; anything else is content the platform refused, its message kept.
    /// </summary>
    public static PlatformError Classify(
        string platform, MetaGraphError error, int httpStatus, HttpResponseHeaders headers, DateTimeOffset now,
        Func<MetaGraphError, PlatformError?>? specific = null)
    {
        if (specific?.Invoke(error) is { } own)
        {
            return own;
        }

        var message = error.Describe(platform);
        if (IsAuth(error))
        {
            return new PlatformError(ErrorCategory.Auth, message, null, httpStatus, error.PlatformCode);
        }

        if (IsRateLimit(error) || httpStatus == 429)
        {
            return new PlatformError(ErrorCategory.RateLimited, message, ThrottledUntil(headers, now, DefaultThrottle), httpStatus, error.PlatformCode);
        }

        // 506 "Duplicate status message": the long-standing Graph code for a repeated Page post.
        if (error.Code == 506)
        {
            return new PlatformError(ErrorCategory.Duplicate, message, null, httpStatus, error.PlatformCode);
        }

        // Meta: is_transient, 1 "unknown error" and 2 "service temporarily unavailable" mean retry.
        if (error.IsTransient || error.Code is 1 or 2 || httpStatus >= 500)
        {
            return new PlatformError(ErrorCategory.Transient, message, null, httpStatus, error.PlatformCode);
        }

        return new PlatformError(ErrorCategory.InvalidContent, message, null, httpStatus, error.PlatformCode);
    }

    public static bool IsAuth(MetaGraphError error) =>
        (error.Code is { } code && (AuthCodes.Contains(code) || code is >= 200 and <= 299)) ||
        (error.Subcode is { } sub && AuthSubcodes.Contains(sub)) ||
        error.Message.Contains("REVOKED_ACCESS_TOKEN", StringComparison.Ordinal) ||
        error.Message.Contains("Error validating access token", StringComparison.OrdinalIgnoreCase);

    public static bool IsRateLimit(MetaGraphError error) =>
        error.Code is { } code && (RateLimitCodes.Contains(code) || code is >= 80000 and <= 80014);

    /// <summary>
    /// When a throttled account may call again: the usage headers' <c>estimated_time_to_regain_access</c> (or a spent
    /// budget's reset), else <paramref name="fallback"/> from now.
    /// </summary>
    public static DateTimeOffset ThrottledUntil(HttpResponseHeaders headers, DateTimeOffset now, TimeSpan fallback) =>
        RateLimitHeaders.Read(headers, now) is { } snapshot && (snapshot.BlockedUntil ?? snapshot.ResetAt) is { } at && at > now
            ? at
            : now + fallback;

    /// <summary>A classified error with the platform's message and codes (for the platforms' own code tables).</summary>
    public static PlatformError Error(ErrorCategory category, string platform, MetaGraphError error, int httpStatus, DateTimeOffset? retryAfter = null) =>
        new(category, error.Describe(platform), retryAfter, httpStatus, error.PlatformCode);
}
