using Npgsql;
using PostNext.Abstractions.Accounts;

namespace PostNext.Storage.Sandbox;

/// <summary>The sandbox record in <c>postnext_sandbox_received</c> (cluster mode), shared by every silo.</summary>
public sealed class PostgresSandboxStore(NpgsqlDataSource dataSource) : ISandboxStore
{
    private const string Columns = "account_id, publication_key, attempt_id, external_id, permalink, text, media_count, received_at";

    public async Task RecordAsync(SandboxReceipt receipt, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand($"INSERT INTO postnext_sandbox_received ({Columns}) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)");
        foreach (var value in new object[]
                 {
                     receipt.AccountId, receipt.PublicationKey, receipt.AttemptId, receipt.ExternalId, receipt.Permalink,
                     receipt.Text, receipt.MediaCount, receipt.ReceivedAt.ToUniversalTime(),
                 })
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        await command.ExecuteNonQueryAsync(cancellationToken);
    }

    public Task<IReadOnlyList<SandboxReceipt>> FindAsync(string accountId, string publicationKey, CancellationToken cancellationToken = default) =>
        ReadAsync($"SELECT {Columns} FROM postnext_sandbox_received WHERE account_id = $1 AND publication_key = $2 ORDER BY id", [accountId, publicationKey], cancellationToken);

    public Task<IReadOnlyList<SandboxReceipt>> ListAsync(string accountId, int limit, CancellationToken cancellationToken = default) =>
        ReadAsync($"SELECT {Columns} FROM postnext_sandbox_received WHERE account_id = $1 ORDER BY id LIMIT $2", [accountId, limit], cancellationToken);

    private async Task<IReadOnlyList<SandboxReceipt>> ReadAsync(string sql, object[] parameters, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        var receipts = new List<SandboxReceipt>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            receipts.Add(new SandboxReceipt(
                reader.GetString(0), reader.GetString(1), reader.GetString(2), reader.GetString(3), reader.GetString(4),
                reader.GetString(5), reader.GetInt32(6), reader.GetFieldValue<DateTimeOffset>(7)));
        }

        return receipts;
    }
}
