using System.Collections.Concurrent;
using Microsoft.Extensions.Options;
using PostNext.Abstractions.Posts;
using PostNext.Storage.Calendar;

namespace PostNext.Grains.Scheduling;

/// <summary>
/// The due buckets this silo already knows to be armed, so a publication changing its time calls its bucket grain
/// once per bucket and silo, not on every change. A bucket stays armed until its time is over, so entries are only
/// kept while their bucket lasts.
/// </summary>
public sealed class ArmedBuckets(IGrainFactory grains, IOptions<SchedulingOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _armed = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, Task> _arming = new(StringComparer.Ordinal);

    /// <summary>The due bucket (and shard) that wakes this publication's work due at <paramref name="at"/> (or now, if that is past).</summary>
    public string BucketOf(string postId, string accountId, DateTimeOffset at)
    {
        var now = time.GetUtcNow();
        return DueBuckets.Key(DueBuckets.StartOf(at > now ? at : now, options.Value.DueBucketSize), DueShards.Of(postId, accountId));
    }

    /// <summary>Makes sure the due bucket of <paramref name="at"/> is armed: a grain call the first time this silo sees the bucket, free after.</summary>
    public async Task EnsureArmedAsync(string postId, string accountId, DateTimeOffset at)
    {
        var bucket = BucketOf(postId, accountId, at);
        if (IsArmed(bucket))
        {
            return;
        }

        // Publications of one bucket arming it together share the one call in flight.
        var call = _arming.GetOrAdd(bucket, ArmAsync, at);
        try
        {
            await call;
        }
        finally
        {
            _arming.TryRemove(KeyValuePair.Create(bucket, call));
        }
    }

    private async Task ArmAsync(string bucket, DateTimeOffset at)
    {
        await grains.GetGrain<IDueBucketGrain>(bucket).EnsureArmedAsync(at);
        MarkArmed(bucket, DueBuckets.Parse(bucket).Start + options.Value.DueBucketSize);
    }

    public bool IsArmed(string bucket) => _armed.TryGetValue(bucket, out var end) && end > time.GetUtcNow();

    /// <summary>Forgets a bucket (its reminder may have been lost): the next change calls its grain again.</summary>
    public void Forget(string bucket) => _armed.TryRemove(bucket, out _);

    public void MarkArmed(string bucket, DateTimeOffset end)
    {
        _armed[bucket] = end;
        if (_armed.Count > 10_000)
        {
            var now = time.GetUtcNow();
            foreach (var (key, until) in _armed)
            {
                if (until <= now)
                {
                    _armed.TryRemove(key, out _);
                }
            }
        }
    }
}
