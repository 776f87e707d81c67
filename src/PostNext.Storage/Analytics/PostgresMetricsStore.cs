using Npgsql;
using NpgsqlTypes;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Analytics;

namespace PostNext.Storage.Analytics;

/// <summary>The engagement history in <c>postnext_post_metrics</c> and <c>postnext_account_metrics</c> (cluster mode).</summary>
public sealed class PostgresMetricsStore(NpgsqlDataSource dataSource) : IMetricsStore
{
    private const string PostColumns = "workspace_id, post_id, account_id, platform, read_at, likes, comments, shares, impressions, views, saves";
    private const string AccountColumns = "workspace_id, account_id, platform, read_at, followers, following, posts";

    public async Task AddPostSnapshotAsync(PostSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        var m = snapshot.Metrics;
        await using var command = dataSource.CreateCommand(
            $"INSERT INTO postnext_post_metrics ({PostColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)");
        command.Parameters.Add(new NpgsqlParameter { Value = snapshot.WorkspaceId });
        command.Parameters.Add(new NpgsqlParameter { Value = snapshot.PostId });
        command.Parameters.Add(new NpgsqlParameter { Value = snapshot.AccountId });
        command.Parameters.Add(new NpgsqlParameter { Value = snapshot.Platform });
        command.Parameters.Add(new NpgsqlParameter { Value = m.ReadAt.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = m.Likes });
        command.Parameters.Add(new NpgsqlParameter { Value = m.Comments });
        command.Parameters.Add(new NpgsqlParameter { Value = m.Shares });
        command.Parameters.Add(Nullable(m.Impressions));
        command.Parameters.Add(Nullable(m.Views));
        command.Parameters.Add(Nullable(m.Saves));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<PostSnapshot>> ListPostSnapshotsAsync(string postId, string accountId, int limit = 1000, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {PostColumns} FROM postnext_post_metrics WHERE post_id = $1 AND account_id = $2 ORDER BY read_at, id LIMIT $3");
        command.Parameters.Add(new NpgsqlParameter { Value = postId });
        command.Parameters.Add(new NpgsqlParameter { Value = accountId });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var snapshots = new List<PostSnapshot>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            snapshots.Add(new PostSnapshot(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                new PostMetrics(
                    reader.GetInt64(5), reader.GetInt64(6), reader.GetInt64(7),
                    reader.IsDBNull(8) ? null : reader.GetInt64(8),
                    reader.IsDBNull(9) ? null : reader.GetInt64(9),
                    reader.IsDBNull(10) ? null : reader.GetInt64(10),
                    reader.GetFieldValue<DateTimeOffset>(4))));
        }

        return snapshots;
    }

    public async Task AddAccountSnapshotAsync(AccountSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        var m = snapshot.Metrics;
        await using var command = dataSource.CreateCommand(
            $"INSERT INTO postnext_account_metrics ({AccountColumns}) VALUES ($1, $2, $3, $4, $5, $6, $7)");
        command.Parameters.Add(new NpgsqlParameter { Value = snapshot.WorkspaceId });
        command.Parameters.Add(new NpgsqlParameter { Value = snapshot.AccountId });
        command.Parameters.Add(new NpgsqlParameter { Value = snapshot.Platform });
        command.Parameters.Add(new NpgsqlParameter { Value = m.ReadAt.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = m.Followers });
        command.Parameters.Add(Nullable(m.Following));
        command.Parameters.Add(Nullable(m.Posts));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<AccountSnapshot>> ListAccountSnapshotsAsync(
        string accountId, DateTimeOffset from, DateTimeOffset to, int limit = 1000, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand(
            $"SELECT {AccountColumns} FROM postnext_account_metrics WHERE account_id = $1 AND read_at >= $2 AND read_at < $3 ORDER BY read_at, id LIMIT $4");
        command.Parameters.Add(new NpgsqlParameter { Value = accountId });
        command.Parameters.Add(new NpgsqlParameter { Value = from.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = to.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        var snapshots = new List<AccountSnapshot>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            snapshots.Add(new AccountSnapshot(
                reader.GetString(0), reader.GetString(1), reader.GetString(2),
                new AccountMetrics(
                    reader.GetInt64(4),
                    reader.IsDBNull(5) ? null : reader.GetInt64(5),
                    reader.IsDBNull(6) ? null : reader.GetInt64(6),
                    reader.GetFieldValue<DateTimeOffset>(3))));
        }

        return snapshots;
    }

    private static NpgsqlParameter Nullable(long? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Bigint };
}
