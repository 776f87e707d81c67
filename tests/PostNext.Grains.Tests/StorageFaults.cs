using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Storage;
using PostNext.Abstractions;
using PostNext.Abstractions.Calendar;
using PostNext.Abstractions.Posts;
using PostNext.Grains.Posts;
using PostNext.Grains.Posts.Publishing;
using PostNext.Storage.Calendar;
using PostNext.Storage.Posts;

namespace PostNext.Grains.Tests;

/// <summary>
/// Storage faults a test arms: the next write(s) of one state name for grains whose key contains a marker fail as a
/// PostgreSQL outage would, before anything is stored. Every other read and write goes to the real provider.
/// </summary>
public sealed class StorageFaults
{
    private readonly ConcurrentDictionary<(string StateName, string KeyPart), int> _failWrites = new();

    /// <summary>The next <paramref name="times"/> writes of <paramref name="stateName"/> for keys containing <paramref name="keyPart"/> fail.</summary>
    public void FailNextWrites(string stateName, string keyPart, int times = 1) => _failWrites[(stateName, keyPart)] = times;

    private readonly ConcurrentDictionary<(string StateName, string Key), int> _written = new();

    /// <summary>Writes refused so far.</summary>
    public int Injected { get; private set; }

    /// <summary>Writes of <paramref name="stateName"/> that went through for the grain whose key is <paramref name="key"/>.</summary>
    public int Written(string stateName, string key) => _written.GetValueOrDefault((stateName, key));

    internal void NoteWritten(string stateName, GrainId grainId) => NoteWritten(stateName, grainId.Key.ToString()!);

    internal void NoteWritten(string stateName, string key) => _written.AddOrUpdate((stateName, key), 1, (_, n) => n + 1);

    internal bool ShouldFail(string stateName, GrainId grainId) => ShouldFail(stateName, grainId.Key.ToString()!);

    internal bool ShouldFail(string stateName, string key)
    {
        foreach (var entry in _failWrites)
        {
            if (entry.Key.StateName == stateName && key.Contains(entry.Key.KeyPart, StringComparison.Ordinal) && entry.Value > 0
                && _failWrites.TryUpdate(entry.Key, entry.Value - 1, entry.Value))
            {
                Injected++;
                return true;
            }
        }

        return false;
    }
}

/// <summary>Wraps the real grain storage and fails the writes <see cref="StorageFaults"/> asks for.</summary>
internal sealed class FaultyGrainStorage(IGrainStorage inner, StorageFaults faults) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public async Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        if (faults.ShouldFail(stateName, grainId))
        {
            throw new IOException($"Injected storage fault: writing '{stateName}' for {grainId} failed.");
        }

        await inner.WriteStateAsync(stateName, grainId, grainState);
        faults.NoteWritten(stateName, grainId);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}

/// <summary>Wraps the calendar store, where publications keep their state, and fails the writes <see cref="StorageFaults"/> asks for (state name "publication").</summary>
internal sealed class FaultyCalendarStore(ICalendarStore inner, StorageFaults faults) : ICalendarStore
{
    public Task<StoredPublication?> LoadAsync(string postId, string accountId, CancellationToken cancellationToken = default) =>
        inner.LoadAsync(postId, accountId, cancellationToken);

    public Task<bool> SaveAsync(CalendarEntry entry, byte[] state, long expectedRevision, CancellationToken cancellationToken = default) =>
        faults.ShouldFail(PublicationRecord.LegacyStateName, PublicationKey.For(entry.PostId, entry.AccountId))
            ? Task.FromException<bool>(new IOException($"Injected storage fault: writing publication {entry.PostId}~{entry.AccountId} failed."))
            : inner.SaveAsync(entry, state, expectedRevision, cancellationToken);

    public Task UpsertAsync(CalendarEntry entry, CancellationToken cancellationToken = default) => inner.UpsertAsync(entry, cancellationToken);

    public Task RemoveAsync(string workspaceId, string postId, string accountId, CancellationToken cancellationToken = default) =>
        inner.RemoveAsync(workspaceId, postId, accountId, cancellationToken);

    public Task<CalendarPage> QueryAsync(CalendarQuery query, CancellationToken cancellationToken = default) => inner.QueryAsync(query, cancellationToken);

    public Task<IReadOnlyList<CalendarEntry>> ForPostsAsync(string workspaceId, IReadOnlyCollection<string> postIds, CancellationToken cancellationToken = default) =>
        inner.ForPostsAsync(workspaceId, postIds, cancellationToken);

    public Task<IReadOnlyList<CalendarEntry>> OverdueAsync(DateTimeOffset before, int limit, CancellationToken cancellationToken = default) =>
        inner.OverdueAsync(before, limit, cancellationToken);

    public Task<IReadOnlyList<DueEntry>> DueAsync(short shard, DateTimeOffset? from, DateTimeOffset before, int limit, DueEntry? after = null, CancellationToken cancellationToken = default) =>
        inner.DueAsync(shard, from, before, limit, after, cancellationToken);

    public Task<StoredTracking?> LoadTrackingAsync(string postId, string accountId, CancellationToken cancellationToken = default) =>
        inner.LoadTrackingAsync(postId, accountId, cancellationToken);

    public Task<bool> SaveTrackingAsync(TrackingEntry entry, byte[] state, long expectedRevision, CancellationToken cancellationToken = default) =>
        inner.SaveTrackingAsync(entry, state, expectedRevision, cancellationToken);

    public Task<IReadOnlyList<DueEntry>> TrackingDueAsync(short shard, DateTimeOffset? from, DateTimeOffset before, int limit, CancellationToken cancellationToken = default) =>
        inner.TrackingDueAsync(shard, from, before, limit, cancellationToken);

    public Task<IReadOnlyList<DateTimeOffset>> PendingTimesAsync(string workspaceId, string accountId, DateTimeOffset from, DateTimeOffset to, CancellationToken cancellationToken = default) =>
        inner.PendingTimesAsync(workspaceId, accountId, from, to, cancellationToken);
}

/// <summary>Wraps the post store, where posts keep their state, and fails the writes <see cref="StorageFaults"/> asks for (state name "post", key the post id).</summary>
internal sealed class FaultyPostStore(IPostStore inner, StorageFaults faults) : IPostStore
{
    public const string StateName = PostRecord.LegacyStateName;

    public Task<StoredPost?> LoadAsync(string postId, CancellationToken cancellationToken = default) => inner.LoadAsync(postId, cancellationToken);

    public async Task<bool> SaveAsync(PostIndexEntry entry, bool deleted, byte[] state, long revision, long expectedRevision, CancellationToken cancellationToken = default)
    {
        if (faults.ShouldFail(StateName, entry.PostId))
        {
            throw new IOException($"Injected storage fault: writing post {entry.PostId} failed.");
        }

        var saved = await inner.SaveAsync(entry, deleted, state, revision, expectedRevision, cancellationToken);
        faults.NoteWritten(StateName, entry.PostId);
        return saved;
    }

    public Task<bool> MayHoldUnmovedAsync(string legacyStateName, CancellationToken cancellationToken = default) =>
        inner.MayHoldUnmovedAsync(legacyStateName, cancellationToken);

    public Task<IReadOnlyList<PostIndexEntry>> ScanAsync(PostIndexScan scan, CancellationToken cancellationToken = default) => inner.ScanAsync(scan, cancellationToken);
}

internal static class StorageFaultsExtensions
{
    private const string InnerName = "faulty-inner";

    /// <summary>In-memory grain storage under the product's storage name, failing the writes <paramref name="faults"/> asks for.</summary>
    public static ISiloBuilder UseFaultyInMemoryStorage(this ISiloBuilder silo, StorageFaults faults)
    {
        silo.AddMemoryGrainStorage(InnerName);
        silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Grains,
            (services, _) => new FaultyGrainStorage(services.GetRequiredKeyedService<IGrainStorage>(InnerName), faults));
        return silo;
    }
}
