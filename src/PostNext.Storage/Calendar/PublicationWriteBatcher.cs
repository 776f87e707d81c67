using Npgsql;
using NpgsqlTypes;
using PostNext.Abstractions.Calendar;
using PostNext.Abstractions.Posts;
using PostNext.Storage.Common;

namespace PostNext.Storage.Calendar;

/// <summary>
/// Group commit for publication writes: concurrent writes from many publication grains go to PostgreSQL together,
/// as one statement per batch, each row still guarded by its own revision check. Under light load a batch is one
/// write and waits for nothing; under a burst (thousands of publications due at one instant) a few round trips carry
/// them all.
/// </summary>
internal sealed class PublicationWriteBatcher : IAsyncDisposable
{
    private const int MaxBatch = 500;
    private const int Writers = 4;

    private const string Sql = """
        WITH input AS (
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::timestamptz[], $7::timestamptz[],
                                 $8::timestamptz[], $9::bigint[], $10::timestamptz[], $11::bytea[], $12::bigint[], $13::smallint[],
                                 $14::timestamptz[], $15::text[], $16::text[], $17::text[], $18::text[], $19::text[])
                AS i(workspace_id, post_id, account_id, platform, status, scheduled_at, at, published_at, revision, wake_at, state, expected, shard,
                     metrics_at, snippet, defer_reason, permalink, error_category, error_message)
        ),
        updated AS (
            UPDATE postnext_calendar c SET
                workspace_id = i.workspace_id, platform = i.platform, status = i.status, scheduled_at = i.scheduled_at, at = i.at,
                published_at = i.published_at, revision = i.revision, wake_at = i.wake_at, state = i.state, shard = i.shard,
                snippet = i.snippet, defer_reason = i.defer_reason, permalink = i.permalink, error_category = i.error_category,
                error_message = i.error_message,
                -- the first reading is the publication's to set until the tracking takes over with a state of its own
                metrics_at = CASE WHEN c.metrics_state IS NULL THEN i.metrics_at ELSE c.metrics_at END
            FROM input i
            WHERE i.expected > 0 AND c.post_id = i.post_id AND c.account_id = i.account_id AND c.revision = i.expected
            RETURNING c.post_id, c.account_id
        ),
        inserted AS (
            INSERT INTO postnext_calendar (workspace_id, post_id, account_id, platform, status, scheduled_at, at, published_at, revision, wake_at, state, shard, metrics_at,
                                           snippet, defer_reason, permalink, error_category, error_message)
            SELECT workspace_id, post_id, account_id, platform, status, scheduled_at, at, published_at, revision, wake_at, state, shard, metrics_at,
                   snippet, defer_reason, permalink, error_category, error_message
            FROM input WHERE expected = 0
            ON CONFLICT (post_id, account_id) DO NOTHING
            RETURNING post_id, account_id
        )
        SELECT post_id, account_id FROM updated UNION ALL SELECT post_id, account_id FROM inserted
        """;

    private readonly NpgsqlDataSource _dataSource;
    private readonly GroupCommit<Write, (string, string), bool> _commits;

    public PublicationWriteBatcher(NpgsqlDataSource dataSource)
    {
        _dataSource = dataSource;
        _commits = new GroupCommit<Write, (string, string), bool>(w => (w.Entry.PostId, w.Entry.AccountId), ExecuteAsync, MaxBatch, Writers);
    }

    /// <summary>True when the row was written; false when its revision was not the expected one (another activation wrote first).</summary>
    public Task<bool> SaveAsync(CalendarEntry entry, byte[] state, long expectedRevision) => _commits.SubmitAsync(new Write(entry, state, expectedRevision));

    private async Task<IReadOnlyList<bool>> ExecuteAsync(IReadOnlyList<Write> batch)
    {
        await using var command = _dataSource.CreateCommand(Sql);
        command.Parameters.Add(Array(NpgsqlDbType.Text, batch.Select(w => w.Entry.WorkspaceId)));
        command.Parameters.Add(Array(NpgsqlDbType.Text, batch.Select(w => w.Entry.PostId)));
        command.Parameters.Add(Array(NpgsqlDbType.Text, batch.Select(w => w.Entry.AccountId)));
        command.Parameters.Add(Array(NpgsqlDbType.Text, batch.Select(w => w.Entry.Platform)));
        command.Parameters.Add(Array(NpgsqlDbType.Text, batch.Select(w => PostgresCalendarStore.StatusName(w.Entry.Status))));
        command.Parameters.Add(Array(NpgsqlDbType.TimestampTz, batch.Select(w => w.Entry.ScheduledAt.ToUniversalTime())));
        command.Parameters.Add(Array(NpgsqlDbType.TimestampTz, batch.Select(w => w.Entry.At.ToUniversalTime())));
        command.Parameters.Add(Array(NpgsqlDbType.TimestampTz, batch.Select(w => w.Entry.PublishedAt?.ToUniversalTime())));
        command.Parameters.Add(Array(NpgsqlDbType.Bigint, batch.Select(w => w.Entry.Revision)));
        command.Parameters.Add(Array(NpgsqlDbType.TimestampTz, batch.Select(w => w.Entry.WakeAt?.ToUniversalTime())));
        command.Parameters.Add(Array(NpgsqlDbType.Bytea, batch.Select(w => w.State)));
        command.Parameters.Add(Array(NpgsqlDbType.Bigint, batch.Select(w => w.ExpectedRevision)));
        command.Parameters.Add(Array(NpgsqlDbType.Smallint, batch.Select(w => DueShards.Of(w.Entry.PostId, w.Entry.AccountId))));
        command.Parameters.Add(Array(NpgsqlDbType.TimestampTz, batch.Select(w => w.Entry.MetricsAt?.ToUniversalTime())));
        command.Parameters.Add(Array(NpgsqlDbType.Text, batch.Select(w => w.Entry.Snippet)));
        command.Parameters.Add(Array(NpgsqlDbType.Text, batch.Select(w => w.Entry.DeferReason)));
        command.Parameters.Add(Array(NpgsqlDbType.Text, batch.Select(w => w.Entry.Permalink)));
        command.Parameters.Add(Array(NpgsqlDbType.Text, batch.Select(w => w.Entry.Error?.Category.ToString())));
        command.Parameters.Add(Array(NpgsqlDbType.Text, batch.Select(w => w.Entry.Error?.Message)));

        var saved = new HashSet<(string, string)>();
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            saved.Add((reader.GetString(0), reader.GetString(1)));
        }

        return batch.Select(w => saved.Contains((w.Entry.PostId, w.Entry.AccountId))).ToList();
    }

    private static NpgsqlParameter Array<T>(NpgsqlDbType type, IEnumerable<T> values) =>
        new() { NpgsqlDbType = NpgsqlDbType.Array | type, Value = values.ToArray() };

    public ValueTask DisposeAsync() => _commits.DisposeAsync();

    private sealed record Write(CalendarEntry Entry, byte[] State, long ExpectedRevision);
}
