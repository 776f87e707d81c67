using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Limits;
using PostNext.Abstractions.Posts;

namespace PostNext.Grains.Tests.Limits;

/// <summary>Account limits hold across a two-silo cluster; what does not fit waits for the reset, in order, and publishes once.</summary>
public sealed class RateLimitTests
{
    private static Dictionary<string, string?> SandboxLimit(int limit, string period) => new()
    {
        ["PostNext:RateLimits:Platforms:sandbox:Account:posts:Limit"] = limit.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["PostNext:RateLimits:Platforms:sandbox:Account:posts:Period"] = period,
        ["PostNext:RateLimits:ReleaseSpacing"] = "00:00:00.500",
    };

    [Fact]
    public async Task A_success_that_spends_the_platform_budget_blocks_the_account_until_the_reset_and_the_next_post_waits_for_it()
    {
        await using var cluster = await SchedulingCluster.StartInMemoryAsync();
        var (ws, accounts) = await cluster.CreateWorkspaceAsync(1, new SandboxBehaviour(BudgetSpentResetSeconds: 120));
        var account = accounts[0];
        var first = await cluster.SchedulePostAsync(ws, [account], DateTimeOffset.UtcNow.AddSeconds(1), "the last of the budget");
        var published = await cluster.WaitForPostAsync(first, p => p.Status == PostStatus.Published, TimeSpan.FromSeconds(20));
        Assert.Equal(1, published.Targets[0].Publication!.Attempts);

        // Reported to the account's limit right after the success is recorded.
        var scope = cluster.Client.GetGrain<IRateLimitGrain>(RateLimitScopes.Account("sandbox", account));
        var settle = DateTime.UtcNow.AddSeconds(10);
        RateLimitStatus status;
        while ((status = await scope.GetStatusAsync()).BlockedUntil is null && DateTime.UtcNow < settle)
        {
            await Task.Delay(100);
        }

        Assert.True(status.BlockedUntil > DateTimeOffset.UtcNow.AddSeconds(90), $"blocked until {status.BlockedUntil}");
        var second = await cluster.SchedulePostAsync(ws, [account], DateTimeOffset.UtcNow.AddSeconds(1), "one too many");
        var deferred = await cluster.WaitForPostAsync(second, p => p.Targets[0].Publication?.Status == PublicationStatus.Deferred, TimeSpan.FromSeconds(20));
        Assert.True(deferred.Targets[0].Publication!.DeferredUntil >= status.BlockedUntil, $"deferred to {deferred.Targets[0].Publication!.DeferredUntil}");
        Assert.DoesNotContain(await cluster.Sandbox.ListAsync(account, 10), r => r.PublicationKey.StartsWith(second, StringComparison.Ordinal));
    }

    [Fact]
    public async Task Of_150_posts_to_an_account_limited_to_100_per_window_100_publish_and_50_wait_for_the_reset_then_publish_once_each()
    {
        await using var cluster = await SchedulingCluster.StartInMemoryAsync(silos: 2, SandboxLimit(100, "00:00:15"));
        var (ws, accounts) = await cluster.CreateWorkspaceAsync(1);
        var account = accounts[0];
        var due = DateTimeOffset.UtcNow.AddSeconds(2);
        var posts = new List<string>();
        for (var i = 0; i < 150; i++)
        {
            posts.Add(await cluster.SchedulePostAsync(ws, [account], due.AddMilliseconds(i), $"post {i}"));
        }

        // Before the window resets: exactly 100 published, 50 deferred to (about) the reset.
        var firstWave = await WaitForCountAsync(cluster, posts, PostStatus.Published, 100, TimeSpan.FromSeconds(30));

        // The other 50 are deferred as each one's tick asks for a permit (on a loaded machine, a moment after the 100th publish).
        var settle = DateTime.UtcNow.AddSeconds(8);
        DateTimeOffset snapshotAt;
        List<PostView?> deferred;
        while (true)
        {
            snapshotAt = DateTimeOffset.UtcNow;
            var waiting = await Task.WhenAll(posts.Select(p => cluster.Client.GetGrain<IPostGrain>(p).GetAsync()));
            deferred = waiting.Where(p => p!.Targets[0].Publication!.Status == PublicationStatus.Deferred).ToList();
            if (deferred.Count >= 50 || DateTime.UtcNow > settle)
            {
                break;
            }

            await Task.Delay(100);
        }
        Assert.Equal(100, firstWave);
        Assert.Equal(50, deferred.Count);
        Assert.All(deferred, p => Assert.Contains("limit", p!.Targets[0].Publication!.DeferReason, StringComparison.Ordinal));
        Assert.All(deferred, p => Assert.True(p!.Targets[0].Publication!.DeferredUntil > snapshotAt, "deferred to the window's reset, still ahead"));
        var status = await cluster.Client.GetGrain<IRateLimitGrain>(RateLimitScopes.Account("sandbox", account)).GetStatusAsync();
        Assert.Equal(0, Assert.Single(status.Windows).Remaining);
        Assert.Equal(50, status.Waiting);

        // After the reset the 50 go out, in their original order.
        await WaitForCountAsync(cluster, posts, PostStatus.Published, 150, TimeSpan.FromSeconds(90));
        var receipts = await cluster.Sandbox.ListAsync(account, 1000);
        Assert.Equal(150, receipts.Count);
        Assert.Equal(150, receipts.Select(r => r.PublicationKey).Distinct().Count());
        // In their original order: each goes out after every post due before it (up to the jitter between a permit and the
        // platform call on a loaded machine — permits are 0.5 s apart, so a swap beyond three slots is a real reordering),
        // and spread out rather than all at once.
        var originalOrder = deferred.Select(p => p!.Id).OrderBy(id => posts.IndexOf(id)).ToList();
        var sentAt = receipts.ToDictionary(r => r.PublicationKey.Split('~')[0], r => r.ReceivedAt);
        for (var i = 0; i < originalOrder.Count; i++)
        {
            for (var j = i + 1; j < originalOrder.Count; j++)
            {
                Assert.True(sentAt[originalOrder[j]] >= sentAt[originalOrder[i]] - TimeSpan.FromSeconds(1.5),
                    $"{originalOrder[j]} (#{j}) went out {sentAt[originalOrder[i]] - sentAt[originalOrder[j]]} before {originalOrder[i]} (#{i})");
            }
        }

        var released = originalOrder.Select(id => sentAt[id]).Order().ToList();
        Assert.True(released[^1] - released[0] >= TimeSpan.FromSeconds(49 * 0.45), "the deferred posts are spread out, not released at once");

        // Never more than 100 inside any 15-second window, across both silos (permits are exact; the sandbox sees the calls a
        // little after their permits, so allow a second of delivery jitter).
        var times = receipts.Select(r => r.ReceivedAt).Order().ToList();
        for (var i = 0; i + 100 < times.Count; i++)
        {
            Assert.True(times[i + 100] - times[i] >= TimeSpan.FromSeconds(14), $"101 publishes within {times[i + 100] - times[i]}");
        }
    }

    private static async Task<int> WaitForCountAsync(SchedulingCluster cluster, List<string> posts, PostStatus status, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var views = await Task.WhenAll(posts.Select(p => cluster.Client.GetGrain<IPostGrain>(p).GetAsync()));
            var matching = views.Count(v => v!.Status == status);
            if (matching >= count || DateTime.UtcNow > deadline)
            {
                return matching;
            }

            await Task.Delay(250);
        }
    }
}
