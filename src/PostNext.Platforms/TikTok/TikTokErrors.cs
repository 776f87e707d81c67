using System.Net;
using System.Text.Json;
using System.Text.Json.Nodes;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;

namespace PostNext.Platforms.TikTok;

/// <summary>
/// TikTok's documented error codes in the one taxonomy. Every TikTok v2 answer carries the envelope
/// <c>{"data":{…},"error":{"code":"ok"|"&lt;code&gt;","message":"…","log_id":"…"}}</c>; a publish that fails later reports
/// the same codes as the status's <c>fail_reason</c>. The OAuth endpoints answer <c>{"error":"invalid_grant",…}</c> instead.
/// </summary>
internal static class TikTokErrors
{
    /// <summary>
    /// How long a daily cap blocks. TikTok publishes no window for <c>spam_risk_too_many_posts</c>,
    /// <c>spam_risk_too_many_pending_share</c> or <c>reached_active_user_cap</c> ("per 24 hours"); waiting a full rolling
    /// day is the shortest wait that certainly clears it, where an earlier retry would only spend another init call.
    /// </summary>
    public static readonly TimeSpan DailyCapWindow = TimeSpan.FromHours(24);

    private static readonly HashSet<string> AuthCodes = new(StringComparer.Ordinal)
    {
        "access_token_invalid", "scope_not_authorized", "scope_permission_missed", "auth_removed",
    };

    private static readonly HashSet<string> DailyCapCodes = new(StringComparer.Ordinal)
    {
        "spam_risk_too_many_posts", "spam_risk_too_many_pending_share", "reached_active_user_cap",
    };

    private static readonly HashSet<string> ContentCodes = new(StringComparer.Ordinal)
    {
        "invalid_params", "invalid_file_upload", "privacy_level_option_mismatch", "url_ownership_unverified",
        "file_format_check_failed", "duration_check_failed", "frame_rate_check_failed", "picture_size_check_failed",
        "video_pull_failed", "photo_pull_failed", "spam_risk_text", "spam_risk", "spam_risk_user_banned_from_posting",
        "unaudited_client_can_only_post_to_private_accounts", "publish_cancelled",
    };

    private static readonly HashSet<string> TransientCodes = new(StringComparer.Ordinal) { "internal_error", "internal", "server_error" };

    /// <summary>The envelope's error code when it is not "ok" (TikTok may say so even with HTTP 200).</summary>
    public static string? ErrorCode(string body) => Parse(body)?["error"] is JsonObject error && error["code"]?.ToString() is { } code && code != "ok"
        ? code
        : null;

    /// <summary>
    /// An error response: TikTok's code decides first (auth, caps, content, transient), else the HTTP status does
    /// (<paramref name="byStatus"/>, the shared HTTP semantics).
    /// </summary>
    public static PlatformError Classify(HttpStatusCode status, string body, DateTimeOffset now, DateTimeOffset rateLimitedUntil, Func<PlatformError> byStatus)
    {
        if (Parse(body)?["error"] is not JsonObject error || error["code"]?.ToString() is not { } code || code == "ok")
        {
            return byStatus();
        }

        var message = Describe(code, error["message"]?.ToString(), error["log_id"]?.ToString());
        return FromCode(code, message, now, rateLimitedUntil, (int)status) ?? byStatus() with { Message = message, PlatformCode = code };
    }

    /// <summary>A failed publish's <c>fail_reason</c>: TikTok rejected the post, nothing was published.</summary>
    public static PlatformError FromFailReason(string? reason, DateTimeOffset now)
    {
        var code = string.IsNullOrEmpty(reason) ? "unknown" : reason;
        var message = $"TikTok could not publish the post: {code}.";
        return FromCode(code, message, now, now.AddMinutes(1), null)
               ?? new PlatformError(ErrorCategory.InvalidContent, message, null, null, code);
    }

    /// <summary>An OAuth error (<c>{"error":"invalid_grant","error_description":…}</c>), null when the body is not one.</summary>
    public static PlatformError? FromOAuth(HttpStatusCode status, string body)
    {
        if (Parse(body)?["error"] is not JsonValue value || value.ToString() is not { Length: > 0 } code)
        {
            return null;
        }

        var message = $"TikTok refused the token request ({(int)status}): {code} {Parse(body)?["error_description"]}".TrimEnd();
        return code switch
        {
            "rate_limit_exceeded" => new PlatformError(ErrorCategory.RateLimited, message, null, (int)status, code),
            "server_error" or "temporarily_unavailable" => new PlatformError(ErrorCategory.Transient, message, null, (int)status, code),
            _ => new PlatformError(ErrorCategory.Auth, message, null, (int)status, code),
        };
    }

    private static PlatformError? FromCode(string code, string message, DateTimeOffset now, DateTimeOffset rateLimitedUntil, int? status)
    {
        if (AuthCodes.Contains(code))
        {
            return new PlatformError(ErrorCategory.Auth, message, null, status, code);
        }

        if (code == "rate_limit_exceeded")
        {
            return new PlatformError(ErrorCategory.RateLimited, message, rateLimitedUntil, status, code);
        }

        if (DailyCapCodes.Contains(code))
        {
            return new PlatformError(ErrorCategory.RateLimited, message, now + DailyCapWindow, status, code);
        }

        if (ContentCodes.Contains(code))
        {
            return new PlatformError(ErrorCategory.InvalidContent, message, null, status, code);
        }

        return TransientCodes.Contains(code) ? new PlatformError(ErrorCategory.Transient, message, null, status, code) : null;
    }

    private static string Describe(string code, string? message, string? logId) =>
        $"TikTok {code}: {(string.IsNullOrEmpty(message) ? "(no message)" : message)}{(string.IsNullOrEmpty(logId) ? "" : $" (log_id {logId})")}";

    private static JsonObject? Parse(string body)
    {
        try
        {
            return string.IsNullOrWhiteSpace(body) ? null : JsonNode.Parse(body) as JsonObject;
        }
        catch (JsonException)
        {
            return null;
        }
    }
}
