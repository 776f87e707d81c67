using PostNext.Abstractions.Analytics;
using PostNext.Abstractions.Posts;

namespace PostNext.Web.Tests;

/// <summary>A post's metrics asked for before it is published (the app's post page does) do not stop its tracking.</summary>
[Collection(WebCollection.Name)]
public sealed class MetricsBeforePublishTests(WebHost host)
{
    [Fact]
    public async Task Metrics_read_while_a_post_is_scheduled_still_get_their_first_reading_after_it_publishes()
    {
        var (ws, key) = await host.CreateWorkspaceAsync();
        var account = (await host.SendAsync(HttpMethod.Post, $"v1/workspaces/{ws}/accounts", key, new { platform = "sandbox", handle = "early" }))["id"]!.GetValue<string>();
        var post = await host.SendAsync(HttpMethod.Post, $"v1/workspaces/{ws}/posts", key, new
        {
            content = new { text = "early reader" },
            targets = new[] { new { accountId = account } },
            schedule = new { at = DateTimeOffset.UtcNow.AddDays(1).ToString("O") },
        });
        var postId = post["id"]!.GetValue<string>();

        // Read while scheduled: this activates the metrics tracking before there is anything to track.
        var before = await host.SendAsync(HttpMethod.Get, $"v1/workspaces/{ws}/posts/{postId}/metrics", key);
        Assert.Equal(0, before["targets"]![0]!["readings"]!.GetValue<int>());

        await host.SendAsync(HttpMethod.Post, $"v1/workspaces/{ws}/posts/{postId}/publish-now", key);
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while ((await host.SendAsync(HttpMethod.Get, $"v1/workspaces/{ws}/posts/{postId}/metrics", key))["targets"]![0]!["readings"]!.GetValue<int>() == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "No reading 30 s after publishing (the first is due 1 s after it).");
            // The due bucket's wake-up, which fires at most once a reminder period, done by the test.
            await host.Grains.GetGrain<IPostMetricsGrain>(PublicationKey.For(postId, account)).WakeAsync();
            await Task.Delay(250);
        }
    }
}
