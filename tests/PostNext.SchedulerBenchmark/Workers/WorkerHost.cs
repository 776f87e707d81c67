using System.Globalization;

namespace PostNext.SchedulerBenchmark.Workers;

/// <summary>A comparison scheduler inside a worker process: started, given jobs, then left running until the benchmark kills it.</summary>
public interface IJobWorker : IAsyncDisposable
{
    /// <summary>How it is configured, one setting a line, for the report.</summary>
    IReadOnlyList<string> Configuration { get; }

    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Registers one job, <paramref name="key"/>, due at <paramref name="due"/>; its body records the run.</summary>
    Task ScheduleAsync(string key, DateTimeOffset due, CancellationToken cancellationToken);
}

/// <summary>
/// The worker process (<c>PostNext.SchedulerBenchmark worker quartz|hangfire …</c>): starts the scheduler, picks the
/// due instant (now + lead), registers the jobs, reports through the status file and keeps running (its scheduler
/// runs the jobs) until the benchmark kills it, or <see cref="WorkerArguments.ExitAfter"/> at the latest.
/// </summary>
public static class WorkerHost
{
    public static string JobKey(int index) => "job-" + index.ToString(CultureInfo.InvariantCulture);

    public static async Task<int> RunAsync(IReadOnlyList<string> args)
    {
        var arguments = WorkerArguments.Parse(args);
        try
        {
            RunRecorder.Use(arguments.ConnectionString);
            await using IJobWorker worker = arguments.Kind switch
            {
                QuartzWorker.Name => new QuartzWorker(arguments.ConnectionString),
                HangfireWorker.Name => new HangfireWorker(arguments.ConnectionString),
                _ => throw new ArgumentException($"Unknown worker '{arguments.Kind}'."),
            };
            using var lifetime = new CancellationTokenSource(arguments.ExitAfter);
            await worker.StartAsync(lifetime.Token);

            var started = DateTimeOffset.UtcNow;
            var status = new WorkerStatus(Due: started + arguments.Lead, RegistrationStarted: started, Configuration: worker.Configuration);
            status.WriteTo(arguments.StatusPath);
            await Parallel.ForEachAsync(
                Enumerable.Range(0, arguments.Jobs),
                new ParallelOptions { MaxDegreeOfParallelism = arguments.Concurrency, CancellationToken = lifetime.Token },
                async (i, ct) => await worker.ScheduleAsync(JobKey(i), status.Due!.Value, ct));
            (status with { RegistrationFinished = DateTimeOffset.UtcNow, Registered = arguments.Jobs }).WriteTo(arguments.StatusPath);

            await Task.Delay(Timeout.InfiniteTimeSpan, lifetime.Token).ContinueWith(_ => { }, TaskScheduler.Default);
            return 0;
        }
        catch (Exception ex)
        {
            new WorkerStatus(Error: ex.ToString()).WriteTo(arguments.StatusPath);
            Console.Error.WriteLine(ex);
            return 1;
        }
    }
}
