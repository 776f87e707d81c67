using Microsoft.Extensions.Configuration;
using PostNext.Abstractions.Platforms;

namespace PostNext.Content.Rules;

/// <summary>
/// The one place that knows each platform's content limits: the documented defaults below, each field
/// overridable from <c>PostNext:Platforms:&lt;id&gt;:Limits:&lt;Field&gt;</c> (numbers drift; see the ⚠ notes in platforms.md).
/// </summary>
public sealed class PlatformLimitsCatalog
{
    /// <summary>The configuration section that holds one subsection per platform id.</summary>
    public const string ConfigurationSection = "PostNext:Platforms";

    private const long MB = 1024 * 1024;
    private const long GB = 1024 * MB;
    private const double NineBySixteen = 9 / 16.0;

    // How far from an exact ratio a "9:16" file may be (1080×1920 is exact; 720×1280, 540×960 too; rounding in encoders is not).
    private const double AspectTolerance = 0.01;

    private readonly Dictionary<string, PlatformLimits> _byPlatform;

    private PlatformLimitsCatalog(Dictionary<string, PlatformLimits> byPlatform) => _byPlatform = byPlatform;

    /// <summary>The documented defaults for every platform, with no configuration applied.</summary>
    public static PlatformLimitsCatalog Defaults() =>
        new(PlatformIds.All.ToDictionary(id => id, DefaultsFor, StringComparer.Ordinal));

    /// <summary>The defaults, with every field found under <see cref="SectionFor"/> overriding its default.</summary>
    public static PlatformLimitsCatalog FromConfiguration(IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var catalog = Defaults();
        foreach (var (platformId, limits) in catalog._byPlatform)
        {
            configuration.GetSection(SectionFor(platformId)).Bind(limits);
        }

        return catalog;
    }

    /// <summary>The configuration path of one platform's limits, e.g. <c>PostNext:Platforms:x:Limits</c>.</summary>
    public static string SectionFor(string platformId) => $"{ConfigurationSection}:{platformId}:Limits";

    /// <summary>The limits of a known platform id (see <see cref="PlatformIds"/>).</summary>
    public PlatformLimits For(string platformId) =>
        _byPlatform.TryGetValue(platformId, out var limits)
            ? limits
            : throw new ArgumentException($"Unknown platform '{platformId}'.", nameof(platformId));

    /// <summary>A fresh copy of the documented defaults of one platform.</summary>
    public static PlatformLimits DefaultsFor(string platformId) => platformId switch
    {
        // Generous on purpose: the sandbox exercises the pipeline and accepts text-only posts.
        PlatformIds.Sandbox => new()
        {
            MaxTextLength = 10_000,
            MaxTitleLength = 1_000,
            MaxMediaItems = 10,
        },

        // platforms.md §1 X, "Content limits": 280 weighted (Premium up to 25,000 — override per deployment);
        // 4 photos or 1 GIF/video, no mixing. Invalid characters are twitter-text's (hasInvalidCharacters).
        PlatformIds.X => new()
        {
            MaxTextLength = 280,
            TextCounting = TextCounting.TwitterWeighted,
            ForbiddenCharacters = TwitterText.InvalidCharacters,
            MaxImages = 4,
            MaxVideos = 1,
            AllowMixedMedia = false,
            // docs.x.com "Media best practices" (x-api/media/quickstart/best-practices) and "Media" (x-api/media): images
            // JPEG/PNG/GIF/WebP up to 5 MB (GIF 15 MB), 4–8192 px; video MP4/MOV, 0.5 s–20 min for a default account
            // (Premium 125 min: override MaxDuration), aspect ratio 1:3–3:1.
            Media = new()
            {
                Image = new() { Formats = ["jpeg", "png", "gif", "webp"], MaxBytes = 5 * MB, MaxBytesByFormat = new() { ["gif"] = 15 * MB }, MinWidth = 4, MinHeight = 4, MaxWidth = 8192, MaxHeight = 8192 },
                Video = new() { Formats = ["mp4", "mov"], MaxBytes = 8L * GB, MinDuration = TimeSpan.FromSeconds(0.5), MaxDuration = TimeSpan.FromMinutes(20), MinAspectRatio = 1 / 3.0, MaxAspectRatio = 3 },
            },
        },

        // platforms.md §2 LinkedIn, "Content limits" and "Publishing": commentary 3,000; one video,
        // or multiImage up to 20 (⚠ 9 in older docs); video never mixed with images. Text-only allowed.
        PlatformIds.LinkedIn => new()
        {
            MaxCommentLength = 1_250,
            MaxTextLength = 3_000,
            MaxImages = 20,
            MaxVideos = 1,
            AllowMixedMedia = false,
            // learn.microsoft.com LinkedIn "Images API" (JPG/GIF/PNG, under 36,152,320 pixels) and "Videos API" (MP4,
            // 3 s–30 min, 75 KB–500 MB); aspect ratio 1:2.4–2.4:1 and images ≤5 MB as Ayrshare's media guidelines list them (⚠ 3p).
            Media = new()
            {
                Image = new() { Formats = ["jpeg", "png", "gif"], MaxBytes = 5 * MB, MaxPixels = 36_152_320 },
                Video = new() { Formats = ["mp4"], MaxBytes = 500 * MB, MinDuration = TimeSpan.FromSeconds(3), MaxDuration = TimeSpan.FromMinutes(30), MinAspectRatio = 1 / 2.4, MaxAspectRatio = 2.4 },
            },
        },

        // platforms.md §3 Facebook Pages, "Content limits": 63,206 chars; 10 photos (mixpost cap) or 1 video, no mixing.
        PlatformIds.Facebook => new()
        {
            MaxCommentLength = 8_000,
            MaxTextLength = 63_206,
            MaxImages = 10,
            MaxVideos = 1,
            AllowMixedMedia = false,
            // developers.facebook.com "Reels Publishing API" (video specifications: MP4, 9:16, at least 540×960, 3–90 s;
            // a reel shared as a story ≤60 s) and "Page Stories API" (photos ≤10 MB, ⚠ 4 MB in one locale); feed photos
            // JPEG/PNG/GIF/BMP/TIFF ≤10 MB and videos MP4/MOV/AVI ≤10 GB, ≤4 h as Ayrshare lists them (⚠ 3p).
            Media = new()
            {
                Image = new() { Formats = ["jpeg", "png", "gif", "bmp", "tiff", "webp"], MaxBytes = 10 * MB },
                Video = new() { Formats = ["mp4", "mov", "avi"], MaxBytes = 10L * GB, MaxDuration = TimeSpan.FromHours(4) },
            },
            Placements =
            {
                [MediaPlacements.Reel] = new()
                {
                    Video = new() { Formats = ["mp4", "mov"], MaxBytes = 1L * GB, MinDuration = TimeSpan.FromSeconds(3), MaxDuration = TimeSpan.FromSeconds(90), MinWidth = 540, MinHeight = 960, MinAspectRatio = NineBySixteen - AspectTolerance, MaxAspectRatio = NineBySixteen + AspectTolerance },
                },
                [MediaPlacements.Story] = new()
                {
                    Image = new() { Formats = ["jpeg", "png"], MaxBytes = 10 * MB },
                    Video = new() { Formats = ["mp4", "mov"], MaxBytes = 1L * GB, MinDuration = TimeSpan.FromSeconds(3), MaxDuration = TimeSpan.FromSeconds(60), MinWidth = 540, MinHeight = 960, MinAspectRatio = NineBySixteen - AspectTolerance, MaxAspectRatio = NineBySixteen + AspectTolerance },
                },
            },
        },

        // platforms.md §4 Instagram, "Content limits": media required; caption 2,200, ≤30 hashtags, ≤20 @mentions;
        // 1 item or a carousel of up to 10, images and videos mixed.
        PlatformIds.Instagram => new()
        {
            MaxCommentLength = 2_200,
            MaxTextLength = 2_200,
            MaxHashtags = 30,
            MaxMentions = 20,
            RequiredMedia = MediaRequirement.Any,
            MaxMediaItems = 10,
            // developers.facebook.com Instagram Platform "IG User Media" reference, image and reel specifications: images
            // JPEG only, ≤8 MB, aspect 4:5–1.91:1, at least 320 px wide (wider than 1440 is scaled, not refused); feed videos
            // are reels: MOV/MP4, 3 s–15 min, ≤300 MB (⚠ 1 GB in other sources), aspect 0.01:1–10:1, ≤1920 px wide.
            // Stories: images as in the feed but any aspect ratio 0.1:1–10:1; video 3–60 s, ≤100 MB.
            Media = new()
            {
                Image = new() { Formats = ["jpeg"], MaxBytes = 8 * MB, MinWidth = 320, MinAspectRatio = 0.8, MaxAspectRatio = 1.91 },
                Video = new() { Formats = ["mp4", "mov"], MaxBytes = 300 * MB, MinDuration = TimeSpan.FromSeconds(3), MaxDuration = TimeSpan.FromMinutes(15), MaxWidth = 1920, MinAspectRatio = 0.01, MaxAspectRatio = 10 },
            },
            Placements =
            {
                [MediaPlacements.Story] = new()
                {
                    Image = new() { Formats = ["jpeg"], MaxBytes = 8 * MB, MinWidth = 320, MinAspectRatio = 0.1, MaxAspectRatio = 10 },
                    Video = new() { Formats = ["mp4", "mov"], MaxBytes = 100 * MB, MinDuration = TimeSpan.FromSeconds(3), MaxDuration = TimeSpan.FromSeconds(60), MaxWidth = 1920, MinAspectRatio = 0.1, MaxAspectRatio = 10 },
                },
            },
        },

        // platforms.md §5 TikTok, "Content limits": 1 video or 1–35 photos, no mixing; caption 2,200
        // (⚠ postiz 2,000); photo-post title ≤90.
        PlatformIds.TikTok => new()
        {
            MaxTextLength = 2_200,
            MaxTitleLength = 90,
            RequiredMedia = MediaRequirement.Any,
            MaxImages = 35,
            MaxVideos = 1,
            AllowMixedMedia = false,
            // developers.tiktok.com "Media Transfer Guide" (video and image restrictions): video MP4/WebM/MOV ≤4 GB, up to
            // 10 min (the creator's max_video_post_duration_sec may be lower; the connector checks it), 360–4096 px a side;
            // photos JPEG/WebP ≤20 MB, at most 1080p (1920×1080 pixels). The 3 s minimum is Ayrshare's (⚠ 3p).
            Media = new()
            {
                Image = new() { Formats = ["jpeg", "webp"], MaxBytes = 20 * MB, MaxPixels = 1920 * 1080 },
                Video = new() { Formats = ["mp4", "webm", "mov"], MaxBytes = 4L * GB, MinDuration = TimeSpan.FromSeconds(3), MaxDuration = TimeSpan.FromMinutes(10), MinWidth = 360, MaxWidth = 4096, MinHeight = 360, MaxHeight = 4096 },
            },
        },

        // platforms.md §6 YouTube, "Content limits": one video required; title ≤100 chars, description
        // (the post text) ≤5,000 bytes, no '<' or '>' in either. A title is not documented as required.
        PlatformIds.YouTube => new()
        {
            MaxCommentLength = 10_000,
            MaxDescriptionBytes = 5_000,
            MaxTitleLength = 100,
            ForbiddenCharacters = "<>",
            RequiredMedia = MediaRequirement.Video,
            MaxImages = 0,
            MaxVideos = 1,
            // support.google.com/youtube "Upload videos longer than 15 minutes" (at most 256 GB or 12 hours) and "Supported
            // YouTube file formats" (MOV, MP4, AVI, WebM, WMV, FLV, 3GPP, …): any format, so only size and duration are checked.
            Media = new()
            {
                Video = new() { MaxBytes = 256L * GB, MaxDuration = TimeSpan.FromHours(12) },
            },
        },

        _ => throw new ArgumentException($"Unknown platform '{platformId}'.", nameof(platformId)),
    };
}
