using System.ComponentModel;
using System.Text.Json.Serialization;

namespace PostNext.Api.Contracts;

public sealed record CreatePostRequest(ContentDto? Content, IReadOnlyList<TargetDto>? Targets, ScheduleDto? Schedule, bool? Draft);

/// <summary>A partial update: fields left out stay as they are.</summary>
public sealed record UpdatePostRequest(ContentDto? Content, IReadOnlyList<TargetDto>? Targets, ScheduleDto? Schedule, bool? Draft);

public sealed record ContentDto(string? Text, string? Title, IReadOnlyList<MediaDto>? Media);

public sealed record MediaDto(string? Url, string? Type);

/// <summary>One account to publish to, with optional content overrides and the choices for its platform (<see cref="TargetOptionsDto"/>).</summary>
public sealed record TargetDto(string? AccountId, OverridesDto? Overrides, TargetOptionsDto? Options = null);

public sealed record OverridesDto(string? Text, string? Title, IReadOnlyList<MediaDto>? Media);

/// <summary>
/// When to publish: <c>{"at": "2026-12-01T09:00:00+01:00"}</c> (or a local time plus <c>timeZone</c>),
/// <c>{"mode": "now"}</c>, <c>{"mode": "queue"}</c> (each account's next free queue slot) or
/// <c>{"mode": "best_time", "window": {"from": …, "to": …}}</c> (each account's best free slot in the window).
/// </summary>
public sealed record ScheduleDto(string? At, string? Mode, string? TimeZone, BestTimeWindowDto? Window = null);

public sealed record PostResponse(
    string Id, string Status, ContentDto Content, IReadOnlyList<PostTargetResponse> Targets, string TimeZone, string ScheduleMode,
    DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

public sealed record PostTargetResponse(
    string AccountId, string Platform, string Status, DateTimeOffset? ScheduledAt, DateTimeOffset? DeferredUntil, string? DeferReason,
    string? ExternalId, string? Permalink, DateTimeOffset? PublishedAt, ErrorDto? Error, bool Late, int Attempts, OverridesDto? Overrides,
    TargetOptionsDto? Options = null, IReadOnlyList<PublicationPartDto>? Parts = null);

public sealed record ErrorDto(string Category, string Message);

/// <summary>One content rule a target broke.</summary>
public sealed record ViolationDto(string AccountId, string Platform, string Code, string Field, string Message);

/// <summary>A page of the posts list, newest first; <see cref="NextCursor"/> is null when nothing is left.</summary>
public sealed record PostListResponse(IReadOnlyList<PostSummaryResponse> Posts, string? NextCursor);

/// <summary>A post as listed: its status, text and each target's publication status and time.</summary>
public sealed record PostSummaryResponse(
    string Id, string Status, string Text, string? Title, IReadOnlyList<PostSummaryTargetResponse> Targets, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>
/// A listed post's target; <see cref="Status"/> is null for a draft's target or a publication not created yet. Once the
/// post itself is out, <see cref="PublishedAt"/> says when, and the post counts as published, even while
/// <see cref="PartsPending"/> says the rest of its chain (thread replies, a first comment) still waits, e.g. for a retry
/// (each part's status: <c>parts</c> of GET /posts/{id}).
/// </summary>
public sealed record PostSummaryTargetResponse(
    string AccountId, string Platform, string? Status, DateTimeOffset? At, DateTimeOffset? PublishedAt,
    [property: Description("True while the post itself is out and the rest of its chain (thread replies, a first comment) is still to be published.")]
    bool PartsPending = false);

/// <summary>
/// The choices for one target on its platform: set only the block of the target's platform (a block for another
/// platform is a 400). A TikTok target needs <c>tiktok.privacyLevel</c>.
/// </summary>
public sealed record TargetOptionsDto(
    [property: JsonPropertyName("tiktok")] TikTokOptionsDto? TikTok = null,
    [property: JsonPropertyName("youtube")] YouTubeOptionsDto? YouTube = null,
    [property: JsonPropertyName("instagram")] InstagramOptionsDto? Instagram = null,
    [property: JsonPropertyName("facebook")] FacebookOptionsDto? Facebook = null,
    [property: JsonPropertyName("linkedin")] LinkedInOptionsDto? LinkedIn = null,
    [property: JsonPropertyName("x")] XOptionsDto? X = null);

/// <summary>X: a thread. The post is its first part; each part here follows, published as a reply to the part before it.</summary>
public sealed record XOptionsDto(
    [property: Description("The parts after the post, in order (at most 24: a thread has at most 25 parts). Each is checked by X's rules for a post (weighted length, media); each is published once, as a reply to the part before it.")]
    IReadOnlyList<ThreadPartDto>? Thread = null);

/// <summary>One part of an X thread after the post.</summary>
public sealed record ThreadPartDto(
    [property: Description("The part's text (X counts it as a post: 280 weighted characters).")]
    string? Text,
    [property: Description("The part's images or video, as for a post.")]
    IReadOnlyList<MediaDto>? Media = null);

/// <summary>
/// One part of a published chain: part 0 is the post, then each thread reply or the first comment. <c>status</c>:
/// published, pending, publishing, unconfirmed (sent; the platform could not tell whether it arrived, so it is never sent
/// again: check the post), failed (refused; <c>error</c> says why) or not_sent (the chain stopped before it).
/// </summary>
public sealed record PublicationPartDto(int Index, string Kind, string Status, string? ExternalId, string? Permalink, string? Error);

/// <summary>TikTok Direct Post choices, made by the creator (TikTok's content-sharing guidelines: none is made for them).</summary>
public sealed record TikTokOptionsDto(
    [property: Description("Who can see the post; one of the levels TikTok's creator_info offers the account (an unaudited app: SELF_ONLY only). Required.")]
    string? PrivacyLevel,
    [property: Description("Let others comment (off unless set; refused when the creator turned comments off).")]
    bool? AllowComments = null,
    [property: Description("Let others duet (videos; off unless set; refused when the creator turned duets off).")]
    bool? AllowDuets = null,
    [property: Description("Let others stitch (videos; off unless set; refused when the creator turned stitches off).")]
    bool? AllowStitches = null,
    [property: Description("Commercial content promoting the creator's own business (TikTok's brand_organic_toggle): labelled 'Promotional content'.")]
    bool? YourBrand = null,
    [property: Description("Commercial content in a paid partnership with a third party (brand_content_toggle): labelled 'Paid partnership'; cannot be SELF_ONLY.")]
    bool? BrandedContent = null);

/// <summary>YouTube video settings; unset fields keep the defaults (public, not made for kids, category 22).</summary>
public sealed record YouTubeOptionsDto(
    [property: Description("The video's title (1–100 characters, no '<' or '>'); replaces the post's title.")]
    string? Title = null,
    [property: Description("The description (at most 5,000 bytes, no '<' or '>'); replaces the post's text.")]
    string? Description = null,
    [property: Description("Tags (at most 30 of at most 100 characters, 500 characters together).")]
    IReadOnlyList<string>? Tags = null,
    [property: Description("A YouTube video category id, e.g. \"22\" (People & Blogs).")]
    string? CategoryId = null,
    [property: Description("public (default), unlisted or private.")]
    string? Privacy = null,
    [property: Description("Self-declared made for kids (default false).")]
    bool? MadeForKids = null,
    [property: Description("An http(s) image URL set as the custom thumbnail after the upload (thumbnails.set).")]
    string? ThumbnailUrl = null,
    [property: Description("A first comment posted under the post once it is published (10,000 characters at most). Its failure leaves the post published.")]
    string? FirstComment = null);

/// <summary>Instagram: what the post becomes and who co-authors it.</summary>
public sealed record InstagramOptionsDto(
    [property: Description("feed (default), reel (one video) or story (one image or video).")]
    string? Type = null,
    [property: Description("A reel also shows in the feed (default true).")]
    bool? ShareToFeed = null,
    [property: Description("Up to 3 Instagram usernames invited as collaborators (feed posts and reels).")]
    IReadOnlyList<string>? Collaborators = null,
    [property: Description("Alt text of a single feed image (at most 1,000 characters).")]
    string? AltText = null,
    [property: Description("A first comment posted under the post once it is published (2,200; not on stories characters at most). Its failure leaves the post published.")]
    string? FirstComment = null);

/// <summary>Facebook Page: what the post becomes.</summary>
public sealed record FacebookOptionsDto(
    [property: Description("feed (default), reel (one 9:16 video, 3–90 s; the text is its description) or story (one image or video ≤60 s; the text is not shown).")]
    string? Type = null,
    [property: Description("A first comment posted under the post once it is published (8,000 characters at most; not on stories). Its failure leaves the post published.")]
    string? FirstComment = null);

/// <summary>LinkedIn: who sees the post.</summary>
public sealed record LinkedInOptionsDto(
    [property: Description("PUBLIC (default), CONNECTIONS (members only) or LOGGED_IN.")]
    string? Visibility = null,
    [property: Description("A first comment posted under the post once it is published (1,250 characters at most). Its failure leaves the post published.")]
    string? FirstComment = null);
