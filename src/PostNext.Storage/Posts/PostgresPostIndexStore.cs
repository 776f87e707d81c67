using Npgsql;
using NpgsqlTypes;
using PostNext.Storage.Common;

namespace PostNext.Storage.Posts;

/// <summary>The post index in <c>postnext_posts</c> (cluster mode).</summary>
public sealed class PostgresPostIndexStore : IPostIndexStore, IAsyncDisposable
{
    private const string Columns = "workspace_id, post_id, draft, canceled, text, title, search_text, account_ids, platforms, created_at, updated_at";

    /// <summary>Separates the account ids (and platforms) of one entry in the batch's arrays; never in an id or a platform name.</summary>
    private const char ListSeparator = '\u001f';

    /// <summary>
    /// Every post change writes its entry: concurrent ones (an intake burst) share a statement. An entry is replaced
    /// only by one updated at the same time or later, so a late write never undoes a newer one.
    /// </summary>
    private const string UpsertSql = $"""
        INSERT INTO postnext_posts ({Columns})
        SELECT workspace_id, post_id, draft, canceled, text, title, search_text,
               string_to_array(account_ids, chr(31)), string_to_array(platforms, chr(31)), created_at, updated_at
        FROM unnest($1::text[], $2::text[], $3::boolean[], $4::boolean[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                    $10::timestamptz[], $11::timestamptz[])
            AS i(workspace_id, post_id, draft, canceled, text, title, search_text, account_ids, platforms, created_at, updated_at)
        ON CONFLICT (post_id) DO UPDATE SET
            draft = EXCLUDED.draft, canceled = EXCLUDED.canceled, text = EXCLUDED.text, title = EXCLUDED.title,
            search_text = EXCLUDED.search_text, account_ids = EXCLUDED.account_ids, platforms = EXCLUDED.platforms,
            updated_at = EXCLUDED.updated_at
        WHERE postnext_posts.updated_at <= EXCLUDED.updated_at AND postnext_posts.workspace_id = EXCLUDED.workspace_id
        """;

    private readonly NpgsqlDataSource dataSource;
    private readonly GroupCommit<PostIndexEntry, string, bool> _upserts;

    public PostgresPostIndexStore(NpgsqlDataSource dataSource)
    {
        this.dataSource = dataSource;
        _upserts = new GroupCommit<PostIndexEntry, string, bool>(e => e.PostId, UpsertBatchAsync, maxBatch: 500, writers: 4);
    }

    public Task UpsertAsync(PostIndexEntry entry, CancellationToken cancellationToken = default) => _upserts.SubmitAsync(entry).WaitAsync(cancellationToken);

    private async Task<IReadOnlyList<bool>> UpsertBatchAsync(IReadOnlyList<PostIndexEntry> batch)
    {
        await using var command = dataSource.CreateCommand(UpsertSql);
        command.Parameters.Add(TextArray(batch.Select(e => e.WorkspaceId)));
        command.Parameters.Add(TextArray(batch.Select(e => e.PostId)));
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(e => e.Draft).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(e => e.Canceled).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Boolean });
        command.Parameters.Add(TextArray(batch.Select(e => e.Text)));
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(e => e.Title).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(TextArray(batch.Select(e => e.SearchText)));
        command.Parameters.Add(TextArray(batch.Select(e => string.Join(ListSeparator, e.Targets.Select(t => t.AccountId)))));
        command.Parameters.Add(TextArray(batch.Select(e => string.Join(ListSeparator, e.Targets.Select(t => t.Platform)))));
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(e => e.CreatedAt.ToUniversalTime()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(e => e.UpdatedAt.ToUniversalTime()).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.TimestampTz });
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
        return batch.Select(_ => true).ToList();
    }

    public ValueTask DisposeAsync() => _upserts.DisposeAsync();

    public async Task RemoveAsync(string workspaceId, string postId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM postnext_posts WHERE post_id = $1 AND workspace_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = postId });
        command.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<bool> HoldsAsync(string workspaceId, string postId, PostIndexEntry? expected, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM postnext_posts WHERE post_id = $1 AND workspace_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = postId });
        command.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        if (!await reader.ReadAsync(cancellationToken))
        {
            return expected is null;
        }

        return expected is not null && expected.ListsAs(Read(reader), reader.GetString(6));
    }

    public async Task<IReadOnlyList<PostIndexEntry>> ScanAsync(PostIndexScan scan, CancellationToken cancellationToken = default)
    {
        // Through postnext_posts_by_workspace_created; the other filters are checked on the rows it walks.
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM postnext_posts
            WHERE workspace_id = $1
              AND ($2::boolean IS NULL OR draft = $2)
              AND ($3::text IS NULL OR $3 = ANY(account_ids))
              AND ($4::text IS NULL OR $4 = ANY(platforms))
              AND ($5::text IS NULL OR strpos(search_text, $5) > 0)
              AND ($6::timestamptz IS NULL OR (created_at, post_id COLLATE "C") < ($6, $7::text COLLATE "C"))
            ORDER BY created_at DESC, post_id COLLATE "C" DESC
            LIMIT $8
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = scan.WorkspaceId });
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)scan.Draft ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Boolean });
        command.Parameters.Add(Text(scan.AccountId));
        command.Parameters.Add(Text(scan.Platform));
        command.Parameters.Add(Text(scan.Search?.ToLowerInvariant()));
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)scan.AfterCreatedAt?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(Text(scan.AfterPostId));
        command.Parameters.Add(new NpgsqlParameter { Value = scan.Limit });

        var entries = new List<PostIndexEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(Read(reader));
        }

        return entries;
    }

    /// <summary>An entry from a row of <see cref="Columns"/> (its override texts are only in the row's search text).</summary>
    private static PostIndexEntry Read(NpgsqlDataReader reader)
    {
        var accounts = reader.GetFieldValue<string[]>(7);
        var platforms = reader.GetFieldValue<string[]>(8);
        return new PostIndexEntry(
            reader.GetString(0), reader.GetString(1), reader.GetBoolean(2), reader.GetBoolean(3), reader.GetString(4),
            reader.IsDBNull(5) ? null : reader.GetString(5), [],
            accounts.Select((a, i) => new PostIndexTarget(a, platforms[i])).ToList(),
            reader.GetFieldValue<DateTimeOffset>(9), reader.GetFieldValue<DateTimeOffset>(10));
    }

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    private static NpgsqlParameter TextArray(IEnumerable<string> values) => new() { Value = values.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text };
}
