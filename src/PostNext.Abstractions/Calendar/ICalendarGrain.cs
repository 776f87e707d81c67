namespace PostNext.Abstractions.Calendar;

using PostNext.Abstractions.Posts;

/// <summary>A workspace's calendar: range queries over its publications, answered from the calendar index without touching post grains. Key: the workspace id.</summary>
[Alias("PostNext.ICalendarGrain")]
public interface ICalendarGrain : IGrainWithStringKey
{
    /// <summary>The publications whose time falls in [From, To), ordered by time, one page at a time.</summary>
    [Alias("Query")]
    Task<CalendarPage> QueryAsync(CalendarQuery query);
}

[GenerateSerializer, Immutable, Alias("PostNext.CalendarQuery")]
public sealed record CalendarQuery(
    [property: Id(0)] string WorkspaceId,
    [property: Id(1)] DateTimeOffset From,
    [property: Id(2)] DateTimeOffset To,
    [property: Id(3)] string? AccountId,
    [property: Id(4)] string? Platform,
    [property: Id(5)] PublicationStatus? Status,
    [property: Id(6)] CalendarCursor? After,
    [property: Id(7)] int Limit);

/// <summary>The position after the last entry of a page.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.CalendarCursor")]
public sealed record CalendarCursor(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] string PostId,
    [property: Id(2)] string AccountId);

/// <summary>
/// One publication on the calendar. <see cref="At"/> is when it goes out: the deferral time if deferred, else the
/// scheduled time. <see cref="WakeAt"/> is when the publication next needs a tick (its time, the end of an attempt's
/// lease, its next reconciliation), null once final: the sweeper wakes only publications whose tick is overdue.
/// The row also carries what a calendar shows of the publication (the start of its text, why it waits, its
/// permalink, its error), written with its state, so a month is one read and no post is asked for its details.
/// </summary>
[GenerateSerializer, Immutable, Alias("PostNext.CalendarEntry")]
public sealed record CalendarEntry(
    [property: Id(0)] string WorkspaceId,
    [property: Id(1)] string PostId,
    [property: Id(2)] string AccountId,
    [property: Id(3)] string Platform,
    [property: Id(4)] PublicationStatus Status,
    [property: Id(5)] DateTimeOffset ScheduledAt,
    [property: Id(6)] DateTimeOffset At,
    [property: Id(7)] DateTimeOffset? PublishedAt,
    [property: Id(8)] long Revision,
    [property: Id(9)] DateTimeOffset? WakeAt = null,
    [property: Id(10)] DateTimeOffset? MetricsAt = null,
    [property: Id(11)] string? Snippet = null,
    [property: Id(12)] string? DeferReason = null,
    [property: Id(13)] string? Permalink = null,
    [property: Id(14)] PublicationError? Error = null)
{
    /// <summary>How much of the text a calendar entry keeps (characters).</summary>
    public const int SnippetLength = 80;

    /// <summary>How much of a deferral reason or an error message a calendar entry keeps (characters).</summary>
    public const int MessageLength = 300;

    /// <summary>The first <paramref name="max"/> characters of <paramref name="text"/> (an ellipsis when cut; a surrogate pair is never split); null stays null.</summary>
    public static string? Clip(string? text, int max)
    {
        if (text is null || text.Length <= max)
        {
            return text;
        }

        var cut = char.IsHighSurrogate(text[max - 1]) ? max - 1 : max;
        return string.Concat(text.AsSpan(0, cut), "…");
    }
}

[GenerateSerializer, Immutable, Alias("PostNext.CalendarPage")]
public sealed record CalendarPage(
    [property: Id(0)] IReadOnlyList<CalendarEntry> Entries,
    [property: Id(1)] CalendarCursor? Next);
