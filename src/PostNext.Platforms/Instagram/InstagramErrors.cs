using System.Text.RegularExpressions;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;
using PostNext.Platforms.Meta;

namespace PostNext.Platforms.Instagram;

/// <summary>
/// Instagram's own codes, read before Meta's (platforms.md §4 "Error classification (IG-specific subcodes, 2207xxx)").
/// The media codes — 2207003 download timeout, 2207004 too large, 2207005 unsupported image, 2207009 / 36003 aspect
/// ratio, 36001 resolution, 2207010 caption too long, 2207026 unsupported video, 2207020 expired, 2207028 carousel —
/// and 2207001 spam, 2207050 restricted, 2207051 blocked fall through to Meta's table: invalid content, message kept.
/// </summary>
public static partial class InstagramErrors
{
    /// <summary>The account's API publishing limit (a moving 24-hour window) is reached.</summary>
    public const int PublishingLimitReached = 2207042;

    /// <summary>"The media is not ready for publishing, please wait for a moment."</summary>
    public const int MediaNotReady = 2207027;

    /// <summary>Instagram could not fetch the media this time.</summary>
    public const int MediaFetchFailed = 2207052;

    /// <summary>Processing failed in a way Instagram asks to retry.</summary>
    public const int ProcessingRetry = 2207082;

    /// <summary>The publishing limit's window.</summary>
    public static readonly TimeSpan PublishingWindow = TimeSpan.FromHours(24);

    public static PlatformError? Classify(MetaGraphError error, HttpResponseMessage response, DateTimeOffset now)
    {
        var status = (int)response.StatusCode;
        return error.Subcode switch
        {
            PublishingLimitReached => MetaErrors.Error(ErrorCategory.RateLimited, "Instagram", error, status,
                MetaErrors.ThrottledUntil(response.Headers, now, PublishingWindow)),
            MediaNotReady or MediaFetchFailed or ProcessingRetry => MetaErrors.Error(ErrorCategory.Transient, "Instagram", error, status),
            _ when error.Message.Contains("session has been invalidated", StringComparison.OrdinalIgnoreCase) ||
                   error.Message.Contains("not an Instagram business", StringComparison.OrdinalIgnoreCase)
                => MetaErrors.Error(ErrorCategory.Auth, "Instagram", error, status),
            _ => null,
        };
    }

    /// <summary>A container in status ERROR: its status text carries the 2207xxx code ("… error code 2207026 …").</summary>
    public static PlatformError ForFailedContainer(string containerId, string? status)
    {
        var code = status is null ? null : SubcodePattern().Match(status) is { Success: true } m ? m.Value : null;
        var category = code is "2207052" or "2207082" ? ErrorCategory.Transient : ErrorCategory.InvalidContent;
        return new PlatformError(category, $"Instagram could not process the media of container {containerId}: {status ?? "ERROR"}", null, null, code);
    }

    [GeneratedRegex(@"\b(2207\d{3}|3600\d)\b")]
    private static partial Regex SubcodePattern();
}
