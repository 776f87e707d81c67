using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;
using PostNext.Platforms.Meta;

namespace PostNext.Platforms.Facebook;

/// <summary>
/// Facebook Page codes read before Meta's (platforms.md §3 "Error classification"); everything else — policy 1346003 /
/// 1404102, 1609008 facebook.com links, 2061006 bad URL, 1349125 format, 1366046 photo size, 368 blocked — falls through
/// to Meta's table and ends as invalid content with Facebook's message kept.
/// </summary>
public static class FacebookErrors
{
    /// <summary>"These photos were already posted."</summary>
    public const int PhotosAlreadyPosted = 1366051;

    /// <summary>"You're posting too fast" (code 368): a throttle, not a verdict on the content.</summary>
    public const int PostingTooFast = 1390008;

    /// <summary>"Page Publishing Authorization required": the person must complete it, then reconnect.</summary>
    public const int PublishingAuthorizationRequired = 1404078;

    /// <summary>
    /// Reels Publishing API ("Rate Limit"): 30 API-published reels per Page within a moving 24 h, enforced on
    /// <c>POST /{page-id}/video_reels</c>. Facebook offers no read of how much of it a Page has used.
    /// </summary>
    public static readonly TimeSpan ReelsWindow = TimeSpan.FromHours(24);

    public static PlatformError? Classify(MetaGraphError error, HttpResponseMessage response, DateTimeOffset now) => error.Subcode switch
    {
        PhotosAlreadyPosted => MetaErrors.Error(ErrorCategory.Duplicate, "Facebook", error, (int)response.StatusCode),
        PostingTooFast => MetaErrors.Error(ErrorCategory.RateLimited, "Facebook", error, (int)response.StatusCode,
            MetaErrors.ThrottledUntil(response.Headers, now, MetaErrors.DefaultThrottle)),
        PublishingAuthorizationRequired => MetaErrors.Error(ErrorCategory.Auth, "Facebook", error, (int)response.StatusCode),
        _ when IsReelsLimit(error, response) =>
            MetaErrors.Error(ErrorCategory.RateLimited, "Facebook", error, (int)response.StatusCode, now + ReelsWindow) with { LimitedPostType = PostTypes.Reel },
        _ => null,
    };

    /// <summary>
    /// A refusal of <c>video_reels</c> that speaks of a limit (the limit is documented, its error code is not): the reel
    /// waits the moving window out, which never publishes over the limit (a slot may free sooner). Meta's throttle codes
    /// keep their own reading.
    /// </summary>
    private static bool IsReelsLimit(MetaGraphError error, HttpResponseMessage response) =>
        response.RequestMessage?.RequestUri?.AbsolutePath.EndsWith("/video_reels", StringComparison.Ordinal) == true &&
        !MetaErrors.IsRateLimit(error) &&
        (error.Message.Contains("limit", StringComparison.OrdinalIgnoreCase) || error.Message.Contains("maximum number", StringComparison.OrdinalIgnoreCase));
}
