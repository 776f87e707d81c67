using Npgsql;
using NpgsqlTypes;
using PostNext.Abstractions.Calendar;
using PostNext.Abstractions.Posts;
using PostNext.Storage.Common;

namespace PostNext.Storage.Calendar;

/// <summary>
/// The calendar index in <c>postnext_calendar</c> (cluster mode): one row per publication with its state, written by
/// revision through a group commit.
/// </summary>
public sealed class PostgresCalendarStore(NpgsqlDataSource dataSource) : ICalendarStore, IAsyncDisposable
{
    private readonly PublicationWriteBatcher _writes = new(dataSource);

    /// <summary>
    /// Loads asked for at once (an intake burst activating thousands of new publications, a due instant waking them)
    /// share a statement; alone, a load is one statement and waits for nothing.
    /// </summary>
    private readonly GroupCommit<(string PostId, string AccountId), (string, string), StoredPublication?> _loads =
        new(k => k, batch => LoadBatchAsync(dataSource, batch), maxBatch: 500, writers: 1);

    public Task<StoredPublication?> LoadAsync(string postId, string accountId, CancellationToken cancellationToken = default) =>
        _loads.SubmitAsync((postId, accountId)).WaitAsync(cancellationToken);

    private static async Task<IReadOnlyList<StoredPublication?>> LoadBatchAsync(NpgsqlDataSource dataSource, IReadOnlyList<(string PostId, string AccountId)> batch)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT c.post_id, c.account_id, c.state, c.revision
            FROM unnest($1::text[], $2::text[]) AS k(post_id, account_id)
            JOIN postnext_calendar c ON c.post_id = k.post_id AND c.account_id = k.account_id
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(k => k.PostId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = batch.Select(k => k.AccountId).ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        var found = new Dictionary<(string, string), StoredPublication>();
        await using var reader = await command.ExecuteReaderAsync().ConfigureAwait(false);
        while (await reader.ReadAsync().ConfigureAwait(false))
        {
            found[(reader.GetString(0), reader.GetString(1))] =
                new StoredPublication(reader.IsDBNull(2) ? null : reader.GetFieldValue<byte[]>(2), reader.GetInt64(3));
        }

        return batch.Select(k => found.GetValueOrDefault(k)).ToList();
    }

    public Task<bool> SaveAsync(CalendarEntry entry, byte[] state, long expectedRevision, CancellationToken cancellationToken = default) =>
        _writes.SaveAsync(entry, state, expectedRevision).WaitAsync(cancellationToken);

    public async ValueTask DisposeAsync()
    {
        await _loads.DisposeAsync();
        await _writes.DisposeAsync();
    }

    private const string Columns =
        "workspace_id, post_id, account_id, platform, status, scheduled_at, at, published_at, revision, wake_at, " +
        "snippet, defer_reason, permalink, error_category, error_message";

    public async Task UpsertAsync(CalendarEntry entry, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO postnext_calendar ({Columns})
            VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $15)
            ON CONFLICT (post_id, account_id) DO UPDATE SET
                platform = EXCLUDED.platform, status = EXCLUDED.status, scheduled_at = EXCLUDED.scheduled_at,
                at = EXCLUDED.at, published_at = EXCLUDED.published_at, revision = EXCLUDED.revision, wake_at = EXCLUDED.wake_at,
                snippet = EXCLUDED.snippet, defer_reason = EXCLUDED.defer_reason, permalink = EXCLUDED.permalink,
                error_category = EXCLUDED.error_category, error_message = EXCLUDED.error_message
            WHERE postnext_calendar.revision <= EXCLUDED.revision
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = entry.WorkspaceId });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.PostId });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.AccountId });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Platform });
        command.Parameters.Add(new NpgsqlParameter { Value = StatusName(entry.Status) });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.ScheduledAt.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.At.ToUniversalTime() });
        command.Parameters.Add(Time(entry.PublishedAt));
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Revision });
        command.Parameters.Add(Time(entry.WakeAt));
        command.Parameters.Add(Text(entry.Snippet));
        command.Parameters.Add(Text(entry.DeferReason));
        command.Parameters.Add(Text(entry.Permalink));
        command.Parameters.Add(Text(entry.Error is { } error ? error.Category.ToString() : null));
        command.Parameters.Add(Text(entry.Error?.Message));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task RemoveAsync(string workspaceId, string postId, string accountId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM postnext_calendar WHERE post_id = $1 AND account_id = $2 AND workspace_id = $3");
        command.Parameters.Add(new NpgsqlParameter { Value = postId });
        command.Parameters.Add(new NpgsqlParameter { Value = accountId });
        command.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<CalendarPage> QueryAsync(CalendarQuery query, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM postnext_calendar
            WHERE workspace_id = $1 AND at >= $2 AND at < $3
              AND ($4::text IS NULL OR account_id = $4)
              AND ($5::text IS NULL OR platform = $5)
              AND ($6::text IS NULL OR status = $6)
              AND ($7::timestamptz IS NULL OR (at, post_id, account_id) > ($7, $8::text COLLATE "C", $9::text COLLATE "C"))
            ORDER BY at, post_id COLLATE "C", account_id COLLATE "C"
            LIMIT $10
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = query.WorkspaceId });
        command.Parameters.Add(new NpgsqlParameter { Value = query.From.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = query.To.ToUniversalTime() });
        command.Parameters.Add(Text(query.AccountId));
        command.Parameters.Add(Text(query.Platform));
        command.Parameters.Add(Text(query.Status is { } status ? StatusName(status) : null));
        command.Parameters.Add(new NpgsqlParameter { Value = (object?)query.After?.At.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz });
        command.Parameters.Add(Text(query.After?.PostId));
        command.Parameters.Add(Text(query.After?.AccountId));
        command.Parameters.Add(new NpgsqlParameter { Value = query.Limit + 1 });

        var matches = await ReadEntriesAsync(command, cancellationToken);
        return CalendarPaging.Page(matches, query.Limit);
    }

    private static async Task<List<CalendarEntry>> ReadEntriesAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var entries = new List<CalendarEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            entries.Add(new CalendarEntry(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3),
                ParseStatus(reader.GetString(4)),
                reader.GetFieldValue<DateTimeOffset>(5), reader.GetFieldValue<DateTimeOffset>(6),
                reader.IsDBNull(7) ? null : reader.GetFieldValue<DateTimeOffset>(7),
                reader.GetInt64(8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
                Snippet: reader.IsDBNull(10) ? null : reader.GetString(10),
                DeferReason: reader.IsDBNull(11) ? null : reader.GetString(11),
                Permalink: reader.IsDBNull(12) ? null : reader.GetString(12),
                Error: reader.IsDBNull(13) ? null
                    : new PublicationError(Enum.Parse<ErrorCategory>(reader.GetString(13)), reader.IsDBNull(14) ? "" : reader.GetString(14))));
        }

        return entries;
    }

    public async Task<IReadOnlyList<CalendarEntry>> ForPostsAsync(string workspaceId, IReadOnlyCollection<string> postIds, CancellationToken cancellationToken = default)
    {
        // Through the primary key (post_id, account_id).
        await using var command = dataSource.CreateCommand($"SELECT {Columns} FROM postnext_calendar WHERE post_id = ANY($1) AND workspace_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = postIds.ToArray(), NpgsqlDbType = NpgsqlDbType.Array | NpgsqlDbType.Text });
        command.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
        return await ReadEntriesAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<CalendarEntry>> OverdueAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken = default)
    {
        // Per due shard, through the due index (postnext_calendar_due_by_shard), then the most overdue of them all.
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM generate_series(0, $3::int - 1) AS s(shard)
            CROSS JOIN LATERAL (
                SELECT {Columns} FROM postnext_calendar c
                WHERE c.shard = s.shard AND c.wake_at IS NOT NULL AND c.wake_at < $1
                ORDER BY c.wake_at
                LIMIT $2
            ) AS overdue
            ORDER BY wake_at
            LIMIT $2
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = before.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        command.Parameters.Add(new NpgsqlParameter { Value = DueShards.Count });
        return await ReadEntriesAsync(command, cancellationToken);
    }

    public async Task<IReadOnlyList<DueEntry>> DueAsync(short shard, DateTimeOffset? from, DateTimeOffset before, int limit, DueEntry? after = null, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT post_id, account_id, wake_at FROM postnext_calendar
            WHERE shard = $1 AND wake_at IS NOT NULL AND wake_at < $2 AND ($3::timestamptz IS NULL OR wake_at >= $3)
              AND ($5::timestamptz IS NULL OR wake_at >= $5 AND (wake_at, post_id, account_id) > ($5, $6, $7))
            ORDER BY wake_at, post_id, account_id
            LIMIT $4
            """);
        return await ReadDueAsync(command, shard, from, before, limit, cancellationToken, Time(after?.WakeAt), Text(after?.PostId), Text(after?.AccountId));
    }

    private static async Task<IReadOnlyList<DueEntry>> ReadDueAsync(
        NpgsqlCommand command, short shard, DateTimeOffset? from, DateTimeOffset before, int limit, CancellationToken cancellationToken,
        params NpgsqlParameter[] more)
    {
        command.Parameters.Add(new NpgsqlParameter { Value = shard, NpgsqlDbType = NpgsqlDbType.Smallint });
        command.Parameters.Add(new NpgsqlParameter { Value = before.ToUniversalTime() });
        command.Parameters.Add(Time(from));
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        command.Parameters.AddRange(more);

        var due = new List<DueEntry>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            due.Add(new DueEntry(reader.GetString(0), reader.GetString(1), reader.GetFieldValue<DateTimeOffset>(2)));
        }

        return due;
    }

    public async Task<StoredTracking?> LoadTrackingAsync(string postId, string accountId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("SELECT metrics_state, metrics_revision, metrics_at, state FROM postnext_calendar WHERE post_id = $1 AND account_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = postId });
        command.Parameters.Add(new NpgsqlParameter { Value = accountId });
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        return await reader.ReadAsync(cancellationToken)
            ? new StoredTracking(
                reader.IsDBNull(0) ? null : reader.GetFieldValue<byte[]>(0),
                reader.GetInt64(1),
                reader.IsDBNull(2) ? null : reader.GetFieldValue<DateTimeOffset>(2),
                reader.IsDBNull(3) ? null : reader.GetFieldValue<byte[]>(3))
            : null;
    }

    public async Task<bool> SaveTrackingAsync(TrackingEntry entry, byte[] state, long expectedRevision, CancellationToken cancellationToken = default)
    {
        // The first write of a tracking whose publication has no row (a post published elsewhere) makes a published row.
        await using var command = dataSource.CreateCommand(expectedRevision == 0
            ? """
              INSERT INTO postnext_calendar AS c
                  (workspace_id, post_id, account_id, platform, status, scheduled_at, at, published_at, revision, shard, metrics_at, metrics_state, metrics_revision)
              VALUES ($1, $2, $3, $4, 'published', $5, $5, $5, 0, $6, $7, $8, $9)
              ON CONFLICT (post_id, account_id) DO UPDATE SET
                  metrics_at = EXCLUDED.metrics_at, metrics_state = EXCLUDED.metrics_state, metrics_revision = EXCLUDED.metrics_revision
              WHERE c.metrics_revision = 0
              """
            : """
              UPDATE postnext_calendar SET metrics_at = $3, metrics_state = $4, metrics_revision = $5
              WHERE post_id = $1 AND account_id = $2 AND metrics_revision = $6
              """);
        if (expectedRevision == 0)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = entry.WorkspaceId });
            command.Parameters.Add(new NpgsqlParameter { Value = entry.PostId });
            command.Parameters.Add(new NpgsqlParameter { Value = entry.AccountId });
            command.Parameters.Add(new NpgsqlParameter { Value = entry.Platform });
            command.Parameters.Add(new NpgsqlParameter { Value = entry.PublishedAt.ToUniversalTime() });
            command.Parameters.Add(new NpgsqlParameter { Value = DueShards.Of(entry.PostId, entry.AccountId), NpgsqlDbType = NpgsqlDbType.Smallint });
        }
        else
        {
            command.Parameters.Add(new NpgsqlParameter { Value = entry.PostId });
            command.Parameters.Add(new NpgsqlParameter { Value = entry.AccountId });
        }

        command.Parameters.Add(Time(entry.NextAt));
        command.Parameters.Add(new NpgsqlParameter { Value = state, NpgsqlDbType = NpgsqlDbType.Bytea });
        command.Parameters.Add(new NpgsqlParameter { Value = entry.Revision });
        if (expectedRevision != 0)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = expectedRevision });
        }

        return await command.ExecuteNonQueryAsync(cancellationToken) == 1;
    }

    public async Task<IReadOnlyList<DueEntry>> TrackingDueAsync(short shard, DateTimeOffset? from, DateTimeOffset before, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT post_id, account_id, metrics_at FROM postnext_calendar
            WHERE shard = $1 AND metrics_at IS NOT NULL AND metrics_at < $2 AND ($3::timestamptz IS NULL OR metrics_at >= $3)
            ORDER BY metrics_at
            LIMIT $4
            """);
        return await ReadDueAsync(command, shard, from, before, limit, cancellationToken);
    }

    public async Task<IReadOnlyList<DateTimeOffset>> PendingTimesAsync(string workspaceId, string accountId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT at FROM postnext_calendar
            WHERE workspace_id = $1 AND account_id = $2 AND status IN ('scheduled', 'deferred') AND at >= $3 AND at < $4
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
        command.Parameters.Add(new NpgsqlParameter { Value = accountId });
        command.Parameters.Add(new NpgsqlParameter { Value = from.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = to.ToUniversalTime() });
        var times = new List<DateTimeOffset>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            times.Add(reader.GetFieldValue<DateTimeOffset>(0));
        }

        return times;
    }

    private static NpgsqlParameter Time(DateTimeOffset? value) =>
        new() { Value = (object?)value?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };

    private static NpgsqlParameter Text(string? value) => new() { Value = (object?)value ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.Text };

    /// <summary>Statuses are stored by their API names (snake_case) so the table reads well in psql.</summary>
    internal static string StatusName(PublicationStatus status) => status.ToString().ToLowerInvariant();

    private static PublicationStatus ParseStatus(string value) => Enum.Parse<PublicationStatus>(value, ignoreCase: true);
}
