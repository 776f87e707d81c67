using PostNext.Abstractions.Calendar;

namespace PostNext.Storage.Calendar;

/// <summary>
/// The calendar index: one entry per publication, kept by the publication grains, queried by range. The row also holds
/// the publication's state, so a state change and its calendar row are written in one statement.
/// </summary>
public interface ICalendarStore
{
    /// <summary>The publication's stored state and revision; null when it has no row. A row written before states moved here has a null state.</summary>
    Task<StoredPublication?> LoadAsync(string postId, string accountId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the publication's state and calendar row together if the stored revision is still
    /// <paramref name="expectedRevision"/> (0: no row yet). False when another write came first: the caller's state is stale.
    /// </summary>
    Task<bool> SaveAsync(CalendarEntry entry, byte[] state, long expectedRevision, CancellationToken cancellationToken = default);

    /// <summary>Inserts or replaces an entry unless the stored one has a newer revision.</summary>
    Task UpsertAsync(CalendarEntry entry, CancellationToken cancellationToken = default);

    /// <summary>Removes the entry of one publication.</summary>
    Task RemoveAsync(string workspaceId, string postId, string accountId, CancellationToken cancellationToken = default);

    /// <summary>Entries in [From, To) ordered by (At, PostId, AccountId), after the cursor, at most Limit of them (plus the next cursor).</summary>
    Task<CalendarPage> QueryAsync(CalendarQuery query, CancellationToken cancellationToken = default);

    /// <summary>The entries of the given posts in one workspace (every target that has a publication), in no particular order.</summary>
    Task<IReadOnlyList<CalendarEntry>> ForPostsAsync(string workspaceId, IReadOnlyCollection<string> postIds, CancellationToken cancellationToken = default);

    /// <summary>Publications of any workspace whose next tick (<see cref="CalendarEntry.WakeAt"/>) is before <paramref name="before"/>, most overdue first.</summary>
    Task<IReadOnlyList<CalendarEntry>> OverdueAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken = default);

    /// <summary>
    /// Publications of one due shard whose next tick is in [<paramref name="from"/>, <paramref name="before"/>) (no lower
    /// bound when <paramref name="from"/> is null), soonest first, at most <paramref name="limit"/>; ties in time in a
    /// stable order, so a page can continue <paramref name="after"/> the last entry of the one before it (thousands due
    /// at one instant are read page after page, not the same first page again).
    /// </summary>
    Task<IReadOnlyList<DueEntry>> DueAsync(short shard, DateTimeOffset? from, DateTimeOffset before, int limit, DueEntry? after = null, CancellationToken cancellationToken = default);

    /// <summary>
    /// The metrics tracking kept in a publication's calendar row: its state and revision (null state: not taken over
    /// yet), its next reading, and the publication's own state, from which a first reading starts. Null when the row is gone.
    /// </summary>
    Task<StoredTracking?> LoadTrackingAsync(string postId, string accountId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Writes the tracking's state and its next reading time if the stored tracking revision is still
    /// <paramref name="expectedRevision"/> (0: not taken over yet). A publication without a calendar row gets a
    /// published row made from <paramref name="entry"/>. False when another write came first.
    /// </summary>
    Task<bool> SaveTrackingAsync(TrackingEntry entry, byte[] state, long expectedRevision, CancellationToken cancellationToken = default);

    /// <summary>Publications of one due shard whose next metrics reading is in [<paramref name="from"/>, <paramref name="before"/>), soonest first.</summary>
    Task<IReadOnlyList<DueEntry>> TrackingDueAsync(short shard, DateTimeOffset? from, DateTimeOffset before, int limit, CancellationToken cancellationToken = default);

    /// <summary>The times of an account's pending (scheduled or deferred) publications in [from, to).</summary>
    Task<IReadOnlyList<DateTimeOffset>> PendingTimesAsync(string workspaceId, string accountId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default);
}

/// <summary>A publication whose next tick is due.</summary>
public sealed record DueEntry(string PostId, string AccountId, DateTimeOffset WakeAt);

/// <summary>A publication's metrics tracking as stored in its calendar row, with the publication's own state.</summary>
public sealed record StoredTracking(byte[]? State, long Revision, DateTimeOffset? NextAt, byte[]? PublicationState);

/// <summary>What a tracking write stores besides its state: the next reading (null: tracking is over), and the publication it follows.</summary>
public sealed record TrackingEntry(string WorkspaceId, string PostId, string AccountId, string Platform, DateTimeOffset PublishedAt, DateTimeOffset? NextAt, long Revision);

/// <summary>A publication's state as stored in its calendar row (null for rows written before states moved there).</summary>
public sealed record StoredPublication(byte[]? State, long Revision);

/// <summary>Which due shard a publication belongs to: its due dispatch is spread over this many grains per time bucket.</summary>
public static class DueShards
{
    public const int Count = 8;

    /// <summary>A stable shard from the publication key (the same on every silo and in PostgreSQL).</summary>
    public static short Of(string postId, string accountId)
    {
        var hash = 2166136261u;
        foreach (var c in postId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        hash = (hash ^ '~') * 16777619u;
        foreach (var c in accountId)
        {
            hash = (hash ^ c) * 16777619u;
        }

        return (short)(hash % Count);
    }
}
