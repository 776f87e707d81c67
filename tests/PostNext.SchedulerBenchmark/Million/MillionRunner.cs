using System.Globalization;
using System.Text;
using System.Text.Json;

namespace PostNext.SchedulerBenchmark.Million;

/// <summary>What the pending-posts mode measured.</summary>
public sealed record MillionResult(
    MachineInfo Machine,
    int Posts,
    int Workspaces,
    int Concurrency,
    int Days,
    double CreationSeconds,
    double CreationPerSecond,
    double FirstStartToReadySeconds,
    double RssAfterCreationMiB,
    double PeakRssDuringCreationMiB,
    double IdleCpuPercentAfterCreation,
    double RestartToReadySeconds,
    double RssAfterRestartMiB,
    double PeakRssAfterRestartMiB,
    double IdleCpuPercentAfterRestart,
    IReadOnlyDictionary<string, long> Rows,
    IReadOnlyDictionary<string, string> TableSizes,
    IReadOnlyList<string> Configuration);

/// <summary>
/// The pending-posts mode (--million): one PostNext silo, a million single-target sandbox posts created through the
/// public API across many workspaces, due over the next 30 days (the first an hour away, so nothing is due while it
/// measures); then the silo's memory, its idle CPU, a restart (SIGKILL, start, time to /health/ready) and the same
/// again, and the rows it keeps in PostgreSQL.
/// </summary>
public static class MillionRunner
{
    private static readonly TimeSpan ProgressEvery = TimeSpan.FromSeconds(15);

    /// <summary>After creation and after the restart: let start-up work (reminder loading, activations) settle first.</summary>
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(30);

    public static async Task<MillionResult> RunAsync(BenchmarkOptions options, Action<string> output, CancellationToken cancellationToken)
    {
        using var run = RunOutput.Open(options, output);
        var (directory, log, machine) = (run.Directory, run.Log, run.Machine);

        await using var postgres = await BenchmarkPostgres.StartAsync(directory, log);
        var siloAssembly = Binaries.Prepare(options.Configuration, directory, log).Silo;
        var database = await postgres.CreateDatabaseAsync("million");
        var silo = PostNextSilo.Create(siloAssembly, database, directory, options.SiloSettings);
        await using var postNext = new PostNextScheduler(silo, database, new NpgsqlConnectionStringBuilder(database).Database!, options.Concurrency);

        var firstStart = await silo.StartAsync(cancellationToken);
        log.Line($"silo ready {firstStart.TotalSeconds:0.0} s after its start (empty database), pid {silo.ProcessId}");
        var targets = new (string, string, string)[options.IntakeWorkspaces];
        for (var i = 0; i < targets.Length; i++)
        {
            targets[i] = await postNext.CreateWorkspaceAsync($"million{i}", cancellationToken);
        }

        var now = DateTimeOffset.UtcNow;
        var first = now + TimeSpan.FromHours(1);
        var spread = TimeSpan.FromDays(options.MillionDays) - TimeSpan.FromHours(1);
        log.Line($"creating {options.MillionPosts:N0} posts through the API across {targets.Length} workspaces, {options.Concurrency} concurrent requests, " +
                 $"due from {first:u} to {now + TimeSpan.FromDays(options.MillionDays):u}");
        var nextProgress = DateTimeOffset.UtcNow + ProgressEvery;
        var progressGate = new Lock();
        var creation = await postNext.CreatePostsAsync(targets, options.MillionPosts, i => first + spread * (i / (double)options.MillionPosts), "million",
            cancellationToken, done =>
            {
                lock (progressGate)
                {
                    if (DateTimeOffset.UtcNow < nextProgress)
                    {
                        return;
                    }

                    nextProgress = DateTimeOffset.UtcNow + ProgressEvery;
                }

                var elapsed = (DateTimeOffset.UtcNow - now).TotalSeconds;
                log.Line($"{done:N0} posts created ({done / elapsed:0}/s), silo RSS {ProcessStats.Read(silo.ProcessId ?? 0)?.RssMiB:0} MiB");
            });
        log.Line($"{options.MillionPosts:N0} posts created in {creation.TotalSeconds:0} s ({options.MillionPosts / creation.TotalSeconds:0}/s)");

        var (rssAfterCreation, peakDuringCreation, idleAfterCreation) = await MeasureIdleAsync(silo, options.IdleWindow, log, "after creation", cancellationToken);

        await silo.KillAsync();
        log.Line("silo SIGKILLed; starting it again");
        var restart = await silo.StartAsync(cancellationToken);
        log.Line($"silo ready {restart.TotalSeconds:0.0} s after its restart, pid {silo.ProcessId}");
        var (rssAfterRestart, peakAfterRestart, idleAfterRestart) = await MeasureIdleAsync(silo, options.IdleWindow, log, "after the restart", cancellationToken);

        var (rows, sizes) = await CountRowsAsync(database);
        log.Line("rows: " + string.Join(", ", rows.Select(r => $"{r.Key} {r.Value:N0}")));
        var result = new MillionResult(
            machine, options.MillionPosts, targets.Length, options.Concurrency, options.MillionDays, creation.TotalSeconds, options.MillionPosts / creation.TotalSeconds,
            firstStart.TotalSeconds, rssAfterCreation, peakDuringCreation, idleAfterCreation, restart.TotalSeconds, rssAfterRestart, peakAfterRestart, idleAfterRestart,
            rows, sizes, silo.Configuration);
        var table = Format(result);
        File.WriteAllText(Path.Combine(directory, "million.json"), JsonSerializer.Serialize(result, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
        File.WriteAllText(Path.Combine(directory, "million.md"), table);
        foreach (var line in table.TrimEnd().Split('\n'))
        {
            log.Line(line);
        }

        log.Line($"million.json, million.md and the logs are in {directory}");
        return result;
    }

    /// <summary>After <see cref="Settle"/>: RSS now, the peak so far, and the CPU the silo used over <paramref name="window"/> (% of one core).</summary>
    private static async Task<(double Rss, double Peak, double IdleCpuPercent)> MeasureIdleAsync(
        PostNextSilo silo, TimeSpan window, RunLog log, string when, CancellationToken cancellationToken)
    {
        await Task.Delay(Settle, cancellationToken);
        var pid = silo.ProcessId ?? throw new InvalidOperationException("The silo is not running.");
        var start = ProcessStats.Read(pid)!;
        await Task.Delay(window, cancellationToken);
        var end = ProcessStats.Read(pid)!;
        var cpu = (end.CpuTime - start.CpuTime).TotalSeconds / window.TotalSeconds * 100;
        log.Line($"{when}: RSS {end.RssMiB:0} MiB (peak {end.PeakRssMiB:0} MiB), idle CPU {cpu:0.0} % of one core over {window.TotalSeconds:0} s");
        return (end.RssMiB, end.PeakRssMiB, cpu);
    }

    private static async Task<(Dictionary<string, long> Rows, Dictionary<string, string> Sizes)> CountRowsAsync(string connectionString)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        var rows = new Dictionary<string, long>(StringComparer.Ordinal);
        foreach (var table in new[] { "orleans_reminder", "orleans_grain_state", "postnext_calendar", "postnext_posts" })
        {
            await using var count = new NpgsqlCommand($"SELECT count(*) FROM {table}", connection);
            rows[table] = (long)(await count.ExecuteScalarAsync())!;
        }

        await using (var byType = new NpgsqlCommand("SELECT grain_type, count(*) FROM orleans_grain_state GROUP BY 1 ORDER BY 2 DESC", connection))
        await using (var reader = await byType.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                rows["orleans_grain_state: " + reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        var sizes = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var size = new NpgsqlCommand(
                         "SELECT relname, pg_size_pretty(pg_total_relation_size(oid)) FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace ORDER BY pg_total_relation_size(oid) DESC LIMIT 8",
                         connection))
        await using (var reader = await size.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                sizes[reader.GetString(0)] = reader.GetString(1);
            }
        }

        return (rows, sizes);
    }

    private static string Format(MillionResult r)
    {
        var text = new StringBuilder();
        text.AppendLine("| pending posts | created through the API | silo RSS after creation | idle CPU | restart to ready | RSS after restart | idle CPU after restart | reminder rows | grain-state rows |");
        text.AppendLine("|---:|---:|---:|---:|---:|---:|---:|---:|---:|");
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| {r.Posts:N0} | {r.CreationSeconds:0} s ({r.CreationPerSecond:0}/s, {r.Workspaces} workspaces) | {r.RssAfterCreationMiB:0} MiB (peak {r.PeakRssDuringCreationMiB:0}) | " +
            $"{r.IdleCpuPercentAfterCreation:0.0} % | {r.RestartToReadySeconds:0.0} s | {r.RssAfterRestartMiB:0} MiB (peak {r.PeakRssAfterRestartMiB:0}) | {r.IdleCpuPercentAfterRestart:0.0} % | " +
            $"{r.Rows.GetValueOrDefault("orleans_reminder"):N0} | {r.Rows.GetValueOrDefault("orleans_grain_state"):N0} |"));
        return text.ToString();
    }
}
