using System.Threading.Channels;
using Npgsql;
using PostNext.Abstractions.Accounts;

namespace PostNext.Storage.Sandbox;

/// <summary>
/// The sandbox record in <c>postnext_sandbox_received</c> (cluster mode), shared by every silo. Receipts are written by
/// group commit: a burst of publishes (thousands due at one instant) goes in as a few multi-row inserts instead of one
/// insert each, all fighting over the same index pages. A receipt is acknowledged only once its batch committed.
/// </summary>
public sealed class PostgresSandboxStore : ISandboxStore, IAsyncDisposable
{
    private const string Columns = "account_id, publication_key, attempt_id, external_id, permalink, text, media_count, received_at";
    private const int MaxBatch = 500;
    private const int Writers = 2;

    private readonly NpgsqlDataSource dataSource;
    private readonly Channel<(SandboxReceipt Receipt, TaskCompletionSource Done)> _queue = Channel.CreateUnbounded<(SandboxReceipt, TaskCompletionSource)>();
    private readonly Task[] _writers;

    public PostgresSandboxStore(NpgsqlDataSource dataSource)
    {
        this.dataSource = dataSource;
        _writers = Enumerable.Range(0, Writers).Select(_ => Task.Run(WriteLoopAsync)).ToArray();
    }

    public Task RecordAsync(SandboxReceipt receipt, CancellationToken cancellationToken = default)
    {
        var done = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        return _queue.Writer.TryWrite((receipt, done))
            ? done.Task.WaitAsync(cancellationToken)
            : Task.FromException(new ObjectDisposedException(nameof(PostgresSandboxStore)));
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<(SandboxReceipt Receipt, TaskCompletionSource Done)>(MaxBatch);
        while (await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            while (batch.Count < MaxBatch && _queue.Reader.TryRead(out var item))
            {
                batch.Add(item);
            }

            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                await InsertAsync(batch.Select(b => b.Receipt).ToList()).ConfigureAwait(false);
                batch.ForEach(b => b.Done.TrySetResult());
            }
            catch (Exception ex)
            {
                batch.ForEach(b => b.Done.TrySetException(ex));
            }
        }
    }

    private async Task InsertAsync(List<SandboxReceipt> receipts)
    {
        await using var command = dataSource.CreateCommand($"""
            INSERT INTO postnext_sandbox_received ({Columns})
            SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], $6::text[], $7::int[], $8::timestamptz[])
            """);
        command.Parameters.Add(new NpgsqlParameter { Value = receipts.Select(r => r.AccountId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = receipts.Select(r => r.PublicationKey).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = receipts.Select(r => r.AttemptId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = receipts.Select(r => r.ExternalId).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = receipts.Select(r => r.Permalink).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = receipts.Select(r => r.Text).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = receipts.Select(r => r.MediaCount).ToArray() });
        command.Parameters.Add(new NpgsqlParameter { Value = receipts.Select(r => r.ReceivedAt.ToUniversalTime()).ToArray() });
        await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers).ConfigureAwait(false);
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
