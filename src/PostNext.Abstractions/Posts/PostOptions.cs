namespace PostNext.Abstractions.Posts;

/// <summary>
/// The choices made for one target on its platform (only the block of the target's platform is set). Every field is
/// optional in storage, so posts stored before options existed read back with none.
/// </summary>
[GenerateSerializer, Immutable, Alias("PostNext.PostOptions")]
public sealed record PostOptions(
    [property: Id(0)] TikTokPostOptions? TikTok = null,
    [property: Id(1)] YouTubePostOptions? YouTube = null,
    [property: Id(2)] InstagramPostOptions? Instagram = null,
    [property: Id(3)] FacebookPostOptions? Facebook = null,
    [property: Id(4)] LinkedInPostOptions? LinkedIn = null,
    [property: Id(5)] XPostOptions? X = null);

/// <summary>
/// X: a thread. <see cref="Thread"/> are the parts that follow the post, in order, each published as a reply to the
/// one before it (the post itself is the first part). At most <see cref="MaxReplies"/>, so a thread has at most 25 parts.
/// </summary>
[GenerateSerializer, Immutable, Alias("PostNext.XPostOptions")]
public sealed record XPostOptions([property: Id(0)] IReadOnlyList<ThreadPart>? Thread = null)
{
    public const int MaxReplies = 24;

    /// <summary>Value equality, parts compared item by item.</summary>
    public bool Equals(XPostOptions? other) => other is not null && (Thread ?? []).SequenceEqual(other.Thread ?? []);

    public override int GetHashCode() => Thread?.Count ?? 0;
}

/// <summary>One part of an X thread after the post: its text and media (X's rules for a post apply to each part).</summary>
[GenerateSerializer, Immutable, Alias("PostNext.ThreadPart")]
public sealed record ThreadPart([property: Id(0)] string Text, [property: Id(1)] IReadOnlyList<MediaItem>? Media = null)
{
    /// <summary>Value equality, media compared item by item.</summary>
    public bool Equals(ThreadPart? other) => other is not null && Text == other.Text && (Media ?? []).SequenceEqual(other.Media ?? []);

    public override int GetHashCode() => HashCode.Combine(Text, Media?.Count);
}

/// <summary>
/// TikTok's Direct Post choices, which TikTok requires the creator to make (none is made for them): who can see the
/// post (one of creator_info's <c>privacy_level_options</c>), whether others may comment, duet or stitch (off unless
/// allowed), and the commercial-content disclosure: <see cref="YourBrand"/> (<c>brand_organic_toggle</c>) and
/// <see cref="BrandedContent"/> (<c>brand_content_toggle</c>, a paid partnership).
/// </summary>
[GenerateSerializer, Immutable, Alias("PostNext.TikTokPostOptions")]
public sealed record TikTokPostOptions(
    [property: Id(0)] string PrivacyLevel,
    [property: Id(1)] bool AllowComments = false,
    [property: Id(2)] bool AllowDuets = false,
    [property: Id(3)] bool AllowStitches = false,
    [property: Id(4)] bool YourBrand = false,
    [property: Id(5)] bool BrandedContent = false)
{
    public const string SelfOnly = "SELF_ONLY";

    /// <summary>TikTok's privacy levels, most private first.</summary>
    public static readonly IReadOnlyList<string> PrivacyLevels = [SelfOnly, "MUTUAL_FOLLOW_FRIENDS", "FOLLOWER_OF_CREATOR", "PUBLIC_TO_EVERYONE"];
}

/// <summary>
/// YouTube's video settings. <see cref="Title"/> and <see cref="Description"/> replace the target's title and text;
/// unset fields keep the defaults (public, not made for kids, category 22 "People &amp; Blogs", no tags or thumbnail).
/// </summary>
[GenerateSerializer, Immutable, Alias("PostNext.YouTubePostOptions")]
public sealed record YouTubePostOptions(
    [property: Id(0)] string? Title = null,
    [property: Id(1)] string? Description = null,
    [property: Id(2)] IReadOnlyList<string>? Tags = null,
    [property: Id(3)] string? CategoryId = null,
    [property: Id(4)] string? Privacy = null,
    [property: Id(5)] bool? MadeForKids = null,
    [property: Id(6)] string? ThumbnailUrl = null,
    [property: Id(7)] string? FirstComment = null)
{
    public static readonly IReadOnlyList<string> Privacies = ["public", "unlisted", "private"];

    /// <summary>Value equality, tags compared item by item (so a repeated schedule is recognised as the same).</summary>
    public bool Equals(YouTubePostOptions? other) =>
        other is not null && Title == other.Title && Description == other.Description && CategoryId == other.CategoryId && Privacy == other.Privacy &&
        MadeForKids == other.MadeForKids && ThumbnailUrl == other.ThumbnailUrl && FirstComment == other.FirstComment && (Tags ?? []).SequenceEqual(other.Tags ?? []);

    public override int GetHashCode() => HashCode.Combine(Title, Description, CategoryId, Privacy, MadeForKids, ThumbnailUrl, Tags?.Count);
}

/// <summary>
/// Instagram: a feed post (the default), a reel or a story; whether a reel also shows in the feed; up to three
/// collaborators (usernames invited as co-authors; feed posts and reels); alt text of a single image in the feed.
/// </summary>
[GenerateSerializer, Immutable, Alias("PostNext.InstagramPostOptions")]
public sealed record InstagramPostOptions(
    [property: Id(0)] string? Type = null,
    [property: Id(1)] bool? ShareToFeed = null,
    [property: Id(2)] IReadOnlyList<string>? Collaborators = null,
    [property: Id(3)] string? AltText = null,
    [property: Id(4)] string? FirstComment = null)
{
    public static readonly IReadOnlyList<string> Types = [PostTypes.Feed, PostTypes.Reel, PostTypes.Story];

    /// <summary>Value equality, collaborators compared item by item.</summary>
    public bool Equals(InstagramPostOptions? other) =>
        other is not null && Type == other.Type && ShareToFeed == other.ShareToFeed && AltText == other.AltText && FirstComment == other.FirstComment &&
        (Collaborators ?? []).SequenceEqual(other.Collaborators ?? []);

    public override int GetHashCode() => HashCode.Combine(Type, ShareToFeed, AltText, Collaborators?.Count);
}

/// <summary>
/// Facebook Page: what the post becomes: a feed post (the default), a reel (exactly one video, its text the reel's
/// description) or a story (exactly one photo or video; Page stories carry no text, so the text is not shown).
/// </summary>
[GenerateSerializer, Immutable, Alias("PostNext.FacebookPostOptions")]
public sealed record FacebookPostOptions([property: Id(0)] string? Type = null, [property: Id(1)] string? FirstComment = null)
{
    public static readonly IReadOnlyList<string> Supported = [PostTypes.Feed, PostTypes.Reel, PostTypes.Story];
}

/// <summary>LinkedIn: who sees the post. <c>PUBLIC</c> (the default), <c>CONNECTIONS</c> (members only) or <c>LOGGED_IN</c>.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.LinkedInPostOptions")]
public sealed record LinkedInPostOptions([property: Id(0)] string? Visibility = null, [property: Id(1)] string? FirstComment = null)
{
    public static readonly IReadOnlyList<string> Visibilities = ["PUBLIC", "CONNECTIONS", "LOGGED_IN"];
}

/// <summary>The kinds of post a platform may make of one target.</summary>
public static class PostTypes
{
    public const string Feed = "feed";
    public const string Reel = "reel";
    public const string Story = "story";

    /// <summary>The kind of post <paramref name="options"/> chose (a Facebook Page's or an Instagram account's), or null for the platform's default.</summary>
    public static string? Of(PostOptions? options) => options?.Facebook?.Type ?? options?.Instagram?.Type;
}
