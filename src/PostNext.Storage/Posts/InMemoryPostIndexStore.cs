namespace PostNext.Storage.Posts;

/// <summary>The post index in process memory (embedded mode and single-process tests).</summary>
public sealed class InMemoryPostIndexStore : IPostIndexStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedSet<PostIndexEntry>> _byWorkspace = new(StringComparer.Ordinal);
    private readonly Dictionary<string, PostIndexEntry> _byPost = new(StringComparer.Ordinal);

    public Task UpsertAsync(PostIndexEntry entry, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_byPost.TryGetValue(entry.PostId, out var existing))
            {
                if (existing.UpdatedAt > entry.UpdatedAt)
                {
                    return Task.CompletedTask;
                }

                Entries(existing.WorkspaceId).Remove(existing);
            }

            _byPost[entry.PostId] = entry;
            Entries(entry.WorkspaceId).Add(entry);
        }

        return Task.CompletedTask;
    }

    public Task RemoveAsync(string workspaceId, string postId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_byPost.TryGetValue(postId, out var existing) && existing.WorkspaceId == workspaceId)
            {
                _byPost.Remove(postId);
                Entries(workspaceId).Remove(existing);
            }
        }

        return Task.CompletedTask;
    }

    public Task<bool> HoldsAsync(string workspaceId, string postId, PostIndexEntry? expected, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var stored = _byPost.GetValueOrDefault(postId) is { } found && found.WorkspaceId == workspaceId ? found : null;
            return Task.FromResult(expected is null ? stored is null : stored is not null && expected.ListsAs(stored, stored.SearchText));
        }
    }

    public Task<IReadOnlyList<PostIndexEntry>> ScanAsync(PostIndexScan scan, CancellationToken cancellationToken = default)
    {
        var search = scan.Search?.ToLowerInvariant();
        lock (_gate)
        {
            IEnumerable<PostIndexEntry> entries = Entries(scan.WorkspaceId);
            if (scan.AfterCreatedAt is { } at && scan.AfterPostId is { } id)
            {
                var cursor = new PostIndexEntry(scan.WorkspaceId, id, false, false, "", null, [], [], at, at);
                entries = entries.Where(e => PostIndexOrder.Instance.Compare(e, cursor) > 0);
            }

            IReadOnlyList<PostIndexEntry> matches = entries
                .Where(e => scan.Draft is null || e.Draft == scan.Draft)
                .Where(e => scan.AccountId is null || e.Targets.Any(t => t.AccountId == scan.AccountId))
                .Where(e => scan.Platform is null || e.Targets.Any(t => t.Platform == scan.Platform))
                .Where(e => search is null || e.SearchText.Contains(search, StringComparison.Ordinal))
                .Take(scan.Limit)
                .ToList();
            return Task.FromResult(matches);
        }
    }

    private SortedSet<PostIndexEntry> Entries(string workspaceId)
    {
        if (!_byWorkspace.TryGetValue(workspaceId, out var entries))
        {
            entries = new SortedSet<PostIndexEntry>(PostIndexOrder.Instance);
            _byWorkspace[workspaceId] = entries;
        }

        return entries;
    }
}
