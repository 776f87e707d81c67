namespace PostNext.SchedulerBenchmark.Tests;

/// <summary>
/// The benchmark's smoke run (<see cref="BenchmarkOptions.SmokeRun"/>): a throwaway PostgreSQL, a PostNext silo
/// process, Quartz and Hangfire worker processes, 200 jobs each. It keeps the benchmark working; it asserts that
/// every job ran exactly once and the figures are sane, never a speed goal. The run's log and table go to the output.
/// </summary>
public sealed class SmokeRunTests(ITestOutputHelper output)
{
    [Fact(Timeout = 10 * 60 * 1000)]
    public async Task Every_scheduler_runs_each_of_its_jobs_once_and_reports_sane_figures()
    {
        var directory = Path.Combine(Path.GetTempPath(), "postnext-scheduler-smoke-" + Guid.NewGuid().ToString("N")[..8]);
        var options = BenchmarkOptions.SmokeRun() with { ResultsDirectory = directory };

        var report = await BenchmarkRunner.RunAsync(options, output.WriteLine, CancellationToken.None);

        Assert.Equal(BenchmarkOptions.AllSchedulers, report.Results.Select(r => r.Scheduler));
        foreach (var result in report.Results)
        {
            AssertSane(result, options);
        }

        var intake = Assert.Single(report.Results, r => r.Intake is not null).Intake!;
        Assert.True(intake.PerSecond > 0, $"intake {intake.PerSecond}/s");
        Assert.True(intake.OneWorkspacePerSecond > 0, $"intake into one workspace {intake.OneWorkspacePerSecond}/s");
        Assert.True(File.Exists(Path.Combine(directory, "results.json")));
        Directory.Delete(directory, recursive: true);
    }

    private static void AssertSane(SchedulerResult result, BenchmarkOptions options)
    {
        var name = result.Scheduler;
        Assert.True(result.Error is null, $"{name} failed: {result.Error}");
        var lateness = result.Lateness!;
        Assert.True(lateness.Lost == 0, $"{name}: {lateness.Lost} jobs never ran");
        Assert.True(lateness.Duplicated == 0 && lateness.ExtraRuns == 0, $"{name}: {lateness.Duplicated} jobs ran more than once");
        Assert.Equal(options.Jobs, lateness.Ran);
        Assert.True(result.RegisteredPerSecond > 0, $"{name}: registered {result.RegisteredPerSecond}/s");

        // No job runs before its time (100 ms of clock granularity allowed); none after the timeout.
        Assert.True(lateness.P50Seconds >= -0.1 && lateness.P50Seconds <= lateness.P99Seconds && lateness.P99Seconds <= lateness.MaxSeconds,
            $"{name}: p50 {lateness.P50Seconds}, p99 {lateness.P99Seconds}, max {lateness.MaxSeconds}");
        Assert.True(lateness.MaxSeconds <= options.EffectiveTimeout.TotalSeconds, $"{name}: max lateness {lateness.MaxSeconds} s");
        Assert.True(lateness.DrainPerSecond > 0, $"{name}: drain {lateness.DrainPerSecond}/s");

        // Running a job writes something besides the job's own record; each job's record was counted as such.
        Assert.True(result.WritesPerJob > 0, $"{name}: {result.WritesPerJob} writes per job");
        // (The sandbox writes its receipts by group commit, so PostNext's job records take fewer statements than jobs.)
        var records = result.Statements!.JobRecords;
        Assert.True(name == BenchmarkOptions.PostNext ? records > 0 && records <= options.Jobs : records >= options.Jobs, $"{name}: {records} job records counted");
        Assert.True(result.PeakRssMiB > 10, $"{name}: peak RSS {result.PeakRssMiB} MiB");
    }
}
