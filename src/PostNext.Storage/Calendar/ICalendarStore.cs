using PostNext.Abstractions.Calendar;

namespace PostNext.Storage.Calendar;

/// <summary>The calendar index: one entry per publication, kept by the publication grains, queried by range.</summary>
public interface ICalendarStore
{
    /// <summary>Inserts or replaces an entry unless the stored one has a newer revision.</summary>
    Task UpsertAsync(CalendarEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Removes the entry of one publication.</summary>
    Task RemoveAsync(string workspaceId, string postId, string accountId, CancellationToken cancellationToken = default);

    /// <summary>Entries in [From, To) ordered by (At, PostId, AccountId), after the cursor, at most Limit of them (plus the next cursor).</summary>
    Task<CalendarPage> QueryAsync(CalendarQuery query, CancellationToken cancellationToken = default);

    /// <summary>Publications of any workspace whose next tick (<see cref="CalendarEntry.WakeAt"/>) is before <paramref name="before"/>, most overdue first.</summary>
    Task<IReadOnlyList<CalendarEntry>> OverdueAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken = default);

    /// <summary>The times of an account's pending (scheduled or deferred) publications in [from, to).</summary>
    Task<IReadOnlyList<DateTimeOffset>> PendingTimesAsync(string workspaceId, string accountId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);
}
