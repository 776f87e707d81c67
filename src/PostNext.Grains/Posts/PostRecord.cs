using System.Globalization;
using Orleans.Serialization;
using Orleans.Storage;
using PostNext.Storage.Posts;

namespace PostNext.Grains.Posts;

/// <summary>
/// A post's state kept in its row of the post store, beside what the posts list shows of it: one statement writes
/// both. The row's revision is the ETag: a write from a stale activation finds a newer revision and fails with
/// <see cref="InconsistentStateException"/>, exactly as Orleans grain storage would. Posts stored before states moved
/// to the row are read once from Orleans grain storage (<see cref="FromGrainStorage"/>) and move over with their next
/// write, which the post's activation makes at once.
/// </summary>
public sealed class PostRecord(string postId, GrainId grainId, IPostStore store, Serializer<PostState> serializer, IGrainStorage legacy)
    : IPersistentState<PostState>
{
    public const string LegacyStateName = "post";

    /// <summary>The revision of the row as stored (0: no row yet, or a row from before states moved here).</summary>
    private long _stored;

    public PostState State { get; set; } = new();

    public string? Etag => _stored.ToString(CultureInfo.InvariantCulture);

    public bool RecordExists { get; private set; }

    /// <summary>The state was read from Orleans grain storage: it is not in the row yet.</summary>
    public bool FromGrainStorage { get; private set; }

    public async Task ReadStateAsync()
    {
        var stored = await store.LoadAsync(postId);
        _stored = stored?.Revision ?? 0;
        FromGrainStorage = false;
        if (stored?.State is { } bytes)
        {
            State = serializer.Deserialize(bytes) ?? new PostState();
            RecordExists = true;
            return;
        }

        // A row without a state, or no row while posts from before the move may remain: the state is in grain storage.
        if (stored is not null || await store.MayHoldUnmovedAsync(LegacyStateName))
        {
            var old = new GrainState<PostState>();
            await legacy.ReadStateAsync(LegacyStateName, grainId, old);
            State = old.RecordExists && old.State is { } kept ? kept : new PostState();
            RecordExists = old.RecordExists;
            FromGrainStorage = old.RecordExists;
            return;
        }

        State = new PostState();
        RecordExists = false;
    }

    public async Task WriteStateAsync()
    {
        var s = State;
        var entry = new PostIndexEntry(
            s.WorkspaceId, postId, s.Draft, s.Canceled, s.Content.Text, s.Content.Title,
            [.. s.Targets.SelectMany(t => new[] { t.Overrides?.Text, t.Overrides?.Title }).OfType<string>()],
            [.. s.Targets.Select(t => new PostIndexTarget(t.AccountId, t.Platform))],
            s.CreatedAt, s.UpdatedAt);
        if (!await store.SaveAsync(entry, s.Deleted, serializer.SerializeToArray(s), _stored + 1, _stored))
        {
            throw new InconsistentStateException($"Post {postId} was written by another activation (expected revision {_stored}).", "newer", Etag ?? "");
        }

        _stored++;
        RecordExists = true;
        FromGrainStorage = false;
    }

    /// <summary>A deleted post keeps its row (its Idempotency-Key still answers): it is written with its state marked deleted.</summary>
    public Task ClearStateAsync() => throw new NotSupportedException("A deleted post is written with its state marked deleted.");

    public Task ReadStateAsync(CancellationToken cancellationToken) => ReadStateAsync();

    public Task WriteStateAsync(CancellationToken cancellationToken) => WriteStateAsync();

    public Task ClearStateAsync(CancellationToken cancellationToken) => ClearStateAsync();
}
