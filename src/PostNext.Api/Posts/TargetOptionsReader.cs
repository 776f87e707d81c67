using System.Text;
using System.Text.RegularExpressions;
using PostNext.Abstractions.Platforms;
using PostNext.Abstractions.Posts;
using PostNext.Api.Contracts;
using PostNext.Api.Http;
using PostNext.Content.Addresses;

namespace PostNext.Api.Posts;

/// <summary>
/// Reads a target's platform options into <see cref="PostOptions"/>: only the block of the target's platform, every
/// value from its closed set, every list and text within its cap. Each problem is a 400 naming the field; the rules
/// options must keep with the content (TikTok's required privacy level, a reel's one video) are content rules (422).
/// </summary>
public static partial class TargetOptionsReader
{
    public const int MaxYouTubeTitle = 100;
    public const int MaxYouTubeDescriptionBytes = 5000;
    public const int MaxYouTubeTags = 30;
    public const int MaxYouTubeTagLength = 100;
    public const int MaxYouTubeTagsTotal = 500;
    public const int MaxCollaborators = 3;
    public const int MaxAltText = 1000;
    public const int MaxUrlLength = 2048;

    public const int MaxCommentInput = 10_000;

    /// <summary>Reads one target's options; <paramref name="readMedia"/> reads a thread part's media as the post's media are read.</summary>
    public static PostOptions? Read(TargetOptionsDto? dto, string platform, string field, OutboundAddressPolicy addresses, RequestErrors errors,
        Func<IReadOnlyList<MediaDto>?, string, IReadOnlyList<MediaItem>?> readMedia)
    {
        if (dto is null)
        {
            return null;
        }

        var given = new (string Key, string Platform, bool Set)[]
        {
            ("tiktok", PlatformIds.TikTok, dto.TikTok is not null), ("youtube", PlatformIds.YouTube, dto.YouTube is not null),
            ("instagram", PlatformIds.Instagram, dto.Instagram is not null), ("facebook", PlatformIds.Facebook, dto.Facebook is not null),
            ("linkedin", PlatformIds.LinkedIn, dto.LinkedIn is not null), ("x", PlatformIds.X, dto.X is not null),
        };
        foreach (var other in given.Where(g => g.Set && g.Platform != platform))
        {
            errors.Add($"{field}.{other.Key}", $"This target is a {platform} account; only options.{BlockOf(platform)} applies to it.");
        }

        var options = platform switch
        {
            PlatformIds.TikTok when dto.TikTok is { } t => new PostOptions(TikTok: TikTok(t, $"{field}.tiktok", errors)),
            PlatformIds.YouTube when dto.YouTube is { } y => new PostOptions(YouTube: YouTube(y, $"{field}.youtube", addresses, errors)),
            PlatformIds.Instagram when dto.Instagram is { } i => new PostOptions(Instagram: Instagram(i, $"{field}.instagram", errors)),
            PlatformIds.Facebook when dto.Facebook is { } f => new PostOptions(Facebook: new FacebookPostOptions(
                OneOf(f.Type?.ToLowerInvariant(), FacebookPostOptions.Supported, $"{field}.facebook.type", errors), FirstComment(f.FirstComment, $"{field}.facebook.firstComment", errors))),
            PlatformIds.LinkedIn when dto.LinkedIn is { } l => new PostOptions(LinkedIn: new LinkedInPostOptions(
                OneOf(l.Visibility?.ToUpperInvariant(), LinkedInPostOptions.Visibilities, $"{field}.linkedin.visibility", errors), FirstComment(l.FirstComment, $"{field}.linkedin.firstComment", errors))),
            PlatformIds.X when dto.X is { } x => new PostOptions(X: X(x, $"{field}.x", errors, readMedia)),
            _ => null,
        };
        return options;
    }

    /// <summary>The options as the API shows them (and as an update that leaves targets out keeps them).</summary>
    public static TargetOptionsDto? ToDto(PostOptions? o) => o is null ? null : new TargetOptionsDto(
        o.TikTok is { } t ? new TikTokOptionsDto(t.PrivacyLevel, t.AllowComments, t.AllowDuets, t.AllowStitches, t.YourBrand, t.BrandedContent) : null,
        o.YouTube is { } y ? new YouTubeOptionsDto(y.Title, y.Description, y.Tags, y.CategoryId, y.Privacy, y.MadeForKids, y.ThumbnailUrl, y.FirstComment) : null,
        o.Instagram is { } i ? new InstagramOptionsDto(i.Type, i.ShareToFeed, i.Collaborators, i.AltText, i.FirstComment) : null,
        o.Facebook is { } f ? new FacebookOptionsDto(f.Type, f.FirstComment) : null,
        o.LinkedIn is { } l ? new LinkedInOptionsDto(l.Visibility, l.FirstComment) : null,
        o.X is { } x ? new XOptionsDto(x.Thread?.Select(p => new ThreadPartDto(p.Text, p.Media?.Select(m => new MediaDto(m.Url, ApiNames.Of(m.Type))).ToList())).ToList()) : null);

    private static string BlockOf(string platform) => platform switch
    {
        PlatformIds.TikTok or PlatformIds.YouTube or PlatformIds.Instagram or PlatformIds.Facebook or PlatformIds.LinkedIn or PlatformIds.X => platform,
        _ => "(none: this platform takes no options)",
    };

    private static TikTokPostOptions TikTok(TikTokOptionsDto t, string field, RequestErrors errors)
    {
        // A missing level is left empty here: TikTok's rule that the creator must choose it is a content rule (422).
        var privacy = t.PrivacyLevel is null ? "" : OneOf(t.PrivacyLevel.ToUpperInvariant(), TikTokPostOptions.PrivacyLevels, $"{field}.privacyLevel", errors) ?? "";
        return new TikTokPostOptions(privacy, t.AllowComments ?? false, t.AllowDuets ?? false, t.AllowStitches ?? false, t.YourBrand ?? false, t.BrandedContent ?? false);
    }

    private static YouTubePostOptions YouTube(YouTubeOptionsDto y, string field, OutboundAddressPolicy addresses, RequestErrors errors)
    {
        if (y.Title is not null && (y.Title.Trim().Length == 0 || Runes(y.Title) > MaxYouTubeTitle || HasAngleBrackets(y.Title)))
        {
            errors.Add($"{field}.title", $"A title is 1–{MaxYouTubeTitle} characters without '<' or '>'.");
        }

        if (y.Description is not null && (Encoding.UTF8.GetByteCount(y.Description) > MaxYouTubeDescriptionBytes || HasAngleBrackets(y.Description)))
        {
            errors.Add($"{field}.description", $"A description is at most {MaxYouTubeDescriptionBytes} bytes (UTF-8) without '<' or '>'.");
        }

        List<string>? tags = null;
        if (y.Tags is not null)
        {
            tags = [.. y.Tags.Select(tag => tag?.Trim() ?? "")];
            if (tags.Count > MaxYouTubeTags)
            {
                errors.Add($"{field}.tags", $"At most {MaxYouTubeTags} tags.");
            }

            for (var i = 0; i < Math.Min(tags.Count, MaxYouTubeTags); i++)
            {
                if (tags[i].Length == 0 || Runes(tags[i]) > MaxYouTubeTagLength || HasAngleBrackets(tags[i]) || tags[i].Contains(','))
                {
                    errors.Add($"{field}.tags[{i}]", $"A tag is 1–{MaxYouTubeTagLength} characters without '<', '>' or ','.");
                }
            }

            // YouTube counts a tag with a space as if quoted, and the commas between tags.
            var total = tags.Sum(t => Runes(t) + (t.Contains(' ') ? 2 : 0)) + Math.Max(0, tags.Count - 1);
            if (total > MaxYouTubeTagsTotal)
            {
                errors.Add($"{field}.tags", $"The tags are {total} characters together (quotes around tags with spaces and commas between counted); YouTube allows {MaxYouTubeTagsTotal}.");
            }
        }

        if (y.CategoryId is not null && !CategoryId().IsMatch(y.CategoryId))
        {
            errors.Add($"{field}.categoryId", "A YouTube video category id is a number, e.g. \"22\" (People & Blogs).");
        }

        var privacy = OneOf(y.Privacy?.ToLowerInvariant(), YouTubePostOptions.Privacies, $"{field}.privacy", errors);
        string? thumbnail = null;
        if (y.ThumbnailUrl is not null)
        {
            if (y.ThumbnailUrl.Length > MaxUrlLength || !Uri.TryCreate(y.ThumbnailUrl, UriKind.Absolute, out var uri) ||
                (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || uri.UserInfo.Length > 0)
            {
                errors.Add($"{field}.thumbnailUrl", $"An absolute http(s) URL of at most {MaxUrlLength} characters, without credentials, is required.");
            }
            else if (addresses.CheckHost(uri) is { } refused)
            {
                errors.Add($"{field}.thumbnailUrl", refused);
            }
            else
            {
                thumbnail = uri.ToString();
            }
        }

        return new YouTubePostOptions(y.Title?.Trim(), y.Description, tags, y.CategoryId, privacy, y.MadeForKids, thumbnail, FirstComment(y.FirstComment, $"{field}.firstComment", errors));
    }

    private static InstagramPostOptions Instagram(InstagramOptionsDto i, string field, RequestErrors errors)
    {
        var type = OneOf(i.Type?.ToLowerInvariant(), InstagramPostOptions.Types, $"{field}.type", errors);
        List<string>? collaborators = null;
        if (i.Collaborators is not null)
        {
            collaborators = [.. i.Collaborators.Select(c => c?.Trim().TrimStart('@') ?? "")];
            if (collaborators.Count > MaxCollaborators)
            {
                errors.Add($"{field}.collaborators", $"At most {MaxCollaborators} collaborators.");
            }

            for (var n = 0; n < Math.Min(collaborators.Count, MaxCollaborators); n++)
            {
                if (!InstagramUsername().IsMatch(collaborators[n]))
                {
                    errors.Add($"{field}.collaborators[{n}]", "An Instagram username: 1–30 letters, digits, '.' or '_'.");
                }
            }

            if (collaborators.Distinct(StringComparer.OrdinalIgnoreCase).Count() != collaborators.Count)
            {
                errors.Add($"{field}.collaborators", "Each collaborator once.");
            }
        }

        if (i.AltText is not null && (i.AltText.Trim().Length == 0 || i.AltText.Length > MaxAltText))
        {
            errors.Add($"{field}.altText", $"Alt text is 1–{MaxAltText} characters.");
        }

        return new InstagramPostOptions(type, i.ShareToFeed, collaborators, i.AltText, FirstComment(i.FirstComment, $"{field}.firstComment", errors));
    }

    /// <summary>A thread: at most <see cref="XPostOptions.MaxReplies"/> parts after the post, each with its text and media (X's rules for each part are content rules, 422).</summary>
    private static XPostOptions X(XOptionsDto x, string field, RequestErrors errors, Func<IReadOnlyList<MediaDto>?, string, IReadOnlyList<MediaItem>?> readMedia)
    {
        if (x.Thread is not { Count: > 0 } thread)
        {
            return new XPostOptions();
        }

        if (thread.Count > XPostOptions.MaxReplies)
        {
            errors.Add($"{field}.thread", $"A thread has at most {XPostOptions.MaxReplies + 1} parts: the post and {XPostOptions.MaxReplies} more; this one has {thread.Count} more.");
            return new XPostOptions();
        }

        var parts = new List<ThreadPart>();
        for (var i = 0; i < thread.Count; i++)
        {
            if (thread[i] is not { } part)
            {
                errors.Add($"{field}.thread[{i}]", "Each part of a thread is an object with its text and/or media.");
                continue;
            }

            parts.Add(new ThreadPart(part.Text ?? "", readMedia(part.Media, $"{field}.thread[{i}].media") ?? []));
        }

        return new XPostOptions(parts);
    }

    /// <summary>A first comment has text (its platform's length is a content rule, 422); an absurd size is refused here.</summary>
    private static string? FirstComment(string? comment, string field, RequestErrors errors)
    {
        if (comment is null)
        {
            return null;
        }

        if (comment.Trim().Length == 0 || comment.Length > MaxCommentInput)
        {
            errors.Add(field, $"A first comment has 1–{MaxCommentInput:N0} characters (or leave it out).");
            return null;
        }

        return comment;
    }

    private static string? OneOf(string? value, IReadOnlyList<string> allowed, string field, RequestErrors errors)
    {
        if (value is null)
        {
            return null;
        }

        if (allowed.Contains(value, StringComparer.Ordinal))
        {
            return value;
        }

        errors.Add(field, $"Must be one of: {string.Join(", ", allowed)}.");
        return null;
    }

    private static int Runes(string text) => text.EnumerateRunes().Count();

    private static bool HasAngleBrackets(string text) => text.Contains('<') || text.Contains('>');

    [GeneratedRegex(@"^[0-9]{1,4}$")]
    private static partial Regex CategoryId();

    [GeneratedRegex(@"^[A-Za-z0-9._]{1,30}$")]
    private static partial Regex InstagramUsername();
}
