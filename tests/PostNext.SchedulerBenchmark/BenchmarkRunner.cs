using System.Globalization;
using System.Text.Json;

namespace PostNext.SchedulerBenchmark;

/// <summary>Everything one run measured: the machine, PostgreSQL's settings, and a result per scheduler.</summary>
public sealed record BenchmarkReport(
    MachineInfo Machine, IReadOnlyDictionary<string, string> Postgres, BenchmarkOptions Options, IReadOnlyList<SchedulerResult> Results, string Table,
    string ResultsDirectory)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public void Save()
    {
        File.WriteAllText(Path.Combine(ResultsDirectory, "results.json"), JsonSerializer.Serialize(this, Json));
        File.WriteAllText(Path.Combine(ResultsDirectory, "table.md"), Table);
    }
}

/// <summary>
/// The comparison: one throwaway PostgreSQL, then each scheduler in turn on a database of its own — start it,
/// register N jobs due at one instant, wait (bounded) until each ran, and measure lateness, drain, the write
/// statements of the drain window and the scheduler process's peak memory.
/// </summary>
public static class BenchmarkRunner
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(10);

    public static async Task<BenchmarkReport> RunAsync(BenchmarkOptions options, Action<string> output, CancellationToken cancellationToken)
    {
        using var run = RunOutput.Open(options, output);
        var (directory, log, machine) = (run.Directory, run.Log, run.Machine);
        log.Line($"{options.Jobs:N0} jobs per scheduler ({string.Join(", ", options.Schedulers)}), lead {options.EffectiveLead.TotalSeconds:0} s, " +
                 $"timeout {options.EffectiveTimeout.TotalSeconds:0} s, concurrency {options.Concurrency}; results in {directory}");

        await using var postgres = await BenchmarkPostgres.StartAsync(directory, log);
        var silo = options.Schedulers.Contains(BenchmarkOptions.PostNext) ? Binaries.Prepare(options.Configuration, directory, log).Silo : null;
        var results = new List<SchedulerResult>();
        foreach (var name in options.Schedulers)
        {
            var database = new NpgsqlConnectionStringBuilder(await postgres.CreateDatabaseAsync(name)) { NoResetOnClose = true }.ConnectionString;
            ISchedulerUnderTest scheduler = name == BenchmarkOptions.PostNext
                ? new PostNextScheduler(PostNextSilo.Create(silo!, database, directory, options.SiloSettings), database, Database(database), options.Concurrency)
                : new WorkerScheduler(name, database, Database(database), directory, options.Concurrency, options.EffectiveLead + options.EffectiveTimeout + TimeSpan.FromMinutes(30));
            try
            {
                results.Add(await MeasureAsync(scheduler, postgres, options, log, cancellationToken));
            }
            catch (Exception ex) when (!cancellationToken.IsCancellationRequested)
            {
                log.Line($"{name} failed: {ex}");
                results.Add(SchedulerResult.Failed(name, options.Jobs, ex.Message));
            }
            finally
            {
                await scheduler.DisposeAsync();
            }
        }

        var table = ResultTable.Format(results);
        var report = new BenchmarkReport(machine, postgres.Settings, options, results, table, directory);
        report.Save();
        log.Line("Results:");
        foreach (var line in table.TrimEnd().Split('\n'))
        {
            log.Line(line.TrimEnd('\r'));
        }

        foreach (var intake in results.Where(r => r.Intake is not null))
        {
            log.Line($"{intake.Scheduler} API intake on a warm silo: {intake.Intake!.OneWorkspacePerSecond:0} posts/s into one workspace, " +
                     $"{intake.Intake.PerSecond:0} posts/s across {intake.Intake.Workspaces} workspaces ({intake.Intake.Posts:N0} posts each, " +
                     $"{intake.Intake.Concurrency} concurrent requests); {intake.RegisteredPerSecond:0} posts/s in the registration above (a cold silo)");
        }

        log.Line($"results.json, table.md and the logs are in {directory}");
        return report;
    }

    private static async Task<SchedulerResult> MeasureAsync(ISchedulerUnderTest scheduler, BenchmarkPostgres postgres, BenchmarkOptions options, RunLog log, CancellationToken cancellationToken)
    {
        var name = scheduler.Name;
        await scheduler.StartAsync(cancellationToken);
        log.Line($"{name}: started; registering {options.Jobs:N0} jobs due {options.EffectiveLead.TotalSeconds:0} s from now");
        var registration = await scheduler.RegisterAsync(options.Jobs, options.EffectiveLead, cancellationToken);
        log.Line($"{name}: {registration.Keys.Count:N0} registered in {registration.Seconds:0.0} s ({registration.PerSecond:0}/s)" +
                 (registration.Overran ? $"; registration overran the due instant by {(registration.FinishedAt - registration.Due).TotalSeconds:0.0} s" : ""));

        // The drain window starts just before the instant (or now, when registration overran it).
        var untilDue = registration.Due - TimeSpan.FromSeconds(1) - DateTimeOffset.UtcNow;
        if (untilDue > TimeSpan.Zero)
        {
            await Task.Delay(untilDue, cancellationToken);
        }

        var connectionString = scheduler.Runs.ConnectionString;
        var writingFunctions = await StatementCounter.WritingFunctionsAsync(connectionString);
        var before = await StatementCounter.SnapshotAsync(postgres.AdminConnectionString, scheduler.Database);
        var timesBefore = await StatementCounter.TimesAsync(postgres.AdminConnectionString, scheduler.Database);
        var ran = await WaitForRunsAsync(scheduler, registration, options, log, cancellationToken);
        await Task.Delay(options.Settle, cancellationToken);
        var statements = StatementCounter.Difference(
            before, await StatementCounter.SnapshotAsync(postgres.AdminConnectionString, scheduler.Database), scheduler.Runs.Table, writingFunctions);
        var busiest = StatementCounter.Busiest(timesBefore, await StatementCounter.TimesAsync(postgres.AdminConnectionString, scheduler.Database), 10);
        var memory = scheduler.ProcessId is { } pid ? ProcessStats.Read(pid) : null;
        var lateness = LatenessSummary.Of(registration.Keys, registration.Due, await scheduler.Runs.ReadAsync(cancellationToken));
        var load = LoadAverage();
        log.Line($"{name}: {ran:N0}/{registration.Keys.Count:N0} ran; p50 {lateness.P50Seconds:0.00} s, p99 {lateness.P99Seconds:0.00} s, max {lateness.MaxSeconds:0.00} s, " +
                 $"drain {lateness.DrainPerSecond:0}/s, lost {lateness.Lost}, duplicated {lateness.Duplicated}, writes {statements.Writes:N0}, peak RSS {memory?.PeakRssMiB:0} MiB; load average {load}");

        IntakeResult? intake = null;
        if (scheduler is PostNextScheduler postNext && options.IntakePosts > 0)
        {
            log.Line($"{name}: intake, {options.IntakePosts:N0} posts due in 20 days into one workspace, then as many across {options.IntakeWorkspaces} workspaces");
            intake = await postNext.MeasureIntakeAsync(options.IntakeWorkspaces, options.IntakePosts, TimeSpan.FromDays(20), cancellationToken);
            log.Line($"{name}: intake {intake.OneWorkspacePerSecond:0} posts/s into one workspace, {intake.PerSecond:0} posts/s across {intake.Workspaces} workspaces");
        }

        return new SchedulerResult(
            name, options.Jobs, registration.Due, registration.Seconds, registration.PerSecond, registration.Overran,
            registration.Retries,
            lateness, statements, memory?.PeakRssMiB, intake, scheduler.Configuration, load, BusiestStatements: busiest);
    }

    /// <summary>Polls the run records until every job ran or the timeout after the instant passed; returns how many ran.</summary>
    private static async Task<int> WaitForRunsAsync(ISchedulerUnderTest scheduler, Registration registration, BenchmarkOptions options, RunLog log, CancellationToken cancellationToken)
    {
        var deadline = registration.Due + options.EffectiveTimeout;
        var nextProgress = DateTimeOffset.UtcNow + ProgressEvery;
        while (true)
        {
            var ran = await scheduler.Runs.CountDistinctAsync(cancellationToken);
            var now = DateTimeOffset.UtcNow;
            if (ran >= registration.Keys.Count || now > deadline)
            {
                if (ran < registration.Keys.Count)
                {
                    log.Line($"{scheduler.Name}: timeout, {ran:N0}/{registration.Keys.Count:N0} ran {options.EffectiveTimeout.TotalSeconds:0} s after the instant");
                }

                return ran;
            }

            if (now >= nextProgress)
            {
                var memory = scheduler.ProcessId is { } pid ? ProcessStats.Read(pid) : null;
                log.Line($"{scheduler.Name}: {ran:N0}/{registration.Keys.Count:N0} ran, {(now - registration.Due).TotalSeconds:0} s after the instant, RSS {memory?.RssMiB:0} MiB");
                nextProgress = now + ProgressEvery;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(250), cancellationToken);
        }
    }

    /// <summary>The machine's 1, 5 and 15 minute load averages (other work on the machine shows here).</summary>
    private static string LoadAverage() =>
        File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : "?";

    private static string Database(string connectionString) => new NpgsqlConnectionStringBuilder(connectionString).Database!;
}
