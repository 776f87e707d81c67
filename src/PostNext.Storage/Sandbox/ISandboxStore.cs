using PostNext.Abstractions.Accounts;

namespace PostNext.Storage.Sandbox;

/// <summary>Everything the built-in sandbox platform received, so anyone can check each publication arrived exactly once.</summary>
public interface ISandboxStore
{
    /// <summary>Records one received publication (every call, duplicates included: that is the point).</summary>
    Task RecordAsync(SandboxReceipt receipt, CancellationToken cancellationToken = default);

    /// <summary>What was received for one publication key (for reconciling an unknown outcome).</summary>
    Task<IReadOnlyList<SandboxReceipt>> FindAsync(string accountId, string publicationKey, CancellationToken cancellationToken = default);

    /// <summary>What one account received, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<SandboxReceipt>> ListAsync(string accountId, int limit, CancellationToken cancellationToken = default);
}

/// <summary>The sandbox record in process memory (embedded mode).</summary>
public sealed class InMemorySandboxStore : ISandboxStore
{
    private readonly Lock _gate = new();
    private readonly List<SandboxReceipt> _receipts = [];

    public Task RecordAsync(SandboxReceipt receipt, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _receipts.Add(receipt);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<SandboxReceipt>> FindAsync(string accountId, string publicationKey, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<SandboxReceipt> found = _receipts.Where(r => r.AccountId == accountId && r.PublicationKey == publicationKey).ToList();
            return Task.FromResult(found);
        }
    }

    public Task<IReadOnlyList<SandboxReceipt>> ListAsync(string accountId, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<SandboxReceipt> found = _receipts.Where(r => r.AccountId == accountId).Take(limit).ToList();
            return Task.FromResult(found);
        }
    }
}
