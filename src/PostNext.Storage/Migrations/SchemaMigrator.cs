using Microsoft.Extensions.Logging;
using Npgsql;

namespace PostNext.Storage.Migrations;

/// <summary>
/// Applies the embedded migrations that a database lacks, each in its own transaction, under a session-level
/// advisory lock so several silos starting at once apply each file exactly once. Re-running is a no-op.
/// </summary>
public sealed partial class SchemaMigrator(NpgsqlDataSource dataSource, ILogger<SchemaMigrator> logger)
{
    /// <summary>Advisory lock key: "PostNext" as an int64, shared by every process that migrates.</summary>
    private const long AdvisoryLockKey = 0x506F73744E657874;

    private const string HistoryTable = "postnext_schema_migrations";

    private readonly IReadOnlyList<Migration> _migrations = Migration.LoadEmbedded();

    /// <summary>The migrations this build knows, in order.</summary>
    public IReadOnlyList<Migration> Migrations => _migrations;

    /// <summary>Applies what is missing; returns the versions applied by this call (empty when up to date).</summary>
    public async Task<IReadOnlyList<int>> ApplyAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await ExecuteAsync(connection, null, $"SELECT pg_advisory_lock({AdvisoryLockKey})", cancellationToken);
        try
        {
            await ExecuteAsync(connection, null, $"""
                CREATE TABLE IF NOT EXISTS {HistoryTable} (
                    version     integer     PRIMARY KEY,
                    name        text        NOT NULL,
                    checksum    text        NOT NULL,
                    applied_at  timestamptz NOT NULL DEFAULT now()
                )
                """, cancellationToken);

            var applied = await ReadAppliedAsync(connection, cancellationToken);
            var newlyApplied = new List<int>();
            foreach (var migration in _migrations)
            {
                if (applied.TryGetValue(migration.Version, out var checksum))
                {
                    if (!string.Equals(checksum, migration.Checksum, StringComparison.Ordinal))
                    {
                        throw new InvalidOperationException(
                            $"Migration {migration.Name} was changed after it was applied (checksum {checksum} in the database, " +
                            $"{migration.Checksum} in this build). Applied migrations are immutable: add a new one instead.");
                    }

                    continue;
                }

                await ApplyOneAsync(connection, migration, cancellationToken);
                newlyApplied.Add(migration.Version);
                LogApplied(migration.Name);
            }

            if (newlyApplied.Count == 0)
            {
                LogUpToDate(_migrations.Count == 0 ? 0 : _migrations[^1].Version);
            }

            return newlyApplied;
        }
        finally
        {
            await ExecuteAsync(connection, null, $"SELECT pg_advisory_unlock({AdvisoryLockKey})", CancellationToken.None);
        }
    }

    /// <summary>The versions recorded as applied, with their checksums.</summary>
    public async Task<IReadOnlyDictionary<int, string>> ReadAppliedAsync(CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var exists = new NpgsqlCommand("SELECT to_regclass(@table) IS NOT NULL", connection);
        exists.Parameters.AddWithValue("table", HistoryTable);
        if (!(bool)(await exists.ExecuteScalarAsync(cancellationToken))!)
        {
            return new Dictionary<int, string>();
        }

        return await ReadAppliedAsync(connection, cancellationToken);
    }

    private static async Task<Dictionary<int, string>> ReadAppliedAsync(NpgsqlConnection connection, CancellationToken cancellationToken)
    {
        var applied = new Dictionary<int, string>();
        await using var command = new NpgsqlCommand($"SELECT version, checksum FROM {HistoryTable}", connection);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            applied[reader.GetInt32(0)] = reader.GetString(1);
        }

        return applied;
    }

    private static async Task ApplyOneAsync(NpgsqlConnection connection, Migration migration, CancellationToken cancellationToken)
    {
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        await ExecuteAsync(connection, transaction, migration.Sql, cancellationToken);
        await using (var record = new NpgsqlCommand(
            $"INSERT INTO {HistoryTable} (version, name, checksum) VALUES (@version, @name, @checksum)", connection, transaction))
        {
            record.Parameters.AddWithValue("version", migration.Version);
            record.Parameters.AddWithValue("name", migration.Name);
            record.Parameters.AddWithValue("checksum", migration.Checksum);
            await record.ExecuteNonQueryAsync(cancellationToken);
        }

        await transaction.CommitAsync(cancellationToken);
    }

    private static async Task ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction? transaction, string sql, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction) { CommandTimeout = 0 };
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Applied schema migration {Migration}")]
    private partial void LogApplied(string migration);

    [LoggerMessage(Level = LogLevel.Information, Message = "Database schema is up to date (version {Version})")]
    private partial void LogUpToDate(int version);
}
