using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PostNext.Abstractions.Analytics;
using PostNext.Abstractions.Posts;
using PostNext.Storage.Calendar;

namespace PostNext.Grains.Scheduling;

/// <summary>
/// Wakes publications whose next tick is overdue (a lost reminder, an outage), a bounded batch per sweep, a few at a
/// time, and the metrics trackings whose reading is overdue. Publications inside an attempt's lease are not overdue, so they never crowd out the ones that need a nudge;
/// each wake is bounded and its failure is logged without dropping the rest of the batch.
/// </summary>
public sealed partial class SweeperGrain(
    ICalendarStore calendar,
    IOptions<SchedulingOptions> options,
    TimeProvider time,
    ILogger<SweeperGrain> logger) : Grain, ISweeperGrain, IRemindable
{
    private const string ReminderName = "sweep";
    private const int BatchSize = 500;
    private const int Parallelism = 16;

    /// <summary>A wake that takes longer is abandoned (the publication's own reminder and the next sweep remain).</summary>
    private static readonly TimeSpan WakeTimeout = TimeSpan.FromSeconds(10);

    public async Task StartAsync() =>
        await this.RegisterOrUpdateReminder(ReminderName, options.Value.SweepPeriod, options.Value.SweepPeriod);

    public async Task<int> SweepAsync()
    {
        var overdue = await calendar.OverdueAsync(time.GetUtcNow() - options.Value.SweepGrace, BatchSize);
        var failed = 0;
        await Parallel.ForEachAsync(overdue, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, TaskScheduler = TaskScheduler.Current }, async (entry, _) =>
        {
            try
            {
                await GrainFactory.GetGrain<IPublicationGrain>(PublicationKey.For(entry.PostId, entry.AccountId)).WakeAsync().WaitAsync(WakeTimeout, time);
            }
            catch (Exception ex)
            {
                Interlocked.Increment(ref failed);
                LogWakeFailed(entry.PostId, entry.AccountId, ex.Message);
            }
        });
        if (overdue.Count > 0)
        {
            LogSwept(overdue.Count, failed);
        }

        await WakeOverdueTrackingsAsync();
        return overdue.Count - failed;
    }

    /// <summary>Metrics readings overdue beyond the grace (their due bucket's reminder was lost) are woken too, one way each.</summary>
    private async Task WakeOverdueTrackingsAsync()
    {
        var before = time.GetUtcNow() - options.Value.SweepGrace;
        for (short shard = 0; shard < DueShards.Count; shard++)
        {
            try
            {
                foreach (var entry in await calendar.TrackingDueAsync(shard, null, before, BatchSize / DueShards.Count))
                {
                    await GrainFactory.GetGrain<IPostMetricsGrain>(PublicationKey.For(entry.PostId, entry.AccountId)).WakeAsync();
                }
            }
            catch (Exception ex)
            {
                LogTrackingSweepFailed(shard, ex.Message);
            }
        }
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == ReminderName)
        {
            await SweepAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweeper woke {Count} publication(s) whose tick was overdue ({Failed} could not be woken)")]
    private partial void LogSwept(int count, int failed);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeper could not wake the overdue metrics readings of due shard {Shard}: {Reason}")]
    private partial void LogTrackingSweepFailed(short shard, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Sweeper could not wake publication {PostId} to {AccountId}: {Reason}")]
    private partial void LogWakeFailed(string postId, string accountId, string reason);
}
