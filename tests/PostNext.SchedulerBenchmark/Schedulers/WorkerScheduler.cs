using System.Diagnostics;
using PostNext.SchedulerBenchmark.Workers;

namespace PostNext.SchedulerBenchmark.Schedulers;

/// <summary>
/// Quartz or Hangfire, each in its own worker process (this benchmark's assembly run as <c>worker quartz|hangfire</c>),
/// so its memory is measured like the PostNext silo's and nothing of another scheduler's run stays in it. The
/// worker registers the jobs itself and reports through a status file; its job bodies write <c>bench_job_runs</c>.
/// </summary>
public sealed class WorkerScheduler(string kind, string connectionString, string database, string runDirectory, int concurrency, TimeSpan exitAfter)
    : ISchedulerUnderTest
{
    private static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(200);

    private Process? _process;
    private WorkerStatus? _status;

    public string Name => kind;

    public string Database => database;

    public IReadOnlyList<string> Configuration =>
        [$"separate worker process; jobs registered by {concurrency} concurrent tasks in it", .. _status?.Configuration ?? []];

    public RunSource Runs => new(connectionString, RunRecorder.Table, RunRecorder.RunsQuery);

    public int? ProcessId => _process is { HasExited: false } process ? process.Id : null;

    private string StatusPath => Path.Combine(runDirectory, $"{kind}-status.json");

    private string LogPath => Path.Combine(runDirectory, $"{kind}-worker.log");

    /// <summary>Makes the tables the worker needs: the run records, and for Quartz its job store.</summary>
    public async Task StartAsync(CancellationToken cancellationToken)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync(cancellationToken);
        var ddl = RunRecorder.CreateTable + ";" + (kind == QuartzWorker.Name ? QuartzSchema() : "");
        await using var command = new NpgsqlCommand(ddl, connection);
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    /// <summary>Starts the worker, which registers the jobs; waits for its report.</summary>
    public async Task<Registration> RegisterAsync(int jobs, TimeSpan lead, CancellationToken cancellationToken)
    {
        File.Delete(StatusPath);
        var arguments = new WorkerArguments(kind, connectionString, jobs, lead, concurrency, StatusPath, exitAfter);
        var assembly = WorkerAssembly();
        _process = await ChildProcesses.StartAsync(PostNextSilo.DotnetHost(), [assembly, .. arguments.ToArguments()], LogPath, Path.GetDirectoryName(assembly)!);
        var deadline = DateTime.UtcNow + lead + TimeSpan.FromMinutes(10);
        while (true)
        {
            _status = WorkerStatus.ReadFrom(StatusPath);
            if (_status?.Error is { } error)
            {
                throw new InvalidOperationException($"The {kind} worker failed: {error}");
            }

            if (_status is { Done: true, Due: { } due, RegistrationStarted: { } started, RegistrationFinished: { } finished })
            {
                return new Registration([.. Enumerable.Range(0, jobs).Select(WorkerHost.JobKey)], due, started, finished, 0);
            }

            if (_process.HasExited)
            {
                throw new InvalidOperationException($"The {kind} worker exited with {_process.ExitCode} before it registered its jobs; see {LogPath}.");
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"The {kind} worker did not register {jobs} jobs in time; see {LogPath}.");
            }

            await Task.Delay(PollInterval, cancellationToken);
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_process is { HasExited: false } process)
        {
            process.Kill();
            await process.WaitForExitAsync();
        }

        _process?.Dispose();
    }

    private static string QuartzSchema()
    {
        using var stream = typeof(WorkerScheduler).Assembly.GetManifestResourceStream("quartz_tables_postgres.sql")!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }

    /// <summary>
    /// This benchmark's assembly, where it can be run from: next to its runtimeconfig (dotnet run), else the build in
    /// the repository (when a test project loaded it).
    /// </summary>
    private static string WorkerAssembly()
    {
        var own = typeof(WorkerHost).Assembly.Location;
        if (File.Exists(Path.ChangeExtension(own, ".runtimeconfig.json")))
        {
            return own;
        }

        var built = Path.Combine(Binaries.RepositoryRoot(), "tests", "PostNext.SchedulerBenchmark", "bin", BenchmarkOptions.BuildConfiguration, "net10.0",
            Path.GetFileName(own));
        return File.Exists(built) ? built : throw new InvalidOperationException($"{built} is not built.");
    }
}
