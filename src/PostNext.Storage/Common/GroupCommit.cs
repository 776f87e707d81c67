using System.Threading.Channels;

namespace PostNext.Storage.Common;

/// <summary>
/// Group commit: writes (or reads) submitted concurrently go to PostgreSQL together, as one statement per batch, instead of one
/// round trip (and one transaction) each. Under light load a batch is one write and waits for nothing; under a burst a
/// few round trips carry thousands. Two writes of the same key never share a statement (a statement cannot change one
/// row twice, and a later write must see the earlier one): the later one goes in the next batch, in order.
/// </summary>
/// <typeparam name="TWrite">One write.</typeparam>
/// <typeparam name="TKey">The row a write changes.</typeparam>
/// <typeparam name="TResult">What each write learns from its statement.</typeparam>
internal sealed class GroupCommit<TWrite, TKey, TResult> : IAsyncDisposable
    where TKey : notnull
{
    private readonly Func<TWrite, TKey> _key;
    private readonly Func<IReadOnlyList<TWrite>, Task<IReadOnlyList<TResult>>> _execute;
    private readonly int _maxBatch;
    private readonly Channel<Pending> _queue = Channel.CreateUnbounded<Pending>(new UnboundedChannelOptions { SingleReader = false });
    private readonly Task[] _writers;

    /// <param name="key">The row a write changes.</param>
    /// <param name="execute">Runs one batch as one statement; answers one result per write, in the batch's order.</param>
    /// <param name="maxBatch">Writes per statement at most.</param>
    /// <param name="writers">Statements in flight at most.</param>
    public GroupCommit(Func<TWrite, TKey> key, Func<IReadOnlyList<TWrite>, Task<IReadOnlyList<TResult>>> execute, int maxBatch, int writers)
    {
        _key = key;
        _execute = execute;
        _maxBatch = maxBatch;
        _writers = Enumerable.Range(0, writers).Select(_ => Task.Run(WriteLoopAsync)).ToArray();
    }

    /// <summary>Queues the write; completes with its result once its batch is committed (or with the batch's error).</summary>
    public Task<TResult> SubmitAsync(TWrite write)
    {
        var pending = new Pending(write);
        return _queue.Writer.TryWrite(pending) ? pending.Done.Task : Task.FromException<TResult>(new ObjectDisposedException(nameof(GroupCommit<TWrite, TKey, TResult>)));
    }

    private async Task WriteLoopAsync()
    {
        var batch = new List<Pending>(_maxBatch);
        var keys = new HashSet<TKey>();
        var carried = new Queue<Pending>();
        while (carried.Count > 0 || await _queue.Reader.WaitToReadAsync().ConfigureAwait(false))
        {
            batch.Clear();
            keys.Clear();
            var later = new Queue<Pending>();
            while (batch.Count < _maxBatch && (carried.TryDequeue(out var pending) || _queue.Reader.TryRead(out pending)))
            {
                if (keys.Add(_key(pending.Write)))
                {
                    batch.Add(pending);
                }
                else
                {
                    later.Enqueue(pending);
                }
            }

            while (carried.TryDequeue(out var rest))
            {
                later.Enqueue(rest);
            }

            carried = later;
            if (batch.Count == 0)
            {
                continue;
            }

            try
            {
                var results = await _execute(batch.Select(p => p.Write).ToList()).ConfigureAwait(false);
                for (var i = 0; i < batch.Count; i++)
                {
                    batch[i].Done.TrySetResult(results[i]);
                }
            }
            catch (Exception ex)
            {
                foreach (var pending in batch)
                {
                    pending.Done.TrySetException(ex);
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _queue.Writer.TryComplete();
        await Task.WhenAll(_writers).ConfigureAwait(false);
    }

    private sealed class Pending(TWrite write)
    {
        public TWrite Write { get; } = write;

        public TaskCompletionSource<TResult> Done { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }
}
