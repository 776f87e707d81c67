using System.Text.Json.Nodes;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;

namespace PostNext.Platforms.TikTok;

/// <summary>What a post becomes on TikTok: one video (FILE_UPLOAD) or 1–35 photos (PULL_FROM_URL), never text alone or a mix.</summary>
internal sealed record TikTokPost(MediaItem? Video, IReadOnlyList<MediaItem> Photos, string Text, string? Title)
{
    public const int MaxPhotos = 35;

    public bool IsVideo => Video is not null;

    /// <summary>The post's shape, or an invalid-content error before anything is sent.</summary>
    public static TikTokPost From(PostContent content)
    {
        var media = content.Media ?? [];
        var videos = media.Where(m => m.Type == MediaType.Video).ToList();
        var photos = media.Where(m => m.Type == MediaType.Image).ToList();
        var problem = (videos.Count, photos.Count) switch
        {
            (0, 0) => "TikTok needs a video or photos; text alone cannot be posted.",
            ( > 0, > 0) => "TikTok cannot mix a video and photos in one post.",
            ( > 1, _) => "TikTok takes one video per post.",
            (_, > MaxPhotos) => $"TikTok takes at most {MaxPhotos} photos per post.",
            _ => null,
        };
        if (problem is not null)
        {
            throw new PlatformException(new PlatformError(ErrorCategory.InvalidContent, problem));
        }

        return new TikTokPost(videos.FirstOrDefault(), photos, content.Text ?? "", string.IsNullOrWhiteSpace(content.Title) ? null : content.Title);
    }

    /// <summary>
    /// The <c>/v2/post/publish/video/init/</c> body for a FILE_UPLOAD of <paramref name="plan"/>. The creator's disabled
    /// interactions stay disabled; the commercial-content disclosure is "none" (a post carries no such declaration yet).
    /// </summary>
    public JsonObject VideoInitBody(TikTokCreator creator, string privacy, TikTokChunkPlan plan) => new()
    {
        ["post_info"] = new JsonObject
        {
            ["title"] = Text,
            ["privacy_level"] = privacy,
            ["disable_duet"] = creator.DuetDisabled,
            ["disable_comment"] = creator.CommentDisabled,
            ["disable_stitch"] = creator.StitchDisabled,
            ["brand_content_toggle"] = false,
            ["brand_organic_toggle"] = false,
        },
        ["source_info"] = new JsonObject
        {
            ["source"] = "FILE_UPLOAD",
            ["video_size"] = plan.VideoSize,
            ["chunk_size"] = plan.ChunkSize,
            ["total_chunk_count"] = plan.ChunkCount,
        },
    };

    /// <summary>
    /// The <c>/v2/post/publish/content/init/</c> body: photos are pulled by TikTok from their URLs (the only source photos
    /// support, so the media host must be verified in the TikTok developer portal). The text is the description; a title
    /// is sent only when the post has one.
    /// </summary>
    public JsonObject PhotoInitBody(TikTokCreator creator, string privacy)
    {
        var postInfo = new JsonObject();
        if (Title is not null)
        {
            postInfo["title"] = Title;
        }

        postInfo["description"] = Text;
        postInfo["privacy_level"] = privacy;
        postInfo["disable_comment"] = creator.CommentDisabled;
        postInfo["auto_add_music"] = true;
        postInfo["brand_content_toggle"] = false;
        postInfo["brand_organic_toggle"] = false;
        return new JsonObject
        {
            ["media_type"] = "PHOTO",
            ["post_mode"] = "DIRECT_POST",
            ["post_info"] = postInfo,
            ["source_info"] = new JsonObject
            {
                ["source"] = "PULL_FROM_URL",
                ["photo_cover_index"] = 0,
                ["photo_images"] = new JsonArray([.. Photos.Select(p => (JsonNode)JsonValue.Create(p.Url))]),
            },
        };
    }
}

/// <summary>What <c>/v2/post/publish/creator_info/query/</c> says the creator may do.</summary>
internal sealed record TikTokCreator(IReadOnlyList<string> PrivacyOptions, bool CommentDisabled, bool DuetDisabled, bool StitchDisabled, string? Username)
{
    public static TikTokCreator Read(JsonNode? data) => new(
        [.. (data?["privacy_level_options"] as JsonArray ?? []).Select(o => o?.ToString()).OfType<string>()],
        data?["comment_disabled"]?.GetValue<bool>() ?? false,
        data?["duet_disabled"]?.GetValue<bool>() ?? false,
        data?["stitch_disabled"]?.GetValue<bool>() ?? false,
        data?["creator_username"]?.ToString());
}

/// <summary>
/// The privacy level to post with. TikTok's content-sharing guidelines require the creator to choose it from the levels
/// <c>creator_info</c> offers, with no default chosen for them (and an unaudited app may post SELF_ONLY only). So the
/// level is the creator's request when it is on offer; no request, or one not on offer, refuses the post before anything
/// is created, naming the levels on offer.
/// </summary>
public static class TikTokPrivacy
{
    /// <summary>TikTok's privacy levels, most private first.</summary>
    public static readonly IReadOnlyList<string> MostPrivateFirst = ["SELF_ONLY", "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "PUBLIC_TO_EVERYONE"];

    public const string SelfOnly = "SELF_ONLY";

    public static string Choose(string? requested, IReadOnlyCollection<string> options)
    {
        if (options.Count == 0)
        {
            throw Refused("TikTok offers this creator no privacy level to post with.");
        }

        var offered = string.Join(", ", options);
        if (string.IsNullOrWhiteSpace(requested))
        {
            throw Refused($"TikTok requires the creator to choose who can see each post ({offered}); this post names no privacy level, and PostNext does not choose one for the creator.");
        }

        return options.Contains(requested, StringComparer.Ordinal)
            ? requested
            : throw Refused($"TikTok does not offer this creator the privacy level {requested}; choose one of {offered}.");
    }

    private static PlatformException Refused(string message) =>
        new(new PlatformError(ErrorCategory.InvalidContent, message, null, null, "privacy_level_option_mismatch"));
}

/// <summary>
/// How a FILE_UPLOAD is cut (media transfer guide): chunks of 5–64 MB, sent in order, at most 1,000;
/// <c>total_chunk_count = floor(video_size / chunk_size)</c>, the last chunk taking the remainder (so up to 128 MB);
/// a video under 5 MB, or no larger than one chunk, goes whole.
/// </summary>
public sealed record TikTokChunkPlan(long VideoSize, long ChunkSize, int ChunkCount)
{
    public const long MinChunk = 5L * 1024 * 1024;
    public const long MaxChunk = 64L * 1024 * 1024;
    public const int MaxChunks = 1000;

    public static TikTokChunkPlan For(long videoSize, long preferredChunk)
    {
        var chunk = Math.Clamp(preferredChunk, MinChunk, MaxChunk);
        if (videoSize <= chunk)
        {
            return new TikTokChunkPlan(videoSize, videoSize, 1);
        }

        chunk = Math.Max(chunk, (videoSize + MaxChunks - 1) / MaxChunks);
        return new TikTokChunkPlan(videoSize, chunk, (int)(videoSize / chunk));
    }

    /// <summary>The byte range of chunk <paramref name="index"/> (the last one runs to the end).</summary>
    public (long First, long Length) Chunk(int index) =>
        (index * ChunkSize, index == ChunkCount - 1 ? VideoSize - (index * ChunkSize) : ChunkSize);
}
