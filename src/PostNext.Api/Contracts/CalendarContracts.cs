using System.ComponentModel;

namespace PostNext.Api.Contracts;

public sealed record CalendarResponse(DateTimeOffset From, DateTimeOffset To, IReadOnlyList<CalendarEntryResponse> Entries, string? NextCursor);

/// <summary>One publication on the calendar, with what a calendar shows of it (no need to fetch its post).</summary>
public sealed record CalendarEntryResponse(
    string PostId, string AccountId, string Platform, string Status,
    [property: Description("When it goes out: the deferral time if deferred, else the scheduled time.")] DateTimeOffset At,
    DateTimeOffset ScheduledAt,
    DateTimeOffset? PublishedAt,
    [property: Description("The start of the text this publication publishes (its account's override if any), at most 80 characters and an ellipsis.")] string? Text = null,
    [property: Description("Why it waits (deferred: a rate limit, the account to reconnect…), at most 300 characters.")] string? DeferReason = null,
    [property: Description("The post on the platform, once published.")] string? Permalink = null,
    [property: Description("Why it failed or is unconfirmed (message at most 300 characters).")] ErrorDto? Error = null);
