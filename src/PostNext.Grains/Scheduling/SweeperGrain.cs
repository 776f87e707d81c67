using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PostNext.Abstractions.Posts;
using PostNext.Storage.Calendar;

namespace PostNext.Grains.Scheduling;

/// <summary>Wakes publications left pending in the past, a bounded batch per sweep, a few at a time.</summary>
public sealed partial class SweeperGrain(
    ICalendarStore calendar,
    IOptions<SchedulingOptions> options,
    TimeProvider time,
    ILogger<SweeperGrain> logger) : Grain, ISweeperGrain, IRemindable
{
    private const string ReminderName = "sweep";
    private const int BatchSize = 500;
    private const int Parallelism = 16;

    public async Task StartAsync() =>
        await this.RegisterOrUpdateReminder(ReminderName, options.Value.SweepPeriod, options.Value.SweepPeriod);

    public async Task<int> SweepAsync()
    {
        var overdue = await calendar.OverdueAsync(time.GetUtcNow() - options.Value.SweepGrace, BatchSize);
        await Parallel.ForEachAsync(overdue, new ParallelOptions { MaxDegreeOfParallelism = Parallelism, TaskScheduler = TaskScheduler.Current }, async (entry, _) =>
            await GrainFactory.GetGrain<IPublicationGrain>(PublicationKey.For(entry.PostId, entry.AccountId)).WakeAsync());
        if (overdue.Count > 0)
        {
            LogSwept(overdue.Count);
        }

        return overdue.Count;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == ReminderName)
        {
            await SweepAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Sweeper woke {Count} publication(s) left pending past their time")]
    private partial void LogSwept(int count);
}
