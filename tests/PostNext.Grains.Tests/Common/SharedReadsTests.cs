using PostNext.Grains.Common;

namespace PostNext.Grains.Tests.Common;

public sealed class SharedReadsTests
{
    [Fact]
    public async Task Callers_that_ask_while_a_read_runs_share_it()
    {
        var reads = new SharedReads<string, int>();
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var started = 0;

        // Each call joins (or starts) the read before its first await: all 200 ask while the one read still runs.
        var callers = Enumerable.Range(0, 200)
            .Select(_ => reads.ReadAsync("account-1", _ => { Interlocked.Increment(ref started); return gate.Task; }))
            .ToList();
        gate.SetResult(42);

        Assert.All(await Task.WhenAll(callers), answer => Assert.Equal(42, answer));
        Assert.Equal(1, started);
    }

    [Fact]
    public async Task A_caller_after_the_read_ended_reads_again_and_keys_do_not_share()
    {
        var reads = new SharedReads<string, string>();
        var started = 0;
        Task<string> Read(string key) { Interlocked.Increment(ref started); return Task.FromResult(key + started); }

        Assert.Equal("a1", await reads.ReadAsync("a", Read));
        Assert.Equal("a2", await reads.ReadAsync("a", Read));
        Assert.Equal("b3", await reads.ReadAsync("b", Read));
    }

    [Fact]
    public async Task A_failure_reaches_the_callers_that_waited_and_the_next_caller_tries_again()
    {
        var reads = new SharedReads<string, int>();
        var gate = new TaskCompletionSource<int>(TaskCreationOptions.RunContinuationsAsynchronously);
        var waiting = Enumerable.Range(0, 10).Select(_ => reads.ReadAsync("a", _ => gate.Task)).ToList();
        gate.SetException(new InvalidOperationException("the grain was not there"));

        foreach (var caller in waiting)
        {
            await Assert.ThrowsAsync<InvalidOperationException>(() => caller);
        }

        Assert.Equal(7, await reads.ReadAsync("a", _ => Task.FromResult(7)));
    }
}
