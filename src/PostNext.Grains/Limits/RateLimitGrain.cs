using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Storage;
using PostNext.Abstractions;
using PostNext.Abstractions.Limits;
using PostNext.Grains.Common;

namespace PostNext.Grains.Limits;

/// <summary>
/// Rolling-window limits for one scope (an account or a platform app), tightened by what the platform reports.
/// Windows count permits in ~60 time buckets each, so the state stays small whatever the limit.
/// </summary>
/// <remarks>
/// A reserved time orders deferred publications and a block stops every call, so both are stored before they are
/// answered. Granted permits are not: an app scope serves every account of its platform from one activation, and a
/// write per permit would let PostgreSQL set its pace. They are counted in memory and stored together at most
/// <see cref="RateLimitOptions.GrantWriteDelay"/> later (and on deactivation), one write at a time. The price: a silo
/// crash forgets the permits of that last stretch, and during a membership change a stale activation can grant from
/// its own counts until its write is refused. Either lets a few more calls through than a window allows; the
/// platform then answers 429, which blocks the scope.
/// </remarks>
public sealed partial class RateLimitGrain(
    [PersistentState("ratelimit", StorageNames.Grains)] IPersistentState<RateLimitState> state,
    IOptionsMonitor<RateLimitOptions> options,
    TimeProvider time,
    ILogger<RateLimitGrain> logger) : Grain, IRateLimitGrain
{
    private const int BucketsPerWindow = 60;
    private const int MaxRecentGrants = 200;

    private IGrainTimer? _writeTimer;
    private bool _writeArmed;

    /// <summary>Memory holds changes storage does not.</summary>
    private bool _unwritten;

    private RateLimitOptions? _windowsOf;
    private IReadOnlyDictionary<string, LimitWindow> _windows = new Dictionary<string, LimitWindow>();

    private string Scope => this.GetPrimaryKeyString();

    private RateLimitOptions Options => options.CurrentValue;

    /// <summary>How early a waiter may claim its reserved time (clock differences between silos), well under the spacing.</summary>
    private TimeSpan EarlyTolerance => TimeSpan.FromTicks(Math.Min(TimeSpan.TicksPerMillisecond * 200, Options.ReleaseSpacing.Ticks / 4));

    private RateLimitState S => state.State;

    private IReadOnlyDictionary<string, LimitWindow> Windows
    {
        get
        {
            var current = Options;
            if (!ReferenceEquals(current, _windowsOf))
            {
                var platform = current.For(RateLimitScopes.PlatformOf(Scope));
                var windows = RateLimitScopes.IsApp(Scope) ? platform.App : platform.Account;
                _windows = windows.Where(w => w.Value.Limit > 0 && w.Value.Period > TimeSpan.Zero).ToDictionary(w => w.Key, w => w.Value);
                _windowsOf = current;
            }

            return _windows;
        }
    }

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        _writeTimer = this.RegisterGrainTimer(_ => WriteUnwrittenAsync(),
            new GrainTimerCreationOptions { DueTime = Timeout.InfiniteTimeSpan, Period = Timeout.InfiniteTimeSpan });
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _writeTimer?.Dispose();
        if (_unwritten)
        {
            try
            {
                await state.WriteStateAsync();
            }
            catch (Exception ex)
            {
                LogWriteFailed(ex, Scope);
            }
        }
    }

    public async Task<Permit> AcquireAsync(string publicationKey, DateTimeOffset originalDueAt, DateTimeOffset? sendAt = null)
    {
        var current = time.GetUtcNow();
        Prune(current);

        // Everything below is judged at the time of the call: a permit asked for ahead of it counts from then.
        var now = sendAt is { } at && at > current ? at : current;
        if (Windows.Count == 0 && S.BlockedUntil is null)
        {
            // Nothing limits this scope, so a grant costs no write; a place left from a past block goes with the next one.
            LeaveLine(publicationKey);
            return Permit.Grant;
        }

        var blocked = S.BlockedUntil is { } until && until > now;
        if (S.Reservations.TryGetValue(publicationKey, out var reserved))
        {
            if (now < reserved - EarlyTolerance)
            {
                return new Permit(false, reserved, Reason());
            }

            LeaveLine(publicationKey);
            if (!blocked && HasCapacity(now, entitledWaiting: 0))
            {
                return await GrantAsync(publicationKey, now);
            }
        }
        else if (!blocked && HasCapacity(now, S.Reservations.Count(r => r.Value <= now)))
        {
            return await GrantAsync(publicationKey, now);
        }

        if (S.Reservations.Count >= Options.MaxWaiting)
        {
            // No place in line: come back when the line could take one more, and never sooner than the spacing.
            var retryAt = NextFreeSlot(now);
            var soonest = now + Options.ReleaseSpacing;
            return new Permit(false, retryAt > soonest ? retryAt : soonest, Reason());
        }

        Reserve(publicationKey, originalDueAt, now);
        await WriteNowAsync();
        return new Permit(false, S.Reservations[publicationKey], Reason());
    }

    public async Task ReleaseAsync(string publicationKey)
    {
        if (LeaveLine(publicationKey))
        {
            await WriteSoonAsync();
        }
    }

    public async Task ReturnPermitAsync(string publicationKey)
    {
        var changed = LeaveLine(publicationKey);
        if (S.RecentGrants.Remove(publicationKey, out var grantedAt))
        {
            foreach (var (name, window) in Windows)
            {
                var bucket = Bucket(grantedAt, window);
                if (S.Used.TryGetValue(name, out var buckets) && buckets.TryGetValue(bucket, out var count))
                {
                    buckets[bucket] = Math.Max(0, count - 1);
                }
            }

            changed = true;
        }

        if (changed)
        {
            await WriteSoonAsync();
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
        await WriteNowAsync();
    }

    /// <remarks>Interleaves with everything, so it only reads: what pruning would drop is left out, not removed.</remarks>
    public Task<RateLimitStatus> GetStatusAsync()
    {
        var now = time.GetUtcNow();
        var windows = Windows.Select(w =>
        {
            var used = Used(w.Key, w.Value, now);
            return new WindowStatus(w.Key, w.Value.Limit, w.Value.Period, used, Math.Max(0, w.Value.Limit - used), OldestExpiry(w.Key, w.Value, now));
        }).ToList();
        var blocked = S.BlockedUntil is { } b && b > now ? b : (DateTimeOffset?)null;
        var waiting = S.Reservations.Values.Count(r => !IsStale(r, now));
        return Task.FromResult(new RateLimitStatus(Scope, windows, blocked, blocked is null ? null : S.BlockedReason, waiting));
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

        await WriteSoonAsync();
        return Permit.Grant;
    }

    /// <summary>Drops the publication's place in line; true when it had one.</summary>
    private bool LeaveLine(string publicationKey) =>
        S.Reservations.Remove(publicationKey) | S.WaitingDueAt.Remove(publicationKey);

    /// <summary>
    /// Gives the publication a reserved time. Times follow the original due order: a newcomer due before some waiters
    /// takes its place in line and those behind it move back a slot (they learn their new time when they come). Nobody
    /// moves earlier than the time it was told, since it will not come before then.
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

        var told = new Dictionary<string, DateTimeOffset>(S.Reservations);
        var inLine = S.WaitingDueAt.OrderBy(w => w.Value).ThenBy(w => w.Key, StringComparer.Ordinal).Select(w => w.Key).ToList();
        S.Reservations.Clear();
        foreach (var key in inLine)
        {
            var slot = NextFreeSlot(now);
            S.Reservations[key] = told.TryGetValue(key, out var before) && before > slot ? before : slot;
        }
    }

    /// <summary>True when every window has room for one more permit beyond those already entitled to come now.</summary>
    private bool HasCapacity(DateTimeOffset now, int entitledWaiting) =>
        Windows.All(w => Used(w.Key, w.Value, now) + entitledWaiting < w.Value.Limit);

    /// <summary>
    /// The earliest time after the last reservation (plus spacing) and any platform block at which every window,
    /// counting granted permits and earlier reservations, has room.
    /// </summary>
    private DateTimeOffset NextFreeSlot(DateTimeOffset now)
    {
        var spacing = Options.ReleaseSpacing;
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
                // Every event is at or before the candidate, except grants placed at their bucket's end: still inside.
                var events = Events(name, window, reservations).Where(t => t > candidate - window.Period).Order().ToList();
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
        if (S.Used.TryGetValue(name, out var buckets))
        {
            foreach (var (bucket, count) in buckets)
            {
                var end = BucketEnd(bucket, window);
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

    /// <summary>Permits granted inside the window that ends now.</summary>
    private int Used(string name, LimitWindow window, DateTimeOffset now) =>
        S.Used.TryGetValue(name, out var buckets) ? buckets.Where(b => BucketEnd(b.Key, window) > now - window.Period).Sum(b => b.Value) : 0;

    private DateTimeOffset? OldestExpiry(string name, LimitWindow window, DateTimeOffset now)
    {
        var live = S.Used.TryGetValue(name, out var buckets)
            ? buckets.Where(b => b.Value > 0).Select(b => BucketEnd(b.Key, window)).Where(end => end > now - window.Period).ToList()
            : [];
        return live.Count == 0 ? null : live.Min() + window.Period;
    }

    /// <summary>Forgets what no longer matters: buckets out of every window, an ended block, reservations nobody claimed.</summary>
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

        foreach (var stale in S.Reservations.Where(r => IsStale(r.Value, now)).Select(r => r.Key).ToList())
        {
            LeaveLine(stale);
        }
    }

    private bool IsStale(DateTimeOffset reserved, DateTimeOffset now) => reserved + Options.ReservationGrace < now;

    /// <summary>Stores the state before the caller is answered.</summary>
    private async Task WriteNowAsync()
    {
        _unwritten = true;
        try
        {
            await state.WriteStateAsync();
            _unwritten = false;
            if (_writeArmed)
            {
                _writeArmed = false;
                _writeTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            }
        }
        catch (InconsistentStateException)
        {
            // Another activation wrote since this one read: what it stored wins, and this one's unwritten counts go.
            _unwritten = false;
            await state.ReloadOrDeactivateAsync(this, logger);
            throw;
        }
        catch (Exception)
        {
            // Storage is unavailable: keep the changes and try again later.
            ArmWrite();
            throw;
        }
    }

    /// <summary>Stores the state with the next coalesced write.</summary>
    private async Task WriteSoonAsync()
    {
        _unwritten = true;
        if (Options.GrantWriteDelay <= TimeSpan.Zero)
        {
            await WriteNowAsync();
            return;
        }

        ArmWrite();
    }

    private void ArmWrite()
    {
        if (!_writeArmed)
        {
            _writeArmed = true;
            var delay = Options.GrantWriteDelay > TimeSpan.Zero ? Options.GrantWriteDelay : TimeSpan.FromSeconds(1);
            _writeTimer?.Change(delay, Timeout.InfiniteTimeSpan);
        }
    }

    private async Task WriteUnwrittenAsync()
    {
        _writeArmed = false;
        if (!_unwritten)
        {
            return;
        }

        try
        {
            await WriteNowAsync();
        }
        catch (Exception ex)
        {
            LogWriteFailed(ex, Scope);
        }
    }

    private static TimeSpan BucketWidth(LimitWindow window) =>
        TimeSpan.FromTicks(Math.Max(TimeSpan.TicksPerMillisecond * 100, window.Period.Ticks / BucketsPerWindow));

    private static long Bucket(DateTimeOffset at, LimitWindow window) => at.UtcTicks / BucketWidth(window).Ticks;

    private static DateTimeOffset BucketEnd(long bucket, LimitWindow window) => new((bucket + 1) * BucketWidth(window).Ticks, TimeSpan.Zero);

    private string Reason() => S.BlockedUntil is not null && S.BlockedReason is not null
        ? $"{Scope}: the platform asked to wait ({S.BlockedReason})"
        : $"{Scope}: the {string.Join(", ", Windows.Keys)} limit is reached";

    [LoggerMessage(Level = LogLevel.Warning, Message = "Rate-limit scope {Scope}: writing its state failed")]
    private partial void LogWriteFailed(Exception exception, string scope);
}
