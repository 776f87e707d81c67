namespace PostNext.Storage.Posts;

/// <summary>The posts in process memory (embedded mode and single-process tests).</summary>
public sealed class InMemoryPostStore : IPostStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, SortedSet<PostIndexEntry>> _byWorkspace = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Row> _byPost = new(StringComparer.Ordinal);

    public Task<StoredPost?> LoadAsync(string postId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_byPost.TryGetValue(postId, out var row) ? new StoredPost(row.State, row.Revision) : null);
        }
    }

    public Task<bool> SaveAsync(PostIndexEntry entry, bool deleted, byte[] state, long revision, long expectedRevision, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var stored = _byPost.GetValueOrDefault(entry.PostId);
            if ((stored?.Revision ?? 0) != expectedRevision)
            {
                return Task.FromResult(false);
            }

            if (stored is not null)
            {
                Entries(stored.Entry.WorkspaceId).Remove(stored.Entry);
            }

            _byPost[entry.PostId] = new Row(entry, deleted, state, revision);
            if (!deleted)
            {
                Entries(entry.WorkspaceId).Add(entry);
            }

            return Task.FromResult(true);
        }
    }

    /// <summary>Embedded mode keeps grain storage in the same memory: nothing from before the move outlives a restart.</summary>
    public Task<bool> MayHoldUnmovedAsync(string legacyStateName, CancellationToken cancellationToken = default) => Task.FromResult(false);

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

    private sealed record Row(PostIndexEntry Entry, bool Deleted, byte[] State, long Revision);
}
