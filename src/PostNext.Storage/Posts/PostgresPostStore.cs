using Npgsql;
using NpgsqlTypes;
using PostNext.Storage.Common;

namespace PostNext.Storage.Posts;

/// <summary>
/// The posts in <c>postnext_posts</c> (cluster mode): each row holds a post's state and its list entry. Loads and
/// writes asked for at once (an intake burst) share a statement each (group commit); alone, each is one statement.
/// </summary>
public sealed class PostgresPostStore : IPostStore, IAsyncDisposable
{
    private const string Columns = "workspace_id, post_id, draft, canceled, text, title, search_text, account_ids, platforms, created_at, updated_at";

    /// <summary>Separates the account ids (and platforms) of one entry in the batch's arrays; never in an id or a platform name.</summary>
    private const char ListSeparator = '\u001f';

    private const int MaxBatch = 500;
    private const int Statements = 1;

    /// <summary>
    /// Each row is written only over the revision its writer read (0: no row, or a row from before states moved here,
    /// which the update takes over); a row written meanwhile by another activation is left alone and reported unwritten.
    /// </summary>
    private const string SaveSql = """
        WITH input AS (
            SELECT * FROM unnest($1::text[], $2::text[], $3::boolean[], $4::boolean[], $5::text[], $6::text[], $7::text[], $8::text[], $9::text[],
                                 $10::timestamptz[], $11::timestamptz[], $12::boolean[], $13::bytea[], $14::bigint[], $15::bigint[])
                AS i(workspace_id, post_id, draft, canceled, text, title, search_text, account_ids, platforms, created_at, updated_at,
                     deleted, state, revision, expected)
        ),
        updated AS (
            UPDATE postnext_posts p SET
                draft = i.draft, canceled = i.canceled, text = i.text, title = i.title, search_text = i.search_text,
                account_ids = string_to_array(i.account_ids, chr(31)), platforms = string_to_array(i.platforms, chr(31)),
                updated_at = i.updated_at, deleted = i.deleted, state = i.state, revision = i.revision
            FROM input i
            WHERE p.post_id = i.post_id AND p.revision = i.expected AND p.workspace_id = i.workspace_id
            RETURNING p.post_id
        ),
        inserted AS (
            INSERT INTO postnext_posts (workspace_id, post_id, draft, canceled, text, title, search_text, account_ids, platforms, created_at, updated_at,
                                        deleted, state, revision)
            SELECT workspace_id, post_id, draft, canceled, text, title, search_text,
                   string_to_array(account_ids, chr(31)), string_to_array(platforms, chr(31)), created_at, updated_at, deleted, state, revision
            FROM input WHERE expected = 0
            ON CONFLICT (post_id) DO NOTHING
            RETURNING post_id
        )
        SELECT post_id FROM updated UNION ALL SELECT post_id FROM inserted
        """;

    private readonly NpgsqlDataSource dataSource;
    private readonly GroupCommit<string, string, StoredPost?> _loads;
    private readonly GroupCommit<Write, string, bool> _saves;
    private Task<bool>? _unmoved;

    public PostgresPostStore(NpgsqlDataSource dataSource)
    {
        this.dataSource = dataSource;
        _loads = new GroupCommit<string, string, StoredPost?>(id => id, LoadBatchAsync, MaxBatch, Statements);
        _saves = new GroupCommit<Write, string, bool>(w => w.Entry.PostId, SaveBatchAsync, MaxBatch, Statements);
    }

    public Task<StoredPost?> LoadAsync(string postId, CancellationToken cancellationToken = default) => _loads.SubmitAsync(postId).WaitAsync(cancellationToken);

    public Task<bool> SaveAsync(PostIndexEntry entry, bool deleted, byte[] state, long revision, long expectedRevision, CancellationToken cancellationToken = default) =>
        _saves.SubmitAsync(new Write(entry, deleted, state, revision, expectedRevision)).WaitAsync(cancellationToken);

    /// <summary>
    /// Asked once per store (a silo's life): Orleans' ADO.NET storage keeps the state name in <c>grain_type</c> and a
    /// string key in <c>grain_id_ext</c>. A failed probe is asked again next time.
    /// </summary>
    public Task<bool> MayHoldUnmovedAsync(string legacyStateName, CancellationToken cancellationToken = default)
    {
        var probe = _unmoved;
        if (probe is null || probe.IsFaulted || probe.IsCanceled)
        {
            probe = ProbeUnmovedAsync(legacyStateName);
            _unmoved = probe;
        }

        return probe.WaitAsync(cancellationToken);
    }

    private async Task<bool> ProbeUnmovedAsync(string legacyStateName)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT EXISTS (
                SELECT 1 FROM orleans_grain_state g
                WHERE g.grain_type = $1 AND g.payload IS NOT NULL
                  AND NOT EXISTS (SELECT 1 FROM postnext_posts p WHERE p.post_id = g.grain_id_ext))
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = legacyStateName });
        return (bool)(await command.ExecuteScalarAsync().ConfigureAwait(false))!;
    }

    private async Task<IReadOnlyList<StoredPost?>> LoadBatchAsync(IReadOnlyList<string> batch)
    {
        await using var command = dataSource.CreateCommand("SELECT post_id, state, revision FROM postnext_posts WHERE post_id = ANY($1)");
        command.Parameters.Add(TextArray(batch));
        var found = new Dictionary<string, StoredPost>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            found[reader.GetString(0)] = new StoredPost(reader.IsDBNull(1) ? null : reader.GetFieldValue<byte[]>(1), reader.GetInt64(2));
        }

        return batch.Select(id => found.GetValueOrDefault(id)).ToList();
    }

    private async Task<IReadOnlyList<bool>> SaveBatchAsync(IReadOnlyList<Write> batch)
    {
        await using var command = dataSource.CreateCommand(SaveSql);
        command.Parameters.Add(TextArray(batch.Select(w => w.Entry.WorkspaceId)));
        command.Parameters.Add(TextArray(batch.Select(w => w.Entry.PostId)));
        command.Parameters.Add(Array(NpgsqlDbType.Boolean, batch.Select(w => w.Entry.Draft)));
        command.Parameters.Add(Array(NpgsqlDbType.Boolean, batch.Select(w => w.Entry.Canceled)));
        command.Parameters.Add(TextArray(batch.Select(w => w.Entry.Text)));
        command.Parameters.Add(Array(NpgsqlDbType.Text, batch.Select(w => w.Entry.Title)));
        command.Parameters.Add(TextArray(batch.Select(w => w.Entry.SearchText)));
        command.Parameters.Add(TextArray(batch.Select(w => string.Join(ListSeparator, w.Entry.Targets.Select(t => t.AccountId)))));
        command.Parameters.Add(TextArray(batch.Select(w => string.Join(ListSeparator, w.Entry.Targets.Select(t => t.Platform)))));
        command.Parameters.Add(Array(NpgsqlDbType.TimestampTz, batch.Select(w => w.Entry.CreatedAt.ToUniversalTime())));
        command.Parameters.Add(Array(NpgsqlDbType.TimestampTz, batch.Select(w => w.Entry.UpdatedAt.ToUniversalTime())));
        command.Parameters.Add(Array(NpgsqlDbType.Boolean, batch.Select(w => w.Deleted)));
        command.Parameters.Add(Array(NpgsqlDbType.Bytea, batch.Select(w => w.State)));
        command.Parameters.Add(Array(NpgsqlDbType.Bigint, batch.Select(w => w.Revision)));
        command.Parameters.Add(Array(NpgsqlDbType.Bigint, batch.Select(w => w.ExpectedRevision)));

        var saved = new HashSet<string>(StringComparer.Ordinal);
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            saved.Add(reader.GetString(0));
        }

        return batch.Select(w => saved.Contains(w.Entry.PostId)).ToList();
    }

    public async ValueTask DisposeAsync()
    {
        await _loads.DisposeAsync();
        await _saves.DisposeAsync();
    }

    public async Task<IReadOnlyList<PostIndexEntry>> ScanAsync(PostIndexScan scan, CancellationToken cancellationToken = default)
    {
        // Through postnext_posts_by_workspace_created; the other filters are checked on the rows it walks.
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM postnext_posts
            WHERE workspace_id = $1 AND NOT deleted
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

    private static NpgsqlParameter Array<T>(NpgsqlDbType type, IEnumerable<T> values) => new() { NpgsqlDbType = NpgsqlDbType.Array | type, Value = values.ToArray() };

    private sealed record Write(PostIndexEntry Entry, bool Deleted, byte[] State, long Revision, long ExpectedRevision);
}
