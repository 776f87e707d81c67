using PostNext.Abstractions.Analytics;

namespace PostNext.Storage.Analytics;

/// <summary>The engagement history: every reading of every publication and of every account's audience.</summary>
public interface IMetricsStore
{
    /// <summary>Keeps one publication reading.</summary>
    Task AddPostSnapshotAsync(PostSnapshot snapshot, CancellationToken cancellationToken = default);

    /// <summary>One publication's readings, oldest first (at most <paramref name="limit"/>).</summary>
    Task<IReadOnlyList<PostSnapshot>> ListPostSnapshotsAsync(string postId, string accountId, int limit = 1000, CancellationToken cancellationToken = default);

    /// <summary>Keeps one audience reading.</summary>
    Task AddAccountSnapshotAsync(AccountSnapshot snapshot, CancellationToken cancellationToken = default);

    /// <summary>An account's audience readings in [from, to), oldest first (at most <paramref name="limit"/>).</summary>
    Task<IReadOnlyList<AccountSnapshot>> ListAccountSnapshotsAsync(
        string accountId, DateTimeOffset from, DateTimeOffset to, int limit = 1000, CancellationToken cancellationToken = default);
}

/// <summary>The engagement history in process memory (embedded mode): nothing is kept when the process stops.</summary>
public sealed class InMemoryMetricsStore : IMetricsStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Post, string Account), List<PostSnapshot>> _posts = [];
    private readonly Dictionary<string, List<AccountSnapshot>> _accounts = new(StringComparer.Ordinal);

    public Task AddPostSnapshotAsync(PostSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_posts.TryGetValue((snapshot.PostId, snapshot.AccountId), out var list))
            {
                list = [];
                _posts[(snapshot.PostId, snapshot.AccountId)] = list;
            }

            list.Add(snapshot);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<PostSnapshot>> ListPostSnapshotsAsync(string postId, string accountId, int limit = 1000, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<PostSnapshot> found = _posts.TryGetValue((postId, accountId), out var list)
                ? list.OrderBy(s => s.Metrics.ReadAt).Take(limit).ToList()
                : [];
            return Task.FromResult(found);
        }
    }

    public Task AddAccountSnapshotAsync(AccountSnapshot snapshot, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (!_accounts.TryGetValue(snapshot.AccountId, out var list))
            {
                list = [];
                _accounts[snapshot.AccountId] = list;
            }

            list.Add(snapshot);
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<AccountSnapshot>> ListAccountSnapshotsAsync(
        string accountId, DateTimeOffset from, DateTimeOffset to, int limit = 1000, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<AccountSnapshot> found = _accounts.TryGetValue(accountId, out var list)
                ? list.Where(s => s.Metrics.ReadAt >= from && s.Metrics.ReadAt < to).OrderBy(s => s.Metrics.ReadAt).Take(limit).ToList()
                : [];
            return Task.FromResult(found);
        }
    }
}
