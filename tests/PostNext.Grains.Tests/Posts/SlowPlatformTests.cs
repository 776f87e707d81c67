using System.Diagnostics;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Posts;

namespace PostNext.Grains.Tests.Posts;

/// <summary>A slow or misbehaving platform never holds a publication grain, and never costs a known outcome.</summary>
public sealed class SlowPlatformTests : IAsyncLifetime
{
    private readonly StorageFaults _faults = new();
    private SchedulingCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await SchedulingCluster.StartInMemoryAsync(silos: 1, new Dictionary<string, string?>
    {
        // Ticks come only from the publication's own timers here: a lost outcome could not be recovered within the test.
        ["PostNext:Scheduling:ReminderPeriod"] = "00:01:00",
        ["PostNext:Scheduling:SweepPeriod"] = "00:01:00",
    }, _faults);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_wake_and_a_read_answer_at_once_while_the_platform_is_slow_to_answer_a_reconciliation()
    {
        var (ws, accounts) = await _cluster.CreateWorkspaceAsync(1, new SandboxBehaviour(LatencyMs: 8_000, UnknownOutcomeRate: 1));
        var postId = await _cluster.SchedulePostAsync(ws, accounts, DateTimeOffset.UtcNow.AddSeconds(1));
        var publication = _cluster.Client.GetGrain<IPublicationGrain>(PublicationKey.For(postId, accounts[0]));

        // The attempt's answer is lost after the post was received: unconfirmed, then reconciled (8 s more at the platform).
        await _cluster.WaitForPostAsync(postId, p => p.Targets[0].Publication?.Status == PublicationStatus.Unconfirmed, TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(2.5));

        var clock = Stopwatch.StartNew();
        await publication.WakeAsync();
        var view = await publication.GetAsync();
        clock.Stop();

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(4), $"a wake and a read waited {clock.Elapsed} for the platform");
        Assert.Equal(PublicationStatus.Unconfirmed, view!.Status);
        var post = await _cluster.WaitForPostAsync(postId, p => p.Status == PostStatus.Published, TimeSpan.FromSeconds(30));
        Assert.Equal(1, post.Targets[0].Publication!.Attempts);
        Assert.Single(await _cluster.Sandbox.FindAsync(accounts[0], PublicationKey.For(postId, accounts[0])));
    }

    [Fact]
    public async Task A_success_is_recorded_at_once_even_when_the_limit_grain_cannot_take_the_spent_budget()
    {
        var (ws, accounts) = await _cluster.CreateWorkspaceAsync(1, new SandboxBehaviour(BudgetSpentResetSeconds: 30));
        _faults.FailNextWrites("ratelimit", accounts[0], times: 1_000);
        var postId = await _cluster.SchedulePostAsync(ws, accounts, DateTimeOffset.UtcNow.AddSeconds(1));

        var post = await _cluster.WaitForPostAsync(postId, p => p.Status == PostStatus.Published, TimeSpan.FromSeconds(15));

        Assert.Single(await _cluster.Sandbox.FindAsync(accounts[0], PublicationKey.For(postId, accounts[0])));
        Assert.Equal(1, post.Targets[0].Publication!.Attempts);
        Assert.True(_faults.Injected > 0, "the spent budget was never reported to the limit grain");
    }
}
