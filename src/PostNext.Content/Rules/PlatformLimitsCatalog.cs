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
        },

        // platforms.md §2 LinkedIn, "Content limits" and "Publishing": commentary 3,000; one video,
        // or multiImage up to 20 (⚠ 9 in older docs); video never mixed with images. Text-only allowed.
        PlatformIds.LinkedIn => new()
        {
            MaxTextLength = 3_000,
            MaxImages = 20,
            MaxVideos = 1,
            AllowMixedMedia = false,
        },

        // platforms.md §3 Facebook Pages, "Content limits": 63,206 chars; 10 photos (mixpost cap) or 1 video, no mixing.
        PlatformIds.Facebook => new()
        {
            MaxTextLength = 63_206,
            MaxImages = 10,
            MaxVideos = 1,
            AllowMixedMedia = false,
        },

        // platforms.md §4 Instagram, "Content limits": media required; caption 2,200, ≤30 hashtags, ≤20 @mentions;
        // 1 item or a carousel of up to 10, images and videos mixed.
        PlatformIds.Instagram => new()
        {
            MaxTextLength = 2_200,
            MaxHashtags = 30,
            MaxMentions = 20,
            RequiredMedia = MediaRequirement.Any,
            MaxMediaItems = 10,
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
        },

        // platforms.md §6 YouTube, "Content limits": one video required; title ≤100 chars, description
        // (the post text) ≤5,000 bytes, no '<' or '>' in either. A title is not documented as required.
        PlatformIds.YouTube => new()
        {
            MaxDescriptionBytes = 5_000,
            MaxTitleLength = 100,
            ForbiddenCharacters = "<>",
            RequiredMedia = MediaRequirement.Video,
            MaxImages = 0,
            MaxVideos = 1,
        },

        _ => throw new ArgumentException($"Unknown platform '{platformId}'.", nameof(platformId)),
    };
}
