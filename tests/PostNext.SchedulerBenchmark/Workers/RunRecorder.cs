namespace PostNext.SchedulerBenchmark.Workers;

/// <summary>
/// The trivial job body of the Quartz and Hangfire workers: one row (job key, the time the body started) in
/// <c>bench_job_runs</c>, the same one INSERT the PostNext sandbox makes for its receipt.
/// </summary>
public static class RunRecorder
{
    public const string Table = "bench_job_runs";

    public const string CreateTable = $"CREATE TABLE {Table} (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY, job_key text NOT NULL, ran_at timestamptz NOT NULL)";

    public const string RunsQuery = $"SELECT job_key, ran_at FROM {Table}";

    private static NpgsqlDataSource? _dataSource;

    public static void Use(string connectionString) => _dataSource = NpgsqlDataSource.Create(connectionString);

    /// <summary>Records that job <paramref name="key"/> runs now.</summary>
    public static async Task RecordAsync(string key, CancellationToken cancellationToken = default)
    {
        var ranAt = DateTimeOffset.UtcNow;
        var dataSource = _dataSource ?? throw new InvalidOperationException("RunRecorder.Use was not called.");
        await using var command = dataSource.CreateCommand($"INSERT INTO {Table} (job_key, ran_at) VALUES ($1, $2)");
        command.Parameters.Add(new NpgsqlParameter { Value = key });
        command.Parameters.Add(new NpgsqlParameter { Value = ranAt });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }
}
