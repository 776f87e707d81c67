using PostNext.Abstractions.Platforms;
using PostNext.Platforms.Tests.Facebook;

namespace PostNext.Api.Tests.Connectors;

/// <summary>
/// Issue #13: a Page's reels have a limit of their own (30 API-published in a moving 24 h). A reel Facebook refuses over
/// it waits the window out as rate-limited, and holds back only the Page's reels: its feed posts still go out.
/// </summary>
[Collection(ConnectorsCollection.Name)]
public sealed class FacebookReelLimitTests(ConnectorsHost host)
{
    [Fact]
    public async Task A_reel_refused_over_the_pages_reel_limit_waits_a_day_while_the_pages_feed_posts_still_go_out()
    {
        var (ws, key) = await host.Api.CreateWorkspaceAsync();
        var run = Guid.NewGuid().ToString("N")[..10];
        var video = host.Facebook.Server.ServeFile($"/media/{run}-limit.mp4", TestMedia.Mp4(1080, 1920, 20), "video/mp4").AbsoluteUri;
        var facebook = (await host.Api.ImportAccountAsync(ws, key, PlatformIds.Facebook, "postnextbakery", FakeFacebookApi.PageId, host.Facebook.PageToken))["id"]!.GetValue<string>();
        host.Facebook.ReelsPerDay = 0;
        try
        {
            var reel = await host.Api.CreatePostAsync(ws, key, new
            {
                content = new { text = $"Reel {run}", media = new[] { new { url = video, type = "video" } } },
                targets = new[] { new { accountId = facebook, options = new { facebook = new { type = "reel" } } } },
                schedule = new { mode = "now" },
            });
            var waiting = await PollAsync(ws, key, reel["id"]!.GetValue<string>(), t => t["status"]!.GetValue<string>() != "scheduled" && t["status"]!.GetValue<string>() != "publishing");

            Assert.True(waiting["status"]!.GetValue<string>() == "deferred", waiting.ToJsonString());
            Assert.True(waiting["deferredUntil"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow.AddHours(23), waiting.ToJsonString());
            Assert.Null(waiting["error"]);

            var feed = await host.Api.CreatePostAsync(ws, key, new
            {
                content = new { text = $"Feed {run}" },
                targets = new[] { new { accountId = facebook } },
                schedule = new { mode = "now" },
            });
            var post = await host.Api.WaitForPostAsync(ws, key, feed["id"]!.GetValue<string>(), TimeSpan.FromSeconds(30));
            Assert.True(post["status"]!.GetValue<string>() == "published", post.ToJsonString());
        }
        finally
        {
            host.Facebook.ReelsPerDay = 30;
        }
    }

    private async Task<JsonObject> PollAsync(string ws, string key, string postId, Func<JsonObject, bool> done)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var target = (JsonObject)(await host.Api.GetPostAsync(ws, key, postId))["targets"]![0]!;
            if (done(target) || DateTime.UtcNow > deadline)
            {
                return target;
            }

            await Task.Delay(100);
        }
    }
}
