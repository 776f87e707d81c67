using Hangfire;
using Hangfire.PostgreSql;

namespace PostNext.SchedulerBenchmark.Workers;

/// <summary>
/// Hangfire 1.8.25 with Hangfire.PostgreSql 1.21.1 (its schema made by the storage at start), the configuration
/// Hangfire's documentation starts from (compatibility level 1.8, simple assembly names, recommended serializer
/// settings), one <see cref="BackgroundJobServer"/> with default options (worker count min(5 × cores, 20) = 10 on 2
/// cores, schedule polling every 15 s) and <c>BackgroundJobClient.Schedule</c> for each job.
/// </summary>
public sealed class HangfireWorker(string connectionString) : IJobWorker
{
    public const string Name = "hangfire";

    private readonly BackgroundJobServerOptions _serverOptions = new();
    private readonly PostgreSqlStorageOptions _storageOptions = new();
    private BackgroundJobServer? _server;
    private BackgroundJobClient? _client;

    public IReadOnlyList<string> Configuration =>
    [
        "Hangfire 1.8.25 + Hangfire.PostgreSql 1.21.1 (schema prepared by the storage), CompatibilityLevel.Version_180, recommended serializer settings",
        $"BackgroundJobServer defaults: WorkerCount {_serverOptions.WorkerCount}, SchedulePollingInterval {_serverOptions.SchedulePollingInterval.TotalSeconds:0} s; " +
        $"storage defaults: QueuePollInterval {_storageOptions.QueuePollInterval.TotalSeconds:0.###} s",
        "jobs: BackgroundJobClient.Schedule(() => HangfireJob.RunAsync(key), due) from the worker process",
        $"a job ran = its row in {RunRecorder.Table} (the job body's first action, the worker's clock)",
    ];

    public Task StartAsync(CancellationToken cancellationToken)
    {
        GlobalConfiguration.Configuration
            .SetDataCompatibilityLevel(CompatibilityLevel.Version_180)
            .UseSimpleAssemblyNameTypeSerializer()
            .UseRecommendedSerializerSettings()
            .UsePostgreSqlStorage(bootstrap => bootstrap.UseNpgsqlConnection(connectionString), _storageOptions);
        _client = new BackgroundJobClient();
        _server = new BackgroundJobServer(_serverOptions);
        return Task.CompletedTask;
    }

    public Task ScheduleAsync(string key, DateTimeOffset due, CancellationToken cancellationToken)
    {
        _client!.Schedule(() => HangfireJob.RunAsync(key), due);
        return Task.CompletedTask;
    }

    public ValueTask DisposeAsync()
    {
        _server?.Dispose();
        return ValueTask.CompletedTask;
    }
}

/// <summary>The trivial job: records that it ran.</summary>
public static class HangfireJob
{
    public static Task RunAsync(string key) => RunRecorder.RecordAsync(key);
}
