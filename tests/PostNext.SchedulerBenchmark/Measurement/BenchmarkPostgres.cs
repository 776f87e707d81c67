using PostNext.Testing;

namespace PostNext.SchedulerBenchmark.Measurement;

/// <summary>
/// The one throwaway PostgreSQL every scheduler of a run shares (the tests' <see cref="PostgresServer"/>: fsync,
/// synchronous_commit and full_page_writes off), restarted once with <c>pg_stat_statements</c> preloaded so write
/// statements can be counted. Each scheduler gets its own database; the statement counters are kept per database.
/// </summary>
public sealed class BenchmarkPostgres : IAsyncDisposable
{
    /// <summary>The server settings the report lists.</summary>
    private static readonly string[] ReportedSettings =
    [
        "server_version", "max_connections", "shared_buffers", "fsync", "synchronous_commit", "full_page_writes",
        "shared_preload_libraries", "pg_stat_statements.track", "pg_stat_statements.max", "track_utility",
    ];

    /// <summary>One silo's pools, a worker's and the benchmark's own fit well within the tests' usual 300.</summary>
    private const int MaxConnections = 300;

    private readonly PostgresServer _server;
    private readonly string _resultsDirectory;

    private BenchmarkPostgres(PostgresServer server, string resultsDirectory, IReadOnlyDictionary<string, string> settings)
    {
        _server = server;
        _resultsDirectory = resultsDirectory;
        Settings = settings;
    }

    public string AdminConnectionString => _server.AdminConnectionString;

    /// <summary>The server's settings that matter for the figures (name → value).</summary>
    public IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>Starts a private server (never the one in POSTNEXT_TEST_POSTGRES: the benchmark restarts it and owns it).</summary>
    public static async Task<BenchmarkPostgres> StartAsync(string resultsDirectory, RunLog log)
    {
        var server = await PostgresServer.StartAsync(MaxConnections, allowExternal: false);
        server.StopWhenThisProcessExits();
        try
        {
            await EnableStatementStatisticsAsync(server);
            var settings = await ReadSettingsAsync(server.AdminConnectionString);
            log.Line($"PostgreSQL {settings.GetValueOrDefault("server_version")} on port {new NpgsqlConnectionStringBuilder(server.AdminConnectionString).Port}: " +
                     string.Join(", ", settings.Where(s => s.Key != "server_version").Select(s => $"{s.Key}={s.Value}")));
            return new BenchmarkPostgres(server, resultsDirectory, settings);
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    /// <summary>A new, empty database for one scheduler; returns its connection string.</summary>
    public Task<string> CreateDatabaseAsync(string prefix) => _server.CreateDatabaseAsync(prefix);

    /// <summary>Stops and deletes the server, keeping its log in the results directory.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_server.LogPath is { } log && File.Exists(log))
        {
            File.Copy(log, Path.Combine(_resultsDirectory, "postgres.log"), overwrite: true);
        }

        await _server.DisposeAsync();
    }

    /// <summary>
    /// pg_stat_statements needs <c>shared_preload_libraries</c>, which only a restart applies: set it with ALTER SYSTEM
    /// and restart with pg_ctl, which reuses the options of the first start (postmaster.opts: port, socket, fsync off…).
    /// </summary>
    /// <summary>pg_stat_statements needs <c>shared_preload_libraries</c>, which only a restart applies (ALTER SYSTEM keeps it across it).</summary>
    private static async Task EnableStatementStatisticsAsync(PostgresServer server)
    {
        await ExecuteAsync(server.AdminConnectionString, "ALTER SYSTEM SET shared_preload_libraries = 'pg_stat_statements'");
        await server.RestartAsync(immediate: false);
        await ExecuteAsync(server.AdminConnectionString, "CREATE EXTENSION IF NOT EXISTS pg_stat_statements");
    }

    private static async Task<IReadOnlyDictionary<string, string>> ReadSettingsAsync(string admin)
    {
        await using var connection = new NpgsqlConnection(admin);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand("SELECT name, setting, coalesce(unit, '') FROM pg_settings WHERE name = ANY($1) ORDER BY name", connection);
        command.Parameters.Add(new NpgsqlParameter { Value = ReportedSettings });
        var settings = new SortedDictionary<string, string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync();
        while (await reader.ReadAsync())
        {
            settings[reader.GetString(0)] = reader.GetString(1) + (reader.GetString(2) is { Length: > 0 } unit ? " × " + unit : "");
        }

        return settings;
    }

    private static async Task<string> ScalarAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        return (await command.ExecuteScalarAsync())?.ToString() ?? "";
    }

    private static async Task ExecuteAsync(string connectionString, string sql)
    {
        await using var connection = new NpgsqlConnection(connectionString);
        await connection.OpenAsync();
        await using var command = new NpgsqlCommand(sql, connection);
        await command.ExecuteNonQueryAsync();
    }
}
