using System.Text.Json.Nodes;
using Npgsql;
using PostNext.Chaos.Load;

namespace PostNext.Chaos.Results;

/// <summary>
/// Reads what happened: our own tables in PostgreSQL (the calendar, the sandbox's receipts, the webhook deliveries;
/// never grain-state blobs) and each post through the API, as a user would see it.
/// </summary>
public sealed class ResultsReader(string connectionString, FrontClient api, string workspaceId, string key)
{
    /// <summary>Publication key → calendar row, for the workspace.</summary>
    public async Task<Dictionary<string, CalendarRow>> CalendarAsync(CancellationToken cancellationToken)
    {
        var rows = await QueryAsync(
            "SELECT post_id, account_id, status, scheduled_at, published_at FROM postnext_calendar WHERE workspace_id = $1",
            [workspaceId],
            r => new CalendarRow(r.GetString(0), r.GetString(1), r.GetString(2), Utc(r.GetDateTime(3)), r.IsDBNull(4) ? null : Utc(r.GetDateTime(4))),
            cancellationToken);
        return rows.ToDictionary(r => $"{r.PostId}~{r.AccountId}", StringComparer.Ordinal);
    }

    /// <summary>Every call the sandbox received for these accounts, in the order received.</summary>
    public Task<List<SandboxReceiptRow>> ReceiptsAsync(IReadOnlyList<string> accountIds, CancellationToken cancellationToken) =>
        QueryAsync(
            "SELECT publication_key, attempt_id, received_at FROM postnext_sandbox_received WHERE account_id = ANY($1) ORDER BY id",
            [accountIds.ToArray()],
            r => new SandboxReceiptRow(r.GetString(0), r.GetString(1), Utc(r.GetDateTime(2))),
            cancellationToken);

    /// <summary>The webhook's deliveries in their delivery order.</summary>
    public Task<List<DeliveryRow>> DeliveriesAsync(string webhookId, CancellationToken cancellationToken) =>
        QueryAsync(
            "SELECT id, seq, event_id, event_type, status, attempt_count, created_at FROM postnext_webhook_deliveries WHERE webhook_id = $1 ORDER BY seq",
            [webhookId],
            r => new DeliveryRow(r.GetString(0), r.GetInt64(1), r.GetString(2), r.GetString(3), r.GetString(4), r.GetInt32(5), Utc(r.GetDateTime(6))),
            cancellationToken);

    /// <summary>
    /// Each target as <c>GET …/posts/{id}</c> shows it. A post the API cannot show (it kept failing for minutes) is
    /// <c>unreadable</c>, not final; once that happened the rest are not asked, so a dead API still gives a report.
    /// </summary>
    public async Task<Dictionary<string, TargetState>> StatesAsync(IEnumerable<CreatedTarget> targets, int concurrency, CancellationToken cancellationToken)
    {
        var states = new System.Collections.Concurrent.ConcurrentDictionary<string, TargetState>(StringComparer.Ordinal);
        string? apiDown = null;
        await Parallel.ForEachAsync(targets, new ParallelOptions { MaxDegreeOfParallelism = concurrency, CancellationToken = cancellationToken }, async (target, ct) =>
        {
            JsonObject post;
            try
            {
                post = apiDown is null ? await api.GetPostAsync(workspaceId, key, target.PostId, ct) : throw new InvalidOperationException(apiDown);
            }
            catch (ApiRefusedException ex)
            {
                // 404: the post is gone. Not final, and never received: it shows as lost.
                states[target.PublicationKey] = new TargetState($"http {ex.Status}", null, ex.Body, 0, false, null, null);
                return;
            }
            catch (InvalidOperationException ex)
            {
                apiDown ??= ex.Message;
                states[target.PublicationKey] = new TargetState("unreadable", null, ex.Message, 0, false, null, null);
                return;
            }

            var t = post["targets"]!.AsArray().Single(x => x!["accountId"]!.GetValue<string>() == target.AccountId)!;
            states[target.PublicationKey] = new TargetState(
                t["status"]!.GetValue<string>(),
                t["error"]?["category"]?.GetValue<string>(),
                t["error"]?["message"]?.GetValue<string>(),
                t["attempts"]?.GetValue<int>() ?? 0,
                t["late"]?.GetValue<bool>() ?? false,
                t["deferReason"]?.GetValue<string>(),
                Time(t["publishedAt"]),
                Time(t["deferredUntil"]));
        });
        return new Dictionary<string, TargetState>(states, StringComparer.Ordinal);
    }

    private static DateTimeOffset? Time(JsonNode? node) => node is null ? null : node.GetValue<DateTimeOffset>();

    private static DateTimeOffset Utc(DateTime value) => new(DateTime.SpecifyKind(value, DateTimeKind.Utc));

    /// <summary>A query, tried again for a while if PostgreSQL is not answering (it may have just restarted).</summary>
    private async Task<List<T>> QueryAsync<T>(string sql, object[] parameters, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await using var connection = new NpgsqlConnection(connectionString);
                await connection.OpenAsync(cancellationToken);
                await using var command = new NpgsqlCommand(sql, connection);
                foreach (var value in parameters)
                {
                    command.Parameters.Add(new NpgsqlParameter { Value = value });
                }

                var rows = new List<T>();
                await using var reader = await command.ExecuteReaderAsync(cancellationToken);
                while (await reader.ReadAsync(cancellationToken))
                {
                    rows.Add(read(reader));
                }

                return rows;
            }
            catch (NpgsqlException) when (attempt < 20 && !cancellationToken.IsCancellationRequested)
            {
                NpgsqlConnection.ClearAllPools();
                await Task.Delay(TimeSpan.FromSeconds(1), cancellationToken);
            }
        }
    }
}
