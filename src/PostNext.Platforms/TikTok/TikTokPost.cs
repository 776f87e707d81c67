using System.Text.Json.Nodes;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Posts;
using PostNext.Content.Options;
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
    /// The <c>/v2/post/publish/video/init/</c> body for a FILE_UPLOAD of <paramref name="plan"/>, with the creator's
    /// choices: privacy, the interactions they allowed (off otherwise) and the commercial-content disclosure.
    /// </summary>
    public JsonObject VideoInitBody(TikTokChoices choices, TikTokChunkPlan plan) => new()
    {
        ["post_info"] = new JsonObject
        {
            ["title"] = Text,
            ["privacy_level"] = choices.PrivacyLevel,
            ["disable_duet"] = !choices.AllowDuets,
            ["disable_comment"] = !choices.AllowComments,
            ["disable_stitch"] = !choices.AllowStitches,
            ["brand_content_toggle"] = choices.BrandedContent,
            ["brand_organic_toggle"] = choices.YourBrand,
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
    /// is sent only when the post has one. Photo posts have no duets or stitches.
    /// </summary>
    public JsonObject PhotoInitBody(TikTokChoices choices)
    {
        var postInfo = new JsonObject();
        if (Title is not null)
        {
            postInfo["title"] = Title;
        }

        postInfo["description"] = Text;
        postInfo["privacy_level"] = choices.PrivacyLevel;
        postInfo["disable_comment"] = !choices.AllowComments;
        postInfo["auto_add_music"] = true;
        postInfo["brand_content_toggle"] = choices.BrandedContent;
        postInfo["brand_organic_toggle"] = choices.YourBrand;
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
internal sealed record TikTokCreator(IReadOnlyList<string> PrivacyOptions, bool CommentDisabled, bool DuetDisabled, bool StitchDisabled, string? Username, int? MaxVideoDurationSeconds)
{
    public static TikTokCreator Read(JsonNode? data) => new(
        [.. (data?["privacy_level_options"] as JsonArray ?? []).Select(o => o?.ToString()).OfType<string>()],
        data?["comment_disabled"]?.GetValue<bool>() ?? false,
        data?["duet_disabled"]?.GetValue<bool>() ?? false,
        data?["stitch_disabled"]?.GetValue<bool>() ?? false,
        data?["creator_username"]?.ToString(),
        data?["max_video_post_duration_sec"]?.GetValue<int>());

    public PublishingChoices Choices => new(PrivacyOptions, CommentDisabled, DuetDisabled, StitchDisabled, MaxVideoDurationSeconds);
}

/// <summary>
/// The creator's choices for one post, checked against what creator_info offers now. TikTok's content-sharing
/// guidelines require the creator to choose the privacy level from the levels on offer, with none chosen for them (an
/// unaudited app is offered SELF_ONLY only); interactions stay off unless the creator allowed them, and one the
/// creator turned off in TikTok cannot be allowed; branded content (a paid partnership) cannot be private. Anything
/// else refuses the post before anything is created, naming what to choose.
/// </summary>
public sealed record TikTokChoices(string PrivacyLevel, bool AllowComments, bool AllowDuets, bool AllowStitches, bool YourBrand, bool BrandedContent)
{
    public static TikTokChoices Check(TikTokPostOptions? options, PublishingChoices offered)
    {
        if (offered.PrivacyLevels.Count == 0)
        {
            throw Refused("TikTok offers this creator no privacy level to post with.");
        }

        if (OptionRules.TikTok(options).Concat(OptionRules.CheckOffered(options, offered)).FirstOrDefault() is { } problem)
        {
            throw Refused($"{problem.Message} TikTok offers this creator: {string.Join(", ", offered.PrivacyLevels)}.");
        }

        return new TikTokChoices(options!.PrivacyLevel, options.AllowComments, options.AllowDuets, options.AllowStitches, options.YourBrand, options.BrandedContent);
    }

    internal static TikTokChoices Check(TikTokPostOptions? options, TikTokCreator creator) => Check(options, creator.Choices);

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
