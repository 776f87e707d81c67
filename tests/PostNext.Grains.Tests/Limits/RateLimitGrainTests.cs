using Orleans.Core.Internal;
using PostNext.Abstractions.Limits;

namespace PostNext.Grains.Tests.Limits;

/// <summary>One rate-limit scope asked directly: its line of reserved times, what it releases and what it writes.</summary>
public sealed class RateLimitGrainTests(RateLimitCluster cluster) : IClassFixture<RateLimitCluster>
{
    private static readonly DateTimeOffset DueAt = DateTimeOffset.UtcNow;

    [Fact]
    public async Task A_publication_refused_because_the_line_is_full_is_told_a_time_ahead_even_when_every_reserved_time_has_passed()
    {
        var (scope, grain) = NewAccountScope(RateLimitCluster.OnePerSecond);
        Assert.True((await grain.AcquireAsync("p0", DueAt)).Granted);
        Assert.False((await grain.AcquireAsync("p1", DueAt)).Granted);
        var last = await grain.AcquireAsync("p2", DueAt); // the line is full (MaxWaiting 2)
        Assert.False(last.Granted);

        // Both reserved times pass unclaimed (well within the grace): the line is still full.
        await WaitUntilAsync(last.RetryAt!.Value + TimeSpan.FromSeconds(1));
        var writes = cluster.Writes.Of(scope);
        for (var i = 0; i < 3; i++)
        {
            var askedAt = DateTimeOffset.UtcNow;
            var refused = await grain.AcquireAsync("p3", DueAt);
            Assert.False(refused.Granted);
            Assert.True(refused.RetryAt >= askedAt + RateLimitCluster.ReleaseSpacing,
                $"asked at {askedAt:HH:mm:ss.fff}, told to come back at {refused.RetryAt:HH:mm:ss.fff}");
        }

        Assert.Equal(writes, cluster.Writes.Of(scope));
    }

    [Fact]
    public async Task A_publication_refused_by_a_full_hour_window_is_told_when_the_window_frees_up_not_to_come_back_at_once()
    {
        var (_, grain) = NewAccountScope(RateLimitCluster.OnePerHour);
        Assert.True((await grain.AcquireAsync("p0", DueAt)).Granted);
        var askedAt = DateTimeOffset.UtcNow;

        var refused = await grain.AcquireAsync("p1", DueAt);

        Assert.False(refused.Granted);
        Assert.True(refused.RetryAt >= askedAt + TimeSpan.FromMinutes(59),
            $"asked at {askedAt:HH:mm:ss.fff}, told to come back at {refused.RetryAt:HH:mm:ss.fff}");
    }

    [Fact]
    public async Task A_reservation_nobody_claims_is_dropped_after_the_grace_and_then_neither_holds_capacity_nor_counts_as_waiting()
    {
        var (_, grain) = NewAccountScope(RateLimitCluster.OnePerSecond);
        Assert.True((await grain.AcquireAsync("p0", DueAt)).Granted);
        var reserved = await grain.AcquireAsync("gone", DueAt); // its publication will never come back
        Assert.False(reserved.Granted);
        Assert.Equal(1, (await grain.GetStatusAsync()).Waiting);

        await WaitUntilAsync(reserved.RetryAt!.Value + RateLimitCluster.ReservationGrace + TimeSpan.FromSeconds(1));
        Assert.Equal(0, (await grain.GetStatusAsync()).Waiting);
        Assert.True((await grain.AcquireAsync("next", DueAt)).Granted, "the stale reservation still holds the only permit");
    }

    [Fact]
    public async Task Releasing_a_waiting_publication_frees_its_place_the_waiting_count_drops_and_the_next_waiter_gets_its_time()
    {
        var (_, grain) = NewAccountScope(RateLimitCluster.OnePerHour);
        Assert.True((await grain.AcquireAsync("p0", DueAt)).Granted);
        var canceled = await grain.AcquireAsync("canceled", DueAt);
        Assert.False(canceled.Granted);
        Assert.Equal(1, (await grain.GetStatusAsync()).Waiting);

        await grain.ReleaseAsync("canceled");

        Assert.Equal(0, (await grain.GetStatusAsync()).Waiting);
        var next = await grain.AcquireAsync("next", DueAt);
        Assert.False(next.Granted);
        Assert.Equal(canceled.RetryAt, next.RetryAt);
    }

    [Fact]
    public async Task Releasing_a_publication_that_was_granted_keeps_its_permit_counted_as_the_platform_may_have_seen_the_call()
    {
        var (_, grain) = NewAccountScope(RateLimitCluster.OnePerHour);
        Assert.True((await grain.AcquireAsync("failed", DueAt)).Granted);

        await grain.ReleaseAsync("failed");

        var window = Assert.Single((await grain.GetStatusAsync()).Windows);
        Assert.Equal(1, window.Used);
        Assert.False((await grain.AcquireAsync("next", DueAt)).Granted);
    }

    [Fact]
    public async Task A_permit_returned_because_another_scope_refused_is_given_back()
    {
        var (_, grain) = NewAccountScope(RateLimitCluster.OnePerHour);
        Assert.True((await grain.AcquireAsync("refused-by-the-app", DueAt)).Granted);

        await grain.ReturnPermitAsync("refused-by-the-app");
        await grain.ReturnPermitAsync("refused-by-the-app");

        Assert.Equal(0, Assert.Single((await grain.GetStatusAsync()).Windows).Used);
        Assert.True((await grain.AcquireAsync("next", DueAt)).Granted);
        Assert.False((await grain.AcquireAsync("after", DueAt)).Granted);
    }

    [Fact]
    public async Task Releasing_is_idempotent_and_writes_nothing_when_nothing_changes()
    {
        var (scope, grain) = NewAccountScope(RateLimitCluster.OnePerHour);
        await grain.ReleaseAsync("never-seen");
        await Task.Delay(RateLimitCluster.GrantWriteDelay * 3);
        Assert.Equal(0, cluster.Writes.Of(scope));

        Assert.True((await grain.AcquireAsync("p0", DueAt)).Granted);
        Assert.False((await grain.AcquireAsync("canceled", DueAt)).Granted);
        await grain.ReleaseAsync("canceled");
        var written = await WaitForWritesAsync(scope, grain, w => w >= 2);

        await grain.ReleaseAsync("canceled");
        await grain.ReleaseAsync("canceled");
        await Task.Delay(RateLimitCluster.GrantWriteDelay * 3);
        Assert.Equal(written, cluster.Writes.Of(scope));
        Assert.Equal(0, (await grain.GetStatusAsync()).Waiting);
    }

    [Fact]
    public async Task A_refusal_is_written_before_it_is_answered()
    {
        var (scope, grain) = NewAccountScope(RateLimitCluster.OnePerHour);
        Assert.True((await grain.AcquireAsync("p0", DueAt)).Granted);
        var before = cluster.Writes.Of(scope);

        Assert.False((await grain.AcquireAsync("waits", DueAt)).Granted);

        Assert.True(cluster.Writes.Of(scope) > before, "the reserved time was answered before it was stored");
    }

    [Fact]
    public async Task Permits_granted_on_an_app_scope_are_written_together_not_one_write_each_and_survive_a_deactivation()
    {
        const int permits = 300;
        var scope = RateLimitScopes.App(RateLimitCluster.AppOnly);
        var grain = cluster.Client.GetGrain<IRateLimitGrain>(scope);

        var answers = await Task.WhenAll(Enumerable.Range(0, permits).Select(i => grain.AcquireAsync($"p{i}", DueAt)));

        Assert.All(answers, a => Assert.True(a.Granted));
        Assert.True(cluster.Writes.Of(scope) < permits / 10, $"{cluster.Writes.Of(scope)} writes for {permits} permits");

        // What a new activation reads from storage counts every permit.
        await grain.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await Task.Delay(TimeSpan.FromMilliseconds(500));
        Assert.Equal(permits, Assert.Single((await grain.GetStatusAsync()).Windows).Used);
        Assert.True(cluster.Writes.Of(scope) < permits / 10, $"{cluster.Writes.Of(scope)} writes for {permits} permits");
    }

    [Fact]
    public async Task A_scope_without_windows_or_block_grants_without_writing()
    {
        var (sandbox, sandboxGrain) = NewAccountScope("sandbox");
        var (appOnlyAccount, appOnlyAccountGrain) = NewAccountScope(RateLimitCluster.AppOnly);
        for (var i = 0; i < 20; i++)
        {
            Assert.True((await sandboxGrain.AcquireAsync($"p{i}", DueAt)).Granted);
            Assert.True((await appOnlyAccountGrain.AcquireAsync($"p{i}", DueAt)).Granted);
        }

        await sandboxGrain.ReleaseAsync("p0");
        await Task.Delay(RateLimitCluster.GrantWriteDelay * 3);
        Assert.Equal(0, cluster.Writes.Of(sandbox));
        Assert.Equal(0, cluster.Writes.Of(appOnlyAccount));
    }

    private (string Scope, IRateLimitGrain Grain) NewAccountScope(string platform)
    {
        var scope = RateLimitScopes.Account(platform, Guid.NewGuid().ToString("N"));
        return (scope, cluster.Client.GetGrain<IRateLimitGrain>(scope));
    }

    private async Task<int> WaitForWritesAsync(string scope, IRateLimitGrain grain, Func<int, bool> enough)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while (!enough(cluster.Writes.Of(scope)) && DateTime.UtcNow < deadline)
        {
            await Task.Delay(100);
        }

        Assert.True(enough(cluster.Writes.Of(scope)), $"{grain.GetPrimaryKeyString()}: {cluster.Writes.Of(scope)} writes");
        return cluster.Writes.Of(scope);
    }

    private static async Task WaitUntilAsync(DateTimeOffset at)
    {
        var wait = at - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }
    }
}
