using Quartz;

namespace PostNext.SchedulerBenchmark.Workers;

/// <summary>
/// Quartz.NET 4.7.3 with the clustered ADO.NET job store on PostgreSQL (Npgsql, tables qrtz_* made by the benchmark
/// from Quartz/quartz_tables_postgres.sql), its default thread pool of 10 (plenty for a job that makes one INSERT on
/// 2 cores) and every other setting at its default (misfire threshold 60 s, one trigger acquired per batch). Each job
/// is a durable-less job with a one-shot simple trigger.
/// </summary>
public sealed class QuartzWorker(string connectionString) : IJobWorker
{
    public const string Name = "quartz";

    /// <summary>Quartz's default <c>quartz.threadPool.maxConcurrency</c>, said explicitly.</summary>
    public const int MaxConcurrency = 10;

    private IScheduler? _scheduler;

    public IReadOnlyList<string> Configuration =>
    [
        "Quartz.NET 4.7.3, AdoJobStore on PostgreSQL (UsePostgres, Npgsql), clustered (UseClustering), System.Text.Json serializer",
        $"thread pool: default, MaxConcurrency {MaxConcurrency}; misfire threshold, batch size and check-in interval: defaults",
        "jobs: one IJob + one simple trigger (StartAt the due time, no repeat) each, ScheduleJob from the worker process",
        $"a job ran = its row in {RunRecorder.Table} (the job body's first action, the worker's clock)",
    ];

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        _scheduler = await QuartzSchedulerBuilder.Create(quartz =>
            {
                quartz.UseDefaultThreadPool(MaxConcurrency);
                quartz.UsePersistentStore(store =>
                {
                    store.UsePostgres(connectionString);
                    store.UseClustering();
                    store.UseSystemTextJsonSerializer();
                });
            })
            .BuildScheduler(cancellationToken);
        await _scheduler.Start(cancellationToken);
    }

    public async Task ScheduleAsync(string key, DateTimeOffset due, CancellationToken cancellationToken)
    {
        var job = JobBuilder.Create<RecordRunJob>().WithIdentity(key, "benchmark").Build();
        var trigger = TriggerBuilder.Create().WithIdentity(key, "benchmark").StartAt(due).Build();
        await _scheduler!.ScheduleJob(job, trigger, cancellationToken: cancellationToken);
    }

    public async ValueTask DisposeAsync()
    {
        if (_scheduler is not null)
        {
            await _scheduler.Shutdown(waitForJobsToComplete: false);
        }
    }

    /// <summary>The trivial job: records that it ran.</summary>
    public sealed class RecordRunJob : IJob
    {
        public async ValueTask Execute(IJobExecutionContext context, CancellationToken cancellationToken) =>
            await RunRecorder.RecordAsync(context.JobDetail.Key.Name, cancellationToken);
    }
}
