using PostNext.Abstractions.Calendar;
using PostNext.Abstractions.Posts;

namespace PostNext.Storage.Calendar;

/// <summary>The calendar index in process memory (embedded mode and single-process tests).</summary>
public sealed class InMemoryCalendarStore : ICalendarStore
{
    /// <summary>The due order: time, then post and account ordinally (what the PostgreSQL store's keyset does in its collation).</summary>
    private static readonly Comparer<DueEntry> DueOrder = Comparer<DueEntry>.Create((a, b) =>
    {
        var order = a.WakeAt.CompareTo(b.WakeAt);
        order = order != 0 ? order : string.CompareOrdinal(a.PostId, b.PostId);
        return order != 0 ? order : string.CompareOrdinal(a.AccountId, b.AccountId);
    });

    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedSet<CalendarEntry>> _byWorkspace = new(StringComparer.Ordinal);
    private readonly Dictionary<(string Post, string Account), CalendarEntry> _byKey = [];
    private readonly Dictionary<(string Post, string Account), StoredPublication> _states = [];
    private readonly Dictionary<(string Post, string Account), (byte[] State, long Revision, DateTimeOffset? NextAt)> _tracking = [];

    public Task<StoredPublication?> LoadAsync(string postId, string accountId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_states.GetValueOrDefault((postId, accountId)) ?? (_byKey.TryGetValue((postId, accountId), out var entry) ? new StoredPublication(null, entry.Revision) : null));
        }
    }

    public Task<bool> SaveAsync(CalendarEntry entry, byte[] state, long expectedRevision, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var key = (entry.PostId, entry.AccountId);
            var stored = _byKey.TryGetValue(key, out var existing) ? existing.Revision : 0;
            if (stored != expectedRevision)
            {
                return Task.FromResult(false);
            }

            if (existing is not null)
            {
                Entries(existing.WorkspaceId).Remove(existing);
            }

            _byKey[key] = entry;
            Entries(entry.WorkspaceId).Add(entry);
            _states[key] = new StoredPublication([.. state], entry.Revision);
            return Task.FromResult(true);
        }
    }

    public Task UpsertAsync(CalendarEntry entry, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_byKey.TryGetValue((entry.PostId, entry.AccountId), out var existing))
            {
                if (existing.Revision > entry.Revision)
                {
                    return Task.CompletedTask;
                }

                Entries(existing.WorkspaceId).Remove(existing);
            }

            _byKey[(entry.PostId, entry.AccountId)] = entry;
            Entries(entry.WorkspaceId).Add(entry);
        }

        return Task.CompletedTask;
    }

    public Task RemoveAsync(string workspaceId, string postId, string accountId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _states.Remove((postId, accountId));
            _tracking.Remove((postId, accountId));
            if (_byKey.Remove((postId, accountId), out var existing))
            {
                Entries(existing.WorkspaceId).Remove(existing);
            }
        }

        return Task.CompletedTask;
    }

    public Task<CalendarPage> QueryAsync(CalendarQuery query, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var lower = query.After is { } after
                ? new CalendarEntry(query.WorkspaceId, after.PostId, after.AccountId, "", default, default, after.At, null, 0)
                : new CalendarEntry(query.WorkspaceId, "", "", "", default, default, query.From, null, 0);
            var upper = new CalendarEntry(query.WorkspaceId, "\uffff", "\uffff", "", default, default, query.To, null, 0);
            if (CalendarOrder.Instance.Compare(lower, upper) > 0)
            {
                return Task.FromResult(new CalendarPage([], null));
            }

            var matches = Entries(query.WorkspaceId)
                .GetViewBetween(lower, upper)
                .Where(e => e.At >= query.From && e.At < query.To)
                .Where(e => query.After is null || CalendarOrder.Instance.Compare(e, lower) > 0)
                .Where(e => query.AccountId is null || e.AccountId == query.AccountId)
                .Where(e => query.Platform is null || e.Platform == query.Platform)
                .Where(e => query.Status is null || e.Status == query.Status)
                .Take(query.Limit + 1)
                .ToList();
            return Task.FromResult(CalendarPaging.Page(matches, query.Limit));
        }
    }

    public Task<IReadOnlyList<CalendarEntry>> ForPostsAsync(string workspaceId, IReadOnlyCollection<string> postIds, CancellationToken cancellationToken = default)
    {
        var wanted = postIds.ToHashSet(StringComparer.Ordinal);
        lock (_gate)
        {
            IReadOnlyList<CalendarEntry> entries = Entries(workspaceId).Where(e => wanted.Contains(e.PostId)).ToList();
            return Task.FromResult(entries);
        }
    }

    public Task<IReadOnlyList<CalendarEntry>> OverdueAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<CalendarEntry> overdue = _byKey.Values
                .Where(e => e.WakeAt is { } wake && wake < before)
                .OrderBy(e => e.WakeAt)
                .Take(limit)
                .ToList();
            return Task.FromResult(overdue);
        }
    }

    public Task<IReadOnlyList<DueEntry>> DueAsync(short shard, DateTimeOffset? from, DateTimeOffset before, int limit, DueEntry? after = null, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<DueEntry> due = _byKey.Values
                .Where(e => e.WakeAt is { } wake && wake < before && (from is null || wake >= from) && DueShards.Of(e.PostId, e.AccountId) == shard)
                .Select(e => new DueEntry(e.PostId, e.AccountId, e.WakeAt!.Value))
                .Where(e => after is null || DueOrder.Compare(e, after) > 0)
                .Order(DueOrder)
                .Take(limit)
                .ToList();
            return Task.FromResult(due);
        }
    }

    public Task<StoredTracking?> LoadTrackingAsync(string postId, string accountId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var key = (postId, accountId);
            if (!_byKey.ContainsKey(key))
            {
                return Task.FromResult<StoredTracking?>(null);
            }

            var tracking = _tracking.TryGetValue(key, out var t)
                ? new StoredTracking([.. t.State], t.Revision, t.NextAt, null)
                : new StoredTracking(null, 0, _byKey[key].MetricsAt, null);
            return Task.FromResult<StoredTracking?>(tracking with { PublicationState = _states.TryGetValue(key, out var p) ? p.State : null });
        }
    }

    public Task<bool> SaveTrackingAsync(TrackingEntry entry, byte[] state, long expectedRevision, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var key = (entry.PostId, entry.AccountId);
            var stored = _tracking.TryGetValue(key, out var t) ? t.Revision : 0;
            if (stored != expectedRevision || (expectedRevision != 0 && !_byKey.ContainsKey(key)))
            {
                return Task.FromResult(false);
            }

            if (!_byKey.ContainsKey(key))
            {
                // A post published elsewhere: its tracking makes a published row.
                var published = new CalendarEntry(entry.WorkspaceId, entry.PostId, entry.AccountId, entry.Platform, PublicationStatus.Published,
                    entry.PublishedAt, entry.PublishedAt, entry.PublishedAt, 0);
                _byKey[key] = published;
                Entries(entry.WorkspaceId).Add(published);
            }

            _tracking[key] = ([.. state], entry.Revision, entry.NextAt);
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<DueEntry>> TrackingDueAsync(short shard, DateTimeOffset? from, DateTimeOffset before, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<DueEntry> due = _byKey
                .Select(e => (e.Key, At: _tracking.TryGetValue(e.Key, out var t) ? t.NextAt : e.Value.MetricsAt))
                .Where(e => e.At is { } at && at < before && (from is null || at >= from) && DueShards.Of(e.Key.Post, e.Key.Account) == shard)
                .OrderBy(e => e.At)
                .Take(limit)
                .Select(e => new DueEntry(e.Key.Post, e.Key.Account, e.At!.Value))
                .ToList();
            return Task.FromResult(due);
        }
    }

    public Task<IReadOnlyList<DateTimeOffset>> PendingTimesAsync(string workspaceId, string accountId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<DateTimeOffset> times = Entries(workspaceId)
                .Where(e => e.AccountId == accountId && e.Status.IsPending() && e.At >= from && e.At < to)
                .Select(e => e.At)
                .ToList();
            return Task.FromResult(times);
        }
    }

    private SortedSet<CalendarEntry> Entries(string workspaceId)
    {
        if (!_byWorkspace.TryGetValue(workspaceId, out var set))
        {
            set = new SortedSet<CalendarEntry>(CalendarOrder.Instance);
            _byWorkspace[workspaceId] = set;
        }

        return set;
    }
}

/// <summary>Calendar order: time, then post id, then account id.</summary>
internal sealed class CalendarOrder : IComparer<CalendarEntry>
{
    public static readonly CalendarOrder Instance = new();

    public int Compare(CalendarEntry? x, CalendarEntry? y)
    {
        if (ReferenceEquals(x, y))
        {
            return 0;
        }

        if (x is null || y is null)
        {
            return x is null ? -1 : 1;
        }

        var byTime = x.At.UtcTicks.CompareTo(y.At.UtcTicks);
        if (byTime != 0)
        {
            return byTime;
        }

        var byPost = string.CompareOrdinal(x.PostId, y.PostId);
        return byPost != 0 ? byPost : string.CompareOrdinal(x.AccountId, y.AccountId);
    }
}

internal static class CalendarPaging
{
    /// <summary>Turns up to limit+1 ordered matches into a page and the cursor for the next one.</summary>
    public static CalendarPage Page(List<CalendarEntry> matches, int limit)
    {
        if (matches.Count <= limit)
        {
            return new CalendarPage(matches, null);
        }

        var page = matches.Take(limit).ToList();
        var last = page[^1];
        return new CalendarPage(page, new CalendarCursor(last.At, last.PostId, last.AccountId));
    }
}
