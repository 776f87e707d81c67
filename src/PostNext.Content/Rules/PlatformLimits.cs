namespace PostNext.Content.Rules;

/// <summary>How a platform measures the length of a post's text.</summary>
public enum TextCounting
{
    /// <summary>UTF-16 code units, as <c>string.Length</c> counts them.</summary>
    Utf16,

    /// <summary>Unicode code points of the NFC-normalized text: what "characters" means on most platforms.</summary>
    CodePoints,

    /// <summary>twitter-text v3 weighted length: URLs 23, emoji and CJK 2, Latin 1 (see <see cref="TwitterText"/>).</summary>
    TwitterWeighted,

    /// <summary>UTF-8 bytes of the text as sent.</summary>
    Utf8Bytes,
}

/// <summary>Which media a post must carry to be published.</summary>
public enum MediaRequirement
{
    /// <summary>Text-only posts are fine.</summary>
    None,

    /// <summary>At least one image or video (Instagram, TikTok).</summary>
    Any,

    /// <summary>At least one video (YouTube).</summary>
    Video,
}

/// <summary>
/// What one platform accepts in a post. Defaults live in <see cref="PlatformLimitsCatalog"/>;
/// each field can be overridden from <c>PostNext:Platforms:&lt;id&gt;:Limits</c>. A null limit means "no limit".
/// </summary>
public sealed class PlatformLimits
{
    /// <summary>Longest text allowed, measured with <see cref="TextCounting"/>.</summary>
    public int? MaxTextLength { get; set; }

    /// <summary>How <see cref="MaxTextLength"/> is measured.</summary>
    public TextCounting TextCounting { get; set; } = TextCounting.CodePoints;

    /// <summary>Whether the text may be empty.</summary>
    public bool RequiresText { get; set; }

    /// <summary>Most UTF-8 bytes of the text when it becomes a description (YouTube).</summary>
    public int? MaxDescriptionBytes { get; set; }

    /// <summary>Characters the platform rejects in the text and the title.</summary>
    public string ForbiddenCharacters { get; set; } = string.Empty;

    /// <summary>Most hashtags in the text.</summary>
    public int? MaxHashtags { get; set; }

    /// <summary>Most @mentions in the text.</summary>
    public int? MaxMentions { get; set; }

    /// <summary>Whether a title must be given.</summary>
    public bool RequiresTitle { get; set; }

    /// <summary>Longest title in characters (code points of the NFC-normalized title).</summary>
    public int? MaxTitleLength { get; set; }

    /// <summary>Which media the post must carry.</summary>
    public MediaRequirement RequiredMedia { get; set; } = MediaRequirement.None;

    /// <summary>Most media items of any kind in one post.</summary>
    public int? MaxMediaItems { get; set; }

    /// <summary>Longest first comment, in characters (code points of the NFC-normalized text); null where the platform takes none.</summary>
    public int? MaxCommentLength { get; set; }

    /// <summary>Most images in one post.</summary>
    public int? MaxImages { get; set; }

    /// <summary>Most videos in one post.</summary>
    public int? MaxVideos { get; set; }

    /// <summary>Whether images and videos may be combined in one post.</summary>
    public bool AllowMixedMedia { get; set; } = true;

    /// <summary>
    /// The file rules (format, size, dimensions, aspect ratio, duration) of a feed post, read from each file's headers
    /// before the post is accepted and again before the platform call (see <see cref="MediaRules"/>).
    /// </summary>
    public MediaLimits Media { get; set; } = new();

    /// <summary>Other placements' file rules (<see cref="MediaPlacements"/> reel, story) where they differ from <see cref="Media"/>.</summary>
    public Dictionary<string, MediaLimits> Placements { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>The file rules of a placement: its own when it has them, the feed's otherwise.</summary>
    public MediaLimits MediaFor(string? placement) =>
        placement is not null && Placements.TryGetValue(placement, out var limits) ? limits : Media;
}
