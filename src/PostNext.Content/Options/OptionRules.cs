using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Platforms;
using PostNext.Abstractions.Posts;
using PostNext.Content.Rules;

namespace PostNext.Content.Options;

/// <summary>
/// The platform rules a target's options must keep with its content (the options' own shape is checked where they are
/// read): what TikTok requires the creator to choose, and the media a reel or a story takes.
/// </summary>
public static class OptionRules
{
    public const string OptionRequired = "option_required";
    public const string OptionConflict = "option_conflict";
    public const string OptionNotOffered = "option_not_offered";
    public const string OptionMediaMismatch = "option_media_mismatch";

    /// <summary>Every rule the content's options break on <paramref name="platformId"/>.</summary>
    public static IEnumerable<ContentViolation> Check(string platformId, PostContent content)
    {
        var options = content.Options;
        IReadOnlyList<MediaItem> media = content.Media ?? [];
        switch (platformId)
        {
            case PlatformIds.TikTok:
                foreach (var problem in TikTok(options?.TikTok))
                {
                    yield return problem;
                }

                break;
            case PlatformIds.Instagram when options?.Instagram is { } instagram:
                foreach (var problem in Instagram(instagram, media))
                {
                    yield return problem;
                }

                break;
            case PlatformIds.Facebook when options?.Facebook?.Type is { } type:
                if (MediaProblem("Facebook", "options.facebook.type", type, media) is { } mismatch)
                {
                    yield return mismatch;
                }

                if (options.Facebook.FirstComment is not null && type == PostTypes.Story)
                {
                    yield return new(OptionConflict, "options.facebook.firstComment", "Facebook Page stories take no comments.");
                }

                break;
        }
    }

    /// <summary>
    /// What creator_info's <paramref name="offered"/> choices say of <paramref name="options"/>: the privacy level must be
    /// on offer, and an interaction the creator turned off cannot be allowed.
    /// </summary>
    public static IEnumerable<ContentViolation> CheckOffered(TikTokPostOptions? options, PublishingChoices offered)
    {
        if (options is null)
        {
            yield break;
        }

        var levels = string.Join(", ", offered.PrivacyLevels);
        if (!offered.PrivacyLevels.Contains(options.PrivacyLevel, StringComparer.Ordinal))
        {
            var unaudited = offered.PrivacyLevels is [TikTokPostOptions.SelfOnly] ? " (an app TikTok has not audited may post SELF_ONLY only)" : "";
            yield return new(OptionNotOffered, "options.tiktok.privacyLevel",
                $"TikTok does not offer this creator the privacy level {options.PrivacyLevel}{unaudited}; choose one of {levels}.");
        }

        foreach (var (allowed, disabled, what, field) in new[]
                 {
                     (options.AllowComments, offered.CommentDisabled, "comments", "allowComments"),
                     (options.AllowDuets, offered.DuetDisabled, "duets", "allowDuets"),
                     (options.AllowStitches, offered.StitchDisabled, "stitches", "allowStitches"),
                 })
        {
            if (allowed && disabled)
            {
                yield return new(OptionNotOffered, $"options.tiktok.{field}", $"The creator turned {what} off in TikTok, so this post cannot allow them.");
            }
        }
    }

    /// <summary>What the account itself rules out: a LinkedIn page (an organization author) has no connections to show a post to.</summary>
    public static IEnumerable<ContentViolation> CheckAccount(string platformId, string externalId, PostOptions? options)
    {
        if (platformId == PlatformIds.LinkedIn && options?.LinkedIn?.Visibility == "CONNECTIONS" &&
            externalId.StartsWith("urn:li:organization:", StringComparison.Ordinal))
        {
            yield return new(OptionConflict, "options.linkedin.visibility", "A LinkedIn page has no connections: choose PUBLIC or LOGGED_IN for a page post.");
        }
    }

    /// <summary>What TikTok requires of the creator's choices whatever creator_info offers.</summary>
    public static IEnumerable<ContentViolation> TikTok(TikTokPostOptions? options)
    {
        if (string.IsNullOrEmpty(options?.PrivacyLevel))
        {
            yield return new(OptionRequired, "options.tiktok.privacyLevel",
                "TikTok requires the creator to choose who can see each post (options.tiktok.privacyLevel, one of the levels TikTok offers the account); PostNext does not choose one for the creator.");
            yield break;
        }

        if (options.BrandedContent && options.PrivacyLevel == TikTokPostOptions.SelfOnly)
        {
            yield return new(OptionConflict, "options.tiktok.brandedContent", "TikTok does not let branded content (a paid partnership) be private: choose a privacy level other than SELF_ONLY.");
        }
    }

    private static IEnumerable<ContentViolation> Instagram(InstagramPostOptions options, IReadOnlyList<MediaItem> media)
    {
        var type = options.Type ?? PostTypes.Feed;
        if (MediaProblem("Instagram", "options.instagram.type", type, media) is { } mismatch)
        {
            yield return mismatch;
        }

        if (options.ShareToFeed is not null && type != PostTypes.Reel)
        {
            yield return new(OptionConflict, "options.instagram.shareToFeed", "shareToFeed applies to reels only.");
        }

        if (options.Collaborators is { Count: > 0 } && type == PostTypes.Story)
        {
            yield return new(OptionConflict, "options.instagram.collaborators", "Instagram stories take no collaborators.");
        }

        if (options.FirstComment is not null && type == PostTypes.Story)
        {
            yield return new(OptionConflict, "options.instagram.firstComment", "Instagram stories take no comments.");
        }

        if (options.AltText is not null && (type != PostTypes.Feed || media is not [{ Type: MediaType.Image }]))
        {
            yield return new(OptionConflict, "options.instagram.altText", "altText applies to a feed post of one image.");
        }
    }

    /// <summary>A reel is one video; a story one image or video; a feed post anything the platform's content rules allow.</summary>
    private static ContentViolation? MediaProblem(string platform, string field, string type, IReadOnlyList<MediaItem> media) => type switch
    {
        PostTypes.Reel when media is not [{ Type: MediaType.Video }] => new(OptionMediaMismatch, field, $"A {platform} reel is exactly one video."),
        PostTypes.Story when media.Count != 1 => new(OptionMediaMismatch, field, $"A {platform} story is exactly one image or video."),
        _ => null,
    };
}
