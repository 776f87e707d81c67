namespace PostNext.Api.Contracts;

public sealed record CreatePostRequest(ContentDto? Content, IReadOnlyList<TargetDto>? Targets, ScheduleDto? Schedule, bool? Draft);

/// <summary>A partial update: fields left out stay as they are.</summary>
public sealed record UpdatePostRequest(ContentDto? Content, IReadOnlyList<TargetDto>? Targets, ScheduleDto? Schedule, bool? Draft);

public sealed record ContentDto(string? Text, string? Title, IReadOnlyList<MediaDto>? Media);

public sealed record MediaDto(string? Url, string? Type);

public sealed record TargetDto(string? AccountId, OverridesDto? Overrides);

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
    string? ExternalId, string? Permalink, DateTimeOffset? PublishedAt, ErrorDto? Error, bool Late, int Attempts, OverridesDto? Overrides);

public sealed record ErrorDto(string Category, string Message);

/// <summary>One content rule a target broke.</summary>
public sealed record ViolationDto(string AccountId, string Platform, string Code, string Field, string Message);

/// <summary>A page of the posts list, newest first; <see cref="NextCursor"/> is null when nothing is left.</summary>
public sealed record PostListResponse(IReadOnlyList<PostSummaryResponse> Posts, string? NextCursor);

/// <summary>A post as listed: its status, text and each target's publication status and time.</summary>
public sealed record PostSummaryResponse(
    string Id, string Status, string Text, string? Title, IReadOnlyList<PostSummaryTargetResponse> Targets, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);

/// <summary>A listed post's target; <see cref="Status"/> is null for a draft's target or a publication not created yet.</summary>
public sealed record PostSummaryTargetResponse(string AccountId, string Platform, string? Status, DateTimeOffset? At, DateTimeOffset? PublishedAt);
