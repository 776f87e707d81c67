using PostNext.Abstractions;
using PostNext.Abstractions.Limits;
using PostNext.Abstractions.Posts;

namespace PostNext.Grains.Tests.Limits;

/// <summary>
/// A kind of post with a limit of its own (a Facebook Page's 30 reels a day, configured as "{platform}.reel") is held
/// back by that limit before anything is sent, while the account's other posts go out.
/// </summary>
public sealed class PostTypeLimitTests
{
    [Fact]
    public async Task Reels_past_their_own_limit_wait_before_any_call_while_the_accounts_feed_posts_still_publish()
    {
        await using var cluster = await SchedulingCluster.StartInMemoryAsync(silos: 1, new Dictionary<string, string?>
        {
            ["PostNext:RateLimits:Platforms:sandbox.reel:Account:reels:Limit"] = "2",
            ["PostNext:RateLimits:Platforms:sandbox.reel:Account:reels:Period"] = "01:00:00",
        });
        var (ws, accounts) = await cluster.CreateWorkspaceAsync(1);
        var account = accounts[0];
        var due = DateTimeOffset.UtcNow.AddSeconds(1);
        var reels = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            reels.Add(await ScheduleAsync(cluster, ws, account, due.AddMilliseconds(i * 10), $"reel {i}", PostTypes.Reel));
        }

        var feed = await ScheduleAsync(cluster, ws, account, due.AddMilliseconds(50), "feed post", type: null);

        var views = await Task.WhenAll(reels.Select(r => cluster.WaitForPostAsync(r, p => p.Targets[0].Publication?.Status is PublicationStatus.Published or PublicationStatus.Deferred, TimeSpan.FromSeconds(30))));
        await cluster.WaitForPostAsync(feed, p => p.Status == PostStatus.Published, TimeSpan.FromSeconds(30));

        Assert.Equal(2, views.Count(v => v.Status == PostStatus.Published));
        var waiting = Assert.Single(views, v => v.Targets[0].Publication!.Status == PublicationStatus.Deferred).Targets[0].Publication!;
        Assert.Contains("limit", waiting.DeferReason, StringComparison.Ordinal);
        Assert.True(waiting.DeferredUntil > DateTimeOffset.UtcNow.AddMinutes(50), $"deferred to {waiting.DeferredUntil}, the reel window's reset");
        var sent = (await cluster.Sandbox.ListAsync(account, 100)).Select(r => r.Text).ToList();
        var held = views.Single(v => v.Status != PostStatus.Published).Content.Text;
        Assert.Equal(["feed post", .. views.Select(v => v.Content.Text).Where(t => t != held).Order()], sent.Order());
        var status = await cluster.Client.GetGrain<IRateLimitGrain>(RateLimitScopes.PostType("sandbox", PostTypes.Reel, account)).GetStatusAsync();
        Assert.Equal(0, Assert.Single(status.Windows).Remaining);
    }

    private static async Task<string> ScheduleAsync(SchedulingCluster cluster, string ws, string account, DateTimeOffset dueAt, string text, string? type)
    {
        var id = Ids.New(Ids.Post);
        var options = type is null ? null : new PostOptions(Facebook: new FacebookPostOptions(type));
        var result = await cluster.Client.GetGrain<IPostGrain>(id).CreateAsync(new CreatePost(
            ws, new PostContent(text, []), [new TargetSpec(account, "sandbox", null, dueAt, options)], false, "UTC", "at", Guid.NewGuid().ToString("N")));
        Assert.Equal(PostOutcome.Created, result.Outcome);
        return id;
    }
}
