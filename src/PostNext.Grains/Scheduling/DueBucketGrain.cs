using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PostNext.Abstractions.Analytics;
using PostNext.Abstractions.Posts;
using PostNext.Grains.Common;
using PostNext.Storage.Calendar;

namespace PostNext.Grains.Scheduling;

/// <summary>
/// One time bucket of one due shard. Its reminder is registered when the first publication falls in the bucket and
/// fires shortly before the bucket starts, then every reminder period as the durable retry. While open, the bucket
/// reads the calendar index every <see cref="SchedulingOptions.DuePollInterval"/> and nudges each publication due
/// within the lookahead: the publication loads ahead of its time and ticks on its own timer, so thousands due at one
/// instant are already in memory when it comes. It also wakes the metrics trackings whose next reading falls in the
/// bucket, once due. The bucket holding "now" also catches anything overdue. Once its time is over and nothing in it
/// is left to tick or read, it unregisters its reminder.
/// </summary>
public sealed partial class DueBucketGrain(
    ICalendarStore calendar,
    IOptions<SchedulingOptions> options,
    TimeProvider time,
    ILogger<DueBucketGrain> logger) : Grain, IDueBucketGrain, IRemindable
{
    private const string ReminderName = "due";
    private const int PageSize = 2_000;
    /// <summary>
    /// Nudges in flight per bucket shard. Each loads a publication from PostgreSQL: eight shards × 8 keep 64 loads in
    /// flight, well inside the connection pool (64 per shard exhausted it with 50,000 due and timed out state writes).
    /// </summary>
    private const int Parallelism = 8;

    /// <summary>Pages one poll reads at most: 50,000 publications of one shard due within the lookahead.</summary>
    private const int MaxPagesPerPoll = 25;

    /// <summary>How long before its start a bucket opens: before its first publications enter the lookahead.</summary>
    private TimeSpan Lead => Options.DueLookahead + TimeSpan.FromSeconds(20);

    /// <summary>What this activation already nudged, with the time it nudged it for (a publication moved to a new time is nudged again).</summary>
    private readonly Dictionary<(string Post, string Account), (DateTimeOffset WakeAt, DateTimeOffset NudgedAt)> _nudged = [];

    /// <summary>A publication still due this long after its nudge is nudged again (its activation may have been lost).</summary>
    private static readonly TimeSpan RenudgeAfter = TimeSpan.FromSeconds(5);

    /// <summary>Metrics trackings this activation woke, with when; one still due a minute later (a lost or failed reading) is woken again.</summary>
    private readonly Dictionary<(string Post, string Account), DateTimeOffset> _woken = [];

    private static readonly TimeSpan RewakeAfter = TimeSpan.FromMinutes(1);

    private DateTimeOffset _start;
    private short _shard;
    private bool _armed;
    private readonly SharedCall _arming = new();
    private IGrainTimer? _poll;
    private bool _polling;

    private SchedulingOptions Options => options.Value;

    private DateTimeOffset End => _start + Options.DueBucketSize;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_start, _shard) = DueBuckets.Parse(this.GetPrimaryKeyString());
        return Task.CompletedTask;
    }

    public async Task EnsureArmedAsync(DateTimeOffset at)
    {
        if (!_armed)
        {
            // Calls interleave: thousands published at one instant arm the bucket of their first reading together. They
            // share one registration in flight (each registering on its own wrote the reminder row once per call).
            await _arming.RunAsync(ArmAsync);
        }

        if (time.GetUtcNow() >= _start - Lead)
        {
            Open();
        }
    }

    private async Task ArmAsync()
    {
        var due = _start - Lead - time.GetUtcNow();
        await this.RegisterOrUpdateReminder(ReminderName, due < TimeSpan.FromSeconds(1) ? TimeSpan.FromSeconds(1) : due, Options.ReminderPeriod);
        _armed = true;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName)
        {
            return;
        }

        _armed = true;
        var now = time.GetUtcNow();
        var from = IsCurrent(now) ? (DateTimeOffset?)null : _start;
        if (now >= End && (await calendar.DueAsync(_shard, from, End, 1)).Count == 0 && (await calendar.TrackingDueAsync(_shard, from, End, 1)).Count == 0)
        {
            // Over, and nothing of it is left to tick: the bucket's work is done.
            _poll?.Dispose();
            _poll = null;
            if (await this.GetReminder(ReminderName) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }

            _armed = false;
            DeactivateOnIdle();
            return;
        }

        Open();
    }

    private bool IsCurrent(DateTimeOffset now) => DueBuckets.StartOf(now, Options.DueBucketSize) == _start;

    private void Open() =>
        _poll ??= this.RegisterGrainTimer(_ => PollAsync(), new GrainTimerCreationOptions
        {
            DueTime = TimeSpan.Zero,
            Period = Options.DuePollInterval,
            KeepAlive = true,
        });

    /// <summary>Nudges every publication of this bucket due within the lookahead that was not nudged for that time yet.</summary>
    private async Task PollAsync()
    {
        if (_polling)
        {
            return;
        }

        _polling = true;
        try
        {
            var now = time.GetUtcNow();
            var before = now + Options.DueLookahead < End ? now + Options.DueLookahead : End;
            var from = IsCurrent(now) ? (DateTimeOffset?)null : _start;
            var seen = 0;
            DueEntry? after = null;
            for (var page = 0; page < MaxPagesPerPoll; page++)
            {
                // Page after page: thousands due at one instant share one time, and the next page starts after the last key.
                var due = await calendar.DueAsync(_shard, from, before, PageSize, after);
                seen += due.Count;
                await NudgeAsync(due, now);
                if (due.Count < PageSize)
                {
                    break;
                }

                after = due[^1];
            }

            if (_nudged.Count > 200_000)
            {
                _nudged.Clear();
            }

            var readings = await WakeTrackingsAsync(now);
            if (now >= End + Options.DuePollInterval && seen == 0 && readings == 0 && !IsCurrent(now))
            {
                // Past its time with nothing left: the reminder's next tick unregisters it.
                _poll?.Dispose();
                _poll = null;
            }
        }
        catch (Exception ex)
        {
            LogPollFailed(this.GetPrimaryKeyString(), ex.Message);
        }
        finally
        {
            _polling = false;
        }
    }

    /// <summary>Nudges the entries not nudged yet for their time (or still due well after their nudge).</summary>
    private async Task NudgeAsync(IReadOnlyList<DueEntry> due, DateTimeOffset now)
    {
        var fresh = due.Where(d => !_nudged.TryGetValue((d.PostId, d.AccountId), out var last)
                                   || last.WakeAt != d.WakeAt
                                   || (d.WakeAt <= now && last.NudgedAt < now - RenudgeAfter)).ToList();
        await Parallel.ForEachAsync(fresh, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, TaskScheduler = TaskScheduler.Current }, async (entry, _) =>
        {
            try
            {
                await GrainFactory.GetGrain<IPublicationGrain>(PublicationKey.For(entry.PostId, entry.AccountId)).NudgeAsync(entry.WakeAt);
                _nudged[(entry.PostId, entry.AccountId)] = (entry.WakeAt, now);
            }
            catch (Exception ex)
            {
                LogNudgeFailed(entry.PostId, entry.AccountId, ex.Message);
            }
        });
    }

    /// <summary>Wakes the metrics trackings of this bucket whose reading is due now (one way each); returns how many are due.</summary>
    private async Task<int> WakeTrackingsAsync(DateTimeOffset now)
    {
        var due = await calendar.TrackingDueAsync(_shard, IsCurrent(now) ? null : _start, now < End ? now : End, PageSize);
        foreach (var entry in due)
        {
            var key = (entry.PostId, entry.AccountId);
            if (_woken.TryGetValue(key, out var at) && at > now - RewakeAfter)
            {
                continue;
            }

            try
            {
                await GrainFactory.GetGrain<IPostMetricsGrain>(PublicationKey.For(entry.PostId, entry.AccountId)).WakeAsync();
                _woken[key] = now;
            }
            catch (Exception ex)
            {
                LogNudgeFailed(entry.PostId, entry.AccountId, ex.Message);
            }
        }

        if (_woken.Count > 50_000)
        {
            _woken.Clear();
        }

        return due.Count;
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Due bucket could not nudge publication {PostId} to {AccountId}: {Reason}")]
    private partial void LogNudgeFailed(string postId, string accountId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Due bucket {Bucket} could not read what is due: {Reason}")]
    private partial void LogPollFailed(string bucket, string reason);
}
