using Microsoft.Extensions.Options;
using PostNext.Abstractions;
using PostNext.Abstractions.Limits;

namespace PostNext.Grains.Limits;

/// <summary>
/// Rolling-window limits for one scope (an account or a platform app), tightened by what the platform reports.
/// Windows count permits in ~60 time buckets each, so the state stays small whatever the limit.
/// </summary>
public sealed class RateLimitGrain(
    [PersistentState("ratelimit", StorageNames.Grains)] IPersistentState<RateLimitState> state,
    IOptionsMonitor<RateLimitOptions> options,
    TimeProvider time) : Grain, IRateLimitGrain
{
    private const int BucketsPerWindow = 60;
    private const int MaxRecentGrants = 200;

    private string Scope => this.GetPrimaryKeyString();

    /// <summary>How early a waiter may claim its reserved time (clock differences between silos), well under the spacing.</summary>
    private TimeSpan EarlyTolerance => TimeSpan.FromTicks(Math.Min(TimeSpan.TicksPerMillisecond * 200, options.CurrentValue.ReleaseSpacing.Ticks / 4));

    private RateLimitState S => state.State;

    private IReadOnlyDictionary<string, LimitWindow> Windows
    {
        get
        {
            var platform = options.CurrentValue.For(RateLimitScopes.PlatformOf(Scope));
            var windows = RateLimitScopes.IsApp(Scope) ? platform.App : platform.Account;
            return windows.Where(w => w.Value.Limit > 0 && w.Value.Period > TimeSpan.Zero).ToDictionary(w => w.Key, w => w.Value);
        }
    }

    public async Task<Permit> AcquireAsync(string publicationKey, DateTimeOffset originalDueAt)
    {
        var now = time.GetUtcNow();
        Prune(now);
        if (Windows.Count == 0 && S.BlockedUntil is null)
        {
            return Permit.Grant;
        }

        var blocked = S.BlockedUntil is { } until && until > now;
        if (S.Reservations.TryGetValue(publicationKey, out var reserved))
        {
            if (now < reserved - EarlyTolerance)
            {
                return new Permit(false, reserved, Reason());
            }

            S.Reservations.Remove(publicationKey);
            S.WaitingDueAt.Remove(publicationKey);
            if (!blocked && HasCapacity(now, entitledWaiting: 0))
            {
                return await GrantAsync(publicationKey, now);
            }
        }
        else if (!blocked && HasCapacity(now, S.Reservations.Count(r => r.Value <= now)))
        {
            return await GrantAsync(publicationKey, now);
        }

        if (S.Reservations.Count >= options.CurrentValue.MaxWaiting)
        {
            var last = S.Reservations.Values.Max();
            return new Permit(false, last + options.CurrentValue.ReleaseSpacing, Reason());
        }

        Reserve(publicationKey, originalDueAt, now);
        await state.WriteStateAsync();
        return new Permit(false, S.Reservations[publicationKey], Reason());
    }

    public async Task ReleaseAsync(string publicationKey)
    {
        var changed = S.Reservations.Remove(publicationKey) | S.WaitingDueAt.Remove(publicationKey);
        if (S.RecentGrants.Remove(publicationKey, out var grantedAt))
        {
            foreach (var (name, window) in Windows)
            {
                if (S.Used.TryGetValue(name, out var buckets) && buckets.TryGetValue(Bucket(grantedAt, window), out var count))
                {
                    buckets[Bucket(grantedAt, window)] = Math.Max(0, count - 1);
                }
            }

            changed = true;
        }

        if (changed)
        {
            await state.WriteStateAsync();
        }
    }

    public async Task ReportBlockedAsync(DateTimeOffset until, string reason)
    {
        if (S.BlockedUntil is { } current && current >= until)
        {
            return;
        }

        S.BlockedUntil = until;
        S.BlockedReason = reason;
        await state.WriteStateAsync();
    }

    public Task<RateLimitStatus> GetStatusAsync()
    {
        var now = time.GetUtcNow();
        var windows = Windows.Select(w =>
        {
            var used = Used(w.Key, w.Value, now, []);
            return new WindowStatus(w.Key, w.Value.Limit, w.Value.Period, used, Math.Max(0, w.Value.Limit - used), OldestExpiry(w.Key, w.Value, now));
        }).ToList();
        var blocked = S.BlockedUntil is { } b && b > now ? b : (DateTimeOffset?)null;
        return Task.FromResult(new RateLimitStatus(Scope, windows, blocked, blocked is null ? null : S.BlockedReason, S.Reservations.Count));
    }

    private async Task<Permit> GrantAsync(string publicationKey, DateTimeOffset now)
    {
        foreach (var (name, window) in Windows)
        {
            var buckets = S.Used.TryGetValue(name, out var b) ? b : S.Used[name] = [];
            var bucket = Bucket(now, window);
            buckets[bucket] = buckets.GetValueOrDefault(bucket) + 1;
        }

        S.RecentGrants[publicationKey] = now;
        if (S.RecentGrants.Count > MaxRecentGrants)
        {
            S.RecentGrants.Remove(S.RecentGrants.MinBy(g => g.Value).Key);
        }

        await state.WriteStateAsync();
        return Permit.Grant;
    }

    /// <summary>
    /// Gives the publication a reserved time. Times follow the original due order: a newcomer due before some waiters
    /// takes its place in line and those behind it move back a slot (they learn their new time when they come).
    /// </summary>
    private void Reserve(string publicationKey, DateTimeOffset dueAt, DateTimeOffset now)
    {
        var jumpsAhead = S.WaitingDueAt.Any(w => (w.Value, w.Key).CompareTo((dueAt, publicationKey)) > 0);
        S.WaitingDueAt[publicationKey] = dueAt;
        if (!jumpsAhead)
        {
            S.Reservations[publicationKey] = NextFreeSlot(now);
            return;
        }

        var inLine = S.WaitingDueAt.OrderBy(w => w.Value).ThenBy(w => w.Key, StringComparer.Ordinal).Select(w => w.Key).ToList();
        S.Reservations.Clear();
        foreach (var key in inLine)
        {
            S.Reservations[key] = NextFreeSlot(now);
        }
    }

    /// <summary>True when every window has room for one more permit beyond those already entitled to come now.</summary>
    private bool HasCapacity(DateTimeOffset now, int entitledWaiting) =>
        Windows.All(w => Used(w.Key, w.Value, now, []) + entitledWaiting < w.Value.Limit);

    /// <summary>
    /// The earliest time after the last reservation (plus spacing) and any platform block at which every window,
    /// counting granted permits and earlier reservations, has room.
    /// </summary>
    private DateTimeOffset NextFreeSlot(DateTimeOffset now)
    {
        var spacing = options.CurrentValue.ReleaseSpacing;
        var candidate = now;
        if (S.BlockedUntil is { } blocked && blocked > candidate)
        {
            candidate = blocked;
        }

        if (S.Reservations.Count > 0)
        {
            var last = S.Reservations.Values.Max() + spacing;
            candidate = last > candidate ? last : candidate;
        }

        var reservations = S.Reservations.Values.ToList();
        for (var guard = 0; guard < 10_000; guard++)
        {
            var moved = false;
            foreach (var (name, window) in Windows)
            {
                var events = Events(name, window, reservations).Where(t => t > candidate - window.Period && t <= candidate).Order().ToList();
                if (events.Count >= window.Limit)
                {
                    // Wait until enough of the earliest events leave the window.
                    candidate = events[events.Count - window.Limit] + window.Period + TimeSpan.FromMilliseconds(1);
                    moved = true;
                }
            }

            if (!moved)
            {
                return candidate;
            }
        }

        return candidate;
    }

    /// <summary>Granted permits (each at its bucket's end, conservatively) and reservations, as instants.</summary>
    private IEnumerable<DateTimeOffset> Events(string name, LimitWindow window, List<DateTimeOffset> reservations)
    {
        var width = BucketWidth(window);
        if (S.Used.TryGetValue(name, out var buckets))
        {
            foreach (var (bucket, count) in buckets)
            {
                var end = new DateTimeOffset((bucket + 1) * width.Ticks, TimeSpan.Zero);
                for (var i = 0; i < count; i++)
                {
                    yield return end;
                }
            }
        }

        foreach (var r in reservations)
        {
            yield return r;
        }
    }

    private int Used(string name, LimitWindow window, DateTimeOffset now, List<DateTimeOffset> extra) =>
        Events(name, window, extra).Count(t => t > now - window.Period);

    private DateTimeOffset? OldestExpiry(string name, LimitWindow window, DateTimeOffset now)
    {
        var live = Events(name, window, []).Where(t => t > now - window.Period).ToList();
        return live.Count == 0 ? null : live.Min() + window.Period;
    }

    private void Prune(DateTimeOffset now)
    {
        foreach (var (name, window) in Windows)
        {
            if (S.Used.TryGetValue(name, out var buckets))
            {
                var oldest = Bucket(now - window.Period, window) - 1;
                foreach (var stale in buckets.Keys.Where(k => k < oldest).ToList())
                {
                    buckets.Remove(stale);
                }
            }
        }

        if (S.BlockedUntil is { } blocked && blocked <= now)
        {
            S.BlockedUntil = null;
            S.BlockedReason = null;
        }
    }

    private static TimeSpan BucketWidth(LimitWindow window) =>
        TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond * 100, window.Period.Ticks / BucketsPerWindow));

    private static long Bucket(DateTimeOffset at, LimitWindow window) => at.UtcTicks / BucketWidth(window).Ticks;

    private string Reason() => S.BlockedUntil is not null && S.BlockedReason is not null
        ? $"{Scope}: the platform asked to wait ({S.BlockedReason})"
        : $"{Scope}: the {string.Join(", ", Windows.Keys)} limit is reached";
}
