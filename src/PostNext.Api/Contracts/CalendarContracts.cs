namespace PostNext.Api.Contracts;

public sealed record CalendarResponse(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<CalendarEntryResponse> Entries, string? NextCursor);

public sealed record CalendarEntryResponse(
    string PostId, string AccountId, string Platform, string Status, DateTimeOffset At, DateTimeOffset ScheduledAt, DateTimeOffset? PublishedAt);
