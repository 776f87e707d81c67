using System.Collections.Concurrent;

namespace PostNext.Grains.Common;

/// <summary>
/// One read in flight per key, shared by every caller that asks while it runs (thread-safe, for code outside grain
/// turns). Ten thousand publications of one account due at one instant then ask its grain for the token a few times,
/// not ten thousand. Every caller gets the answer of a read that was in flight when it asked (as if it had asked a
/// moment earlier); one that comes after the read ended starts a new one, so a failure is shared only by the callers
/// that waited on it.
/// </summary>
public sealed class SharedReads<TKey, TResult>
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Lazy<Task<TResult>>> _running = new();

    /// <summary>Starts the read for <paramref name="key"/>, or joins the one in flight.</summary>
    public async Task<TResult> ReadAsync(TKey key, Func<TKey, Task<TResult>> read)
    {
        var mine = new Lazy<Task<TResult>>(() => read(key));
        var running = _running.GetOrAdd(key, mine);
        try
        {
            return await running.Value.ConfigureAwait(false);
        }
        finally
        {
            _running.TryRemove(new KeyValuePair<TKey, Lazy<Task<TResult>>>(key, running));
        }
    }
}
