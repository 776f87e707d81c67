using System.Globalization;
using System.Text;
using PostNext.Abstractions.Platforms;
using PostNext.Abstractions.Posts;
using PostNext.Content.Options;
using static PostNext.Content.Rules.ContentViolationCodes;

namespace PostNext.Content.Rules;

/// <summary>Checks a post's content against one platform's limits before the post is accepted.</summary>
public static class ContentRules
{
    /// <summary>Every violation of <paramref name="limits"/> in <paramref name="content"/>, not just the first; empty when the platform would accept it.</summary>
    public static IReadOnlyList<ContentViolation> Validate(string platformId, PostContent content, PlatformLimits limits)
    {
        ArgumentNullException.ThrowIfNull(platformId);
        ArgumentNullException.ThrowIfNull(content);
        ArgumentNullException.ThrowIfNull(limits);

        var platform = DisplayName(platformId);
        var text = content.Text ?? string.Empty;
        IReadOnlyList<MediaItem> media = content.Media ?? [];
        return
        [
            .. CheckNotEmpty(platform, text, media, limits),
            .. CheckText(platform, text, limits),
            .. CheckTitle(platform, content.Title, limits),
            .. CheckMediaKinds(platform, media, limits),
            .. CheckMediaUrls(media),
            .. OptionRules.Check(platformId, content),
            .. CheckFollowUps(platformId, content, limits),
        ];
    }

    /// <summary>
    /// Each part of an X thread is a post by X's rules (its text, its media), reported under
    /// <c>options.x.thread[i]</c>; a first comment is within the platform's comment length.
    /// </summary>
    private static IEnumerable<ContentViolation> CheckFollowUps(string platformId, PostContent content, PlatformLimits limits)
    {
        foreach (var part in FollowUps.Of(platformId, content))
        {
            if (part.Kind == FollowUpKind.Reply)
            {
                var field = $"options.x.thread[{part.Index - 1}]";
                foreach (var v in Validate(platformId, new PostContent(part.Text, part.Media), limits))
                {
                    yield return v with { Field = v.Field == "content" ? field : $"{field}.{v.Field}", Message = $"Thread part {part.Index + 1}: {v.Message}" };
                }
            }
            else if (limits.MaxCommentLength is int max && TextLength.Measure(part.Text, TextCounting.CodePoints) is var length && length > max)
            {
                yield return new(CommentTooLong, $"options.{platformId}.firstComment",
                    Format($"The first comment is {length:N0} characters; {DisplayName(platformId)} allows {max:N0} in a comment."));
            }
        }
    }

    // Only when nothing more specific (text_required, media_required) already says it.
    private static IEnumerable<ContentViolation> CheckNotEmpty(string platform, string text, IReadOnlyList<MediaItem> media, PlatformLimits limits)
    {
        if (string.IsNullOrWhiteSpace(text) && media.Count == 0 && !limits.RequiresText && limits.RequiredMedia == MediaRequirement.None)
        {
            yield return new(ContentEmpty, "content", $"The post has no text and no media; {platform} needs one of them.");
        }
    }

    private static IEnumerable<ContentViolation> CheckText(string platform, string text, PlatformLimits limits)
    {
        if (limits.RequiresText && string.IsNullOrWhiteSpace(text))
        {
            yield return new(TextRequired, "text", $"{platform} requires text.");
        }

        if (limits.MaxTextLength is int maxLength && TextLength.Measure(text, limits.TextCounting) is var length && length > maxLength)
        {
            yield return new(TextTooLong, "text", Format($"Text is {length:N0} {Unit(limits.TextCounting)}; {platform} allows {maxLength:N0}."));
        }

        if (limits.MaxDescriptionBytes is int maxBytes && Encoding.UTF8.GetByteCount(text) is var bytes && bytes > maxBytes)
        {
            yield return new(DescriptionTooLong, "text", Format($"The description (the post text) is {bytes:N0} bytes; {platform} allows {maxBytes:N0}."));
        }

        if (ForbiddenCharactersIn(text, limits) is { Length: > 0 } found)
        {
            yield return new(TextInvalidCharacters, "text", $"Text contains {found}, which {platform} does not allow.");
        }

        if (limits.MaxHashtags is int maxHashtags && TextEntities.CountHashtags(text) is var hashtags && hashtags > maxHashtags)
        {
            yield return new(TooManyHashtags, "text", Format($"Text has {hashtags:N0} hashtags; {platform} allows {maxHashtags:N0}."));
        }

        if (limits.MaxMentions is int maxMentions && TextEntities.CountMentions(text) is var mentions && mentions > maxMentions)
        {
            yield return new(TooManyMentions, "text", Format($"Text has {mentions:N0} mentions; {platform} allows {maxMentions:N0}."));
        }
    }

    private static IEnumerable<ContentViolation> CheckTitle(string platform, string? title, PlatformLimits limits)
    {
        if (limits.RequiresTitle && string.IsNullOrWhiteSpace(title))
        {
            yield return new(TitleRequired, "title", $"{platform} requires a title.");
        }

        if (title is null)
        {
            yield break;
        }

        if (limits.MaxTitleLength is int maxLength && TextLength.CodePoints(title) is var length && length > maxLength)
        {
            yield return new(TitleTooLong, "title", Format($"Title is {length:N0} characters; {platform} allows {maxLength:N0}."));
        }

        if (ForbiddenCharactersIn(title, limits) is { Length: > 0 } found)
        {
            yield return new(TitleInvalidCharacters, "title", $"Title contains {found}, which {platform} does not allow.");
        }
    }

    private static IEnumerable<ContentViolation> CheckMediaKinds(string platform, IReadOnlyList<MediaItem> media, PlatformLimits limits)
    {
        var images = media.Count(item => item.Type == MediaType.Image);
        var videos = media.Count(item => item.Type == MediaType.Video);

        if (limits.RequiredMedia == MediaRequirement.Any && media.Count == 0)
        {
            yield return new(MediaRequired, "media", $"{platform} requires at least one image or video.");
        }

        if (limits.RequiredMedia == MediaRequirement.Video && videos == 0)
        {
            yield return new(VideoRequired, "media", $"{platform} requires a video.");
        }

        if (TooMany(platform, media.Count, limits.MaxMediaItems, "media item") is { } tooManyItems)
        {
            yield return new(TooManyMedia, "media", tooManyItems);
        }

        if (TooMany(platform, images, limits.MaxImages, "image") is { } tooManyImages)
        {
            yield return new(TooManyImages, "media", tooManyImages);
        }

        if (TooMany(platform, videos, limits.MaxVideos, "video") is { } tooManyVideos)
        {
            yield return new(TooManyVideos, "media", tooManyVideos);
        }

        if (!limits.AllowMixedMedia && images > 0 && videos > 0)
        {
            yield return new(MixedMedia, "media", $"{platform} does not allow images and videos in the same post.");
        }
    }

    // Platforms fetch media themselves, so each URL must be one they can reach.
    private static IEnumerable<ContentViolation> CheckMediaUrls(IReadOnlyList<MediaItem> media)
    {
        for (var i = 0; i < media.Count; i++)
        {
            if (!IsHttpUrl(media[i].Url))
            {
                yield return new(InvalidMediaUrl, Format($"media[{i}].url"), $"Media URL '{media[i].Url}' is not an absolute http or https URL.");
            }
        }
    }

    private static bool IsHttpUrl(string? url) =>
        Uri.TryCreate(url, UriKind.Absolute, out var uri) && (uri.Scheme == Uri.UriSchemeHttps || uri.Scheme == Uri.UriSchemeHttp);

    private static string? TooMany(string platform, int count, int? max, string noun)
    {
        if (max is not int limit || count <= limit)
        {
            return null;
        }

        return limit == 0
            ? Format($"{platform} does not accept {noun}s; the post has {Quantity(count, noun)}.")
            : Format($"The post has {Quantity(count, noun)}; {platform} allows {limit:N0}.");
    }

    // The forbidden characters present, described for a message (e.g. "'<' (U+003C)"), or empty.
    private static string ForbiddenCharactersIn(string value, PlatformLimits limits) => string.Join(", ", limits.ForbiddenCharacters
        .Distinct()
        .Where(c => value.Contains(c, StringComparison.Ordinal))
        .Select(c => Format($"'{c}' (U+{(int)c:X4})")));

    private static string Unit(TextCounting counting) => counting switch
    {
        TextCounting.TwitterWeighted => "weighted characters",
        TextCounting.Utf8Bytes => "bytes",
        TextCounting.Utf16 => "UTF-16 code units",
        _ => "characters",
    };

    private static string Quantity(int count, string noun) => Format($"{count:N0} {noun}{(count == 1 ? "" : "s")}");

    private static string Format(FormattableString message) => message.ToString(CultureInfo.InvariantCulture);

    internal static string DisplayName(string platformId) => platformId switch
    {
        PlatformIds.Sandbox => "Sandbox",
        PlatformIds.Instagram => "Instagram",
        PlatformIds.TikTok => "TikTok",
        PlatformIds.X => "X",
        PlatformIds.LinkedIn => "LinkedIn",
        PlatformIds.YouTube => "YouTube",
        PlatformIds.Facebook => "Facebook",
        _ => platformId,
    };
}
