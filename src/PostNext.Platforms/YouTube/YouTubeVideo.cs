using System.Text;
using System.Text.Json.Nodes;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;

namespace PostNext.Platforms.YouTube;

/// <summary>
/// What a post becomes on YouTube: one video with a title, the text as its description (no text or image posts) and
/// the target's settings (<see cref="YouTubePostOptions"/>): tags, category, privacy, made for kids, a thumbnail.
/// </summary>
public sealed record YouTubeVideo(MediaItem Media, string Title, string Description, YouTubePostOptions Settings)
{
    /// <summary>thumbnails.set takes JPEG or PNG of at most 2 MB.</summary>
    public const long MaxThumbnailBytes = 2 * 1024 * 1024;

    public const int MaxTitleLength = 100;

    /// <summary>YouTube's "People &amp; Blogs" category, available in every region.</summary>
    public const string DefaultCategoryId = "22";

    /// <summary>The post's video and metadata, or an invalid-content error before anything is sent.</summary>
    public static YouTubeVideo From(PostContent content)
    {
        var media = content.Media ?? [];
        if (media.Count != 1 || media[0].Type != MediaType.Video)
        {
            throw Invalid("YouTube publishes exactly one video per post, without images.");
        }

        var title = TitleFor(content);
        if (title.Length == 0)
        {
            throw Invalid("YouTube needs a title: set one, or start the text with it.");
        }

        return new YouTubeVideo(media[0], title, content.Text ?? "", content.Options?.YouTube ?? new YouTubePostOptions());
    }

    /// <summary>
    /// The title: the post's own, else the first non-blank line of the text; without '&lt;' or '&gt;' (YouTube refuses
    /// them), whitespace collapsed, cut to 100 characters (code points, never half a surrogate pair).
    /// </summary>
    public static string TitleFor(PostContent content)
    {
        var source = !string.IsNullOrWhiteSpace(content.Title)
            ? content.Title
            : (content.Text ?? "").Split(['\r', '\n']).FirstOrDefault(line => !string.IsNullOrWhiteSpace(line)) ?? "";
        var title = new StringBuilder();
        var runes = 0;
        var pendingSpace = false;
        foreach (var rune in source.EnumerateRunes())
        {
            if (rune.Value is '<' or '>')
            {
                continue;
            }

            if (Rune.IsWhiteSpace(rune))
            {
                pendingSpace = title.Length > 0;
                continue;
            }

            if (runes + (pendingSpace ? 2 : 1) > MaxTitleLength)
            {
                break;
            }

            if (pendingSpace)
            {
                title.Append(' ');
                runes++;
                pendingSpace = false;
            }

            title.Append(rune.ToString());
            runes++;
        }

        return title.ToString();
    }

    /// <summary>The custom thumbnail to set after the upload, if any.</summary>
    public MediaItem? Thumbnail => Settings.ThumbnailUrl is { } url ? new MediaItem(url, MediaType.Image) : null;

    /// <summary>
    /// The videos.insert metadata (part=snippet,status). Unless the target says otherwise: public (a scheduler
    /// publishes; YouTube itself keeps uploads from unaudited API projects private), not made for kids, category 22.
    /// </summary>
    public JsonObject Metadata()
    {
        var snippet = new JsonObject
        {
            ["title"] = Title,
            ["description"] = Description,
            ["categoryId"] = Settings.CategoryId ?? DefaultCategoryId,
        };
        if (Settings.Tags is { Count: > 0 } tags)
        {
            snippet["tags"] = new JsonArray([.. tags.Select(t => (JsonNode)JsonValue.Create(t))]);
        }

        return new JsonObject
        {
            ["snippet"] = snippet,
            ["status"] = new JsonObject
            {
                ["privacyStatus"] = Settings.Privacy ?? "public",
                ["selfDeclaredMadeForKids"] = Settings.MadeForKids ?? false,
            },
        };
    }

    private static PlatformException Invalid(string message) => new(new PlatformError(ErrorCategory.InvalidContent, message));
}
