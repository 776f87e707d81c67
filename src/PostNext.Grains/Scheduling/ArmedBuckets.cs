using System.Collections.Concurrent;

namespace PostNext.Grains.Scheduling;

/// <summary>
/// The due buckets this silo already knows to be armed, so a publication changing its time calls its bucket grain
/// once per bucket and silo, not on every change. A bucket stays armed until its time is over, so entries are only
/// kept while their bucket lasts.
/// </summary>
public sealed class ArmedBuckets(TimeProvider time)
{
    private readonly ConcurrentDictionary<string, DateTimeOffset> _armed = new(StringComparer.Ordinal);

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
