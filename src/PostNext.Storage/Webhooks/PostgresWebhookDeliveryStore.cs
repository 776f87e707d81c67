using System.Text.Json;
using Npgsql;
using NpgsqlTypes;
using PostNext.Abstractions.Webhooks;

namespace PostNext.Storage.Webhooks;

/// <summary>Webhook deliveries in <c>postnext_webhook_deliveries</c> (cluster mode): they survive restarts and are shared by every silo.</summary>
public sealed class PostgresWebhookDeliveryStore(NpgsqlDataSource dataSource) : IWebhookDeliveryStore
{
    private const string Columns =
        "id, workspace_id, webhook_id, event_id, event_type, payload, created_at, status, attempt_count, next_attempt_at, delivered_at, attempts, first_attempt_at";

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public async Task<int> AddAsync(IReadOnlyList<WebhookDelivery> deliveries, CancellationToken cancellationToken = default)
    {
        if (deliveries.Count == 0)
        {
            return 0;
        }

        // One statement for all of them; WITH ORDINALITY keeps the caller's order in seq.
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO postnext_webhook_deliveries ({Columns})
            SELECT d.id, d.workspace_id, d.webhook_id, d.event_id, d.event_type, d.payload, d.created_at, d.status, 0, d.next_attempt_at, NULL, '[]'::jsonb, NULL
            FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::timestamptz[], $8::text[], $9::timestamptz[])
                 WITH ORDINALITY AS d(id, workspace_id, webhook_id, event_id, event_type, payload, created_at, status, next_attempt_at, n)
            ORDER BY d.n
            ON CONFLICT (id) DO NOTHING
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = deliveries.Select(d => d.Id).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = deliveries.Select(d => d.WorkspaceId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = deliveries.Select(d => d.WebhookId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = deliveries.Select(d => d.EventId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = deliveries.Select(d => d.EventType).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = deliveries.Select(d => d.Payload).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = deliveries.Select(d => d.CreatedAt.ToUniversalTime()).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = deliveries.Select(d => StatusName(d.Status)).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = deliveries.Select(d => (d.NextAttemptAt ?? d.CreatedAt).ToUniversalTime()).ToArray() });
        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<WebhookDelivery>> DueAsync(string workspaceId, string webhookId, DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM postnext_webhook_deliveries
            WHERE webhook_id = $1 AND workspace_id = $2 AND status = 'pending' AND next_attempt_at <= $3
            ORDER BY seq
            LIMIT $4
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = webhookId });
        command.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
        command.Parameters.Add(new NpgsqlParameter { Value = now.ToUniversalTime() });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        return await ReadAsync(command, cancellationToken);
    }

    public async Task<DateTimeOffset?> NextDueAsync(string workspaceId, string webhookId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            SELECT min(next_attempt_at) FROM postnext_webhook_deliveries
            WHERE webhook_id = $1 AND workspace_id = $2 AND status = 'pending'
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = webhookId });
        command.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
        var result = await command.ExecuteScalarAsync(cancellationToken);
        return result is DateTime at ? new DateTimeOffset(DateTime.SpecifyKind(at, DateTimeKind.Utc)) : null;
    }

    public async Task<WebhookBacklog> BacklogAsync(CancellationToken cancellationToken = default)
    {
        // An index-only scan of the pending partial index on created_at (0015): proportional to the backlog, not the table.
        await using var command = dataSource.CreateCommand("""
            SELECT count(*), min(created_at) FROM postnext_webhook_deliveries WHERE status = 'pending'
            """);
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        await reader.ReadAsync(cancellationToken);
        var oldest = reader.IsDBNull(1) ? (DateTimeOffset?)null : new DateTimeOffset(DateTime.SpecifyKind(reader.GetDateTime(1), DateTimeKind.Utc));
        return new WebhookBacklog(reader.GetInt64(0), oldest);
    }

    public async Task UpdateAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE postnext_webhook_deliveries
            SET status = $2, attempt_count = $3, next_attempt_at = $4, delivered_at = $5, attempts = $6, first_attempt_at = $7
            WHERE id = $1
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = delivery.Id });
        command.Parameters.Add(new NpgsqlParameter { Value = StatusName(delivery.Status) });
        command.Parameters.Add(new NpgsqlParameter { Value = delivery.AttemptCount });
        command.Parameters.Add(Instant(delivery.NextAttemptAt));
        command.Parameters.Add(Instant(delivery.DeliveredAt));
        command.Parameters.Add(new NpgsqlParameter { Value = JsonSerializer.Serialize(delivery.Attempts, Json), NpgsqlDbType = NpgsqlDbType.Jsonb });
        command.Parameters.Add(Instant(delivery.FirstAttemptAt));
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<WebhookDelivery>> PendingAsync(string workspaceId, string webhookId, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM postnext_webhook_deliveries
            WHERE webhook_id = $1 AND workspace_id = $2 AND status = 'pending'
            ORDER BY seq
            LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = webhookId });
        command.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        return await ReadAsync(command, cancellationToken);
    }

    public async Task<WebhookDelivery?> GetAsync(string workspaceId, string webhookId, string deliveryId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM postnext_webhook_deliveries WHERE id = $1 AND webhook_id = $2 AND workspace_id = $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = deliveryId });
        command.Parameters.Add(new NpgsqlParameter { Value = webhookId });
        command.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
        return (await ReadAsync(command, cancellationToken)).FirstOrDefault();
    }

    public async Task ResumeAsync(string workspaceId, string webhookId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE postnext_webhook_deliveries SET next_attempt_at = $3
            WHERE webhook_id = $1 AND workspace_id = $2 AND status = 'pending' AND next_attempt_at > $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = webhookId });
        command.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
        command.Parameters.Add(new NpgsqlParameter { Value = now.ToUniversalTime() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task PostponeAsync(string workspaceId, string webhookId, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            UPDATE postnext_webhook_deliveries SET next_attempt_at = $3
            WHERE webhook_id = $1 AND workspace_id = $2 AND status = 'pending' AND next_attempt_at < $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = webhookId });
        command.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
        command.Parameters.Add(new NpgsqlParameter { Value = until.ToUniversalTime() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task<IReadOnlyList<WebhookDelivery>> ListAsync(string workspaceId, string webhookId, int limit, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"""
            SELECT {Columns} FROM postnext_webhook_deliveries
            WHERE webhook_id = $1 AND workspace_id = $2
            ORDER BY seq DESC
            LIMIT $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = webhookId });
        command.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
        command.Parameters.Add(new NpgsqlParameter { Value = limit });
        return await ReadAsync(command, cancellationToken);
    }

    public async Task RemoveWebhookAsync(string workspaceId, string webhookId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM postnext_webhook_deliveries WHERE webhook_id = $1 AND workspace_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = webhookId });
        command.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public async Task PruneAsync(string workspaceId, string webhookId, DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("""
            DELETE FROM postnext_webhook_deliveries
            WHERE webhook_id = $1 AND workspace_id = $2 AND status <> 'pending' AND created_at < $3
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = webhookId });
        command.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
        command.Parameters.Add(new NpgsqlParameter { Value = before.ToUniversalTime() });
        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private static async Task<IReadOnlyList<WebhookDelivery>> ReadAsync(NpgsqlCommand command, CancellationToken cancellationToken)
    {
        var deliveries = new List<WebhookDelivery>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            deliveries.Add(new WebhookDelivery(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4), reader.GetString(5),
                reader.GetFieldValue<DateTimeOffset>(6),
                ParseStatus(reader.GetString(7)),
                reader.GetInt32(8),
                reader.IsDBNull(9) ? null : reader.GetFieldValue<DateTimeOffset>(9),
                reader.IsDBNull(10) ? null : reader.GetFieldValue<DateTimeOffset>(10),
                JsonSerializer.Deserialize<List<WebhookAttempt>>(reader.GetString(11), Json) ?? [],
                reader.IsDBNull(12) ? null : reader.GetFieldValue<DateTimeOffset>(12)));
        }

        return deliveries;
    }

    private static NpgsqlParameter Instant(DateTimeOffset? value) =>
        new() { Value = (object?)value?.ToUniversalTime() ?? DBNull.Value, NpgsqlDbType = NpgsqlDbType.TimestampTz };

    /// <summary>Statuses are stored by their API names so the table reads well in psql.</summary>
    private static string StatusName(WebhookDeliveryStatus status) => status.ToString().ToLowerInvariant();

    private static WebhookDeliveryStatus ParseStatus(string value) => Enum.Parse<WebhookDeliveryStatus>(value, ignoreCase: true);
}
