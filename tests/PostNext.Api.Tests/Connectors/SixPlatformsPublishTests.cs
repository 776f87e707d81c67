using Microsoft.AspNetCore.WebUtilities;
using PostNext.Abstractions.Platforms;
using PostNext.Platforms.Tests.Facebook;
using PostNext.Platforms.Tests.Instagram;
using PostNext.Platforms.Tests.LinkedIn;
using PostNext.Platforms.Tests.X;

namespace PostNext.Api.Tests.Connectors;

/// <summary>
/// Issue "done when": a scheduled post to one account on each of the six platforms publishes through the fakes, end
/// to end through the API (import accounts, schedule a post a few seconds ahead, read the post back over HTTP, and
/// check what each platform received). The TikTok target names the privacy level the creator chose (TikTok's
/// guidelines forbid choosing it for them).
/// </summary>
[Collection(ConnectorsCollection.Name)]
public sealed class SixPlatformsPublishTests(ConnectorsHost host)
{
    [Fact]
    public async Task A_scheduled_post_to_one_account_on_each_of_the_six_platforms_is_published_through_every_fake()
    {
        var api = host.Api;
        var (ws, key) = await api.CreateWorkspaceAsync();
        var run = Guid.NewGuid().ToString("N")[..10];
        var text = $"Fresh bread is out of the oven, batch {run}";
        var title = $"Baking batch {run}";
        // Real files: every platform's file rules are checked when the post is accepted and again before each call.
        var image = TestMedia.Jpeg(1080, 1080);
        var video = TestMedia.Mp4(1920, 1080, 30, mediaBytes: 300_000);

        // The photo is hosted under TikTok's verified URL prefix (TikTok pulls photos only from verified hosts); the
        // other platforms either fetch it (X, LinkedIn) or are handed its URL (Facebook, Instagram). YouTube gets a video.
        var imageUrl = host.TikTok.AddMedia($"bread-{run}.jpg", image, "image/jpeg");
        var videoUrl = host.YouTube.AddMedia($"batch-{run}.mp4", video, "video/mp4");

        var x = await Import(PlatformIds.X, FakeXApi.Username, FakeXApi.UserId, "access-token-1");
        var linkedIn = await Import(PlatformIds.LinkedIn, "ada", FakeLinkedInApi.MemberUrn, "access-token-1");
        var facebook = await Import(PlatformIds.Facebook, "postnextbakery", FakeFacebookApi.PageId, host.Facebook.PageToken);
        var instagram = await Import(PlatformIds.Instagram, FakeInstagramApi.Username, FakeInstagramApi.IgUserId, host.Instagram.Token);
        var tikTok = await Import(PlatformIds.TikTok, host.TikTok.Username, host.TikTok.OpenId, host.TikTok.AccessToken);
        var youTube = await Import(PlatformIds.YouTube, "postnextchannel", host.YouTube.ChannelId, host.YouTube.AccessToken);
        var youTubeToken = host.YouTube.AccessToken;

        var created = await api.CreatePostAsync(ws, key, new
        {
            content = new { text, media = new[] { new { url = imageUrl, type = "image" } } },
            targets = new object[]
            {
                new { accountId = x }, new { accountId = linkedIn }, new { accountId = facebook }, new { accountId = instagram }, new { accountId = tikTok, options = new { tiktok = new { privacyLevel = "SELF_ONLY", allowComments = true } } },
                new { accountId = youTube, overrides = new { title, media = new[] { new { url = videoUrl, type = "video" } } } },
            },
            schedule = new { at = DateTimeOffset.UtcNow.AddSeconds(5).ToString("O") },
        });
        var postId = created["id"]!.GetValue<string>();
        Assert.Equal("scheduled", created["status"]!.GetValue<string>());
        Assert.All(created["targets"]!.AsArray(), t => Assert.Equal("scheduled", t!["status"]!.GetValue<string>()));

        var post = await api.WaitForPostAsync(ws, key, postId);

        Assert.True(post["status"]!.GetValue<string>() == "published", post.ToJsonString());
        foreach (var target in post["targets"]!.AsArray())
        {
            Assert.Equal("published", target!["status"]!.GetValue<string>());
            Assert.Null(target["error"]);
            Assert.Equal(1, target["attempts"]!.GetValue<int>());
            Assert.False(string.IsNullOrEmpty(target["externalId"]?.GetValue<string>()));
        }

        // X: the photo went up through the chunked media upload, then one tweet with the text and that media.
        var tweet = Assert.Single(host.X.Tweets.ToList(), t => t.Text == text);
        Assert.Equal(tweet.Id, ExternalId(post, x));
        var mediaKey = Assert.Single(tweet.MediaKeys);
        var upload = host.X.Uploads.Values.Single(u => u.MediaKey == mediaKey);
        Assert.Equal(("image/jpeg", "tweet_image"), (upload.MediaType, upload.Category));
        Assert.Equal(image, upload.Segments.SelectMany(s => s).ToArray());
        var tweetRequest = Assert.Single(host.X.Server.Requests, r => r.Method == "POST" && r.Path == "/2/tweets" && r.Body.Contains(run, StringComparison.Ordinal));
        Assert.Equal("Bearer access-token-1", tweetRequest.Header("Authorization"));

        // LinkedIn: the member's post with the image uploaded through the Images API.
        var share = Assert.Single(host.LinkedIn.Posts.ToList(), p => p.Commentary == text);
        Assert.Equal(share.Urn, ExternalId(post, linkedIn));
        Assert.Equal(FakeLinkedInApi.MemberUrn, share.Author);
        Assert.Equal(image, host.LinkedIn.Images[Assert.Single(share.Media)].Bytes);

        // Facebook: a Page post with the photo attached (an unpublished photo made from the URL).
        var page = host.Facebook.Posts[ExternalId(post, facebook)];
        Assert.Equal(text, page["message"]!.GetValue<string>());
        Assert.Equal(1, page["attachments"]!.GetValue<int>());
        Assert.Contains(host.Facebook.Server.Requests, r => r.Path == $"/v25.0/{FakeFacebookApi.PageId}/photos" && r.Body.Contains(imageUrl, StringComparison.Ordinal));

        // Instagram: an image container made from the URL, then published.
        var media = host.Instagram.Media[ExternalId(post, instagram)];
        Assert.Equal((text, "IMAGE"), (media["caption"]!.GetValue<string>(), media["media_type"]!.GetValue<string>()));
        var container = Assert.Single(host.Instagram.Server.Requests, r => r.Method == "POST" && r.Path == $"/v25.0/{FakeInstagramApi.IgUserId}/media" && r.Body.Contains(run, StringComparison.Ordinal));
        Assert.Equal(imageUrl, QueryHelpers.ParseQuery(container.Body)["image_url"].ToString());

        // TikTok: the photo pulled from its URL, with the creator's choices.
        var photoInit = JsonNode.Parse(Assert.Single(host.TikTok.Calls("POST", "/v2/post/publish/content/init/"), r => r.Body.Contains(run, StringComparison.Ordinal)).Body)!;
        Assert.Equal(("SELF_ONLY", false), (photoInit["post_info"]!["privacy_level"]!.GetValue<string>(), photoInit["post_info"]!["disable_comment"]!.GetValue<bool>()));
        Assert.Equal(imageUrl, photoInit["source_info"]!["photo_images"]![0]!.GetValue<string>());

        // YouTube: the target's own title and video, uploaded resumably byte for byte, the text as description.
        var videoId = ExternalId(post, youTube);
        var uploaded = host.YouTube.Videos[videoId];
        Assert.Equal((title, text), (uploaded["snippet"]!["title"]!.GetValue<string>(), uploaded["snippet"]!["description"]!.GetValue<string>()));
        Assert.Equal(video, host.YouTube.Sessions.Values.Single(s => s.VideoId == videoId).Received);
        var session = Assert.Single(host.YouTube.Calls("POST", "/upload/youtube/v3/videos"), r => r.Body.Contains(run, StringComparison.Ordinal));
        Assert.Equal($"Bearer {youTubeToken}", session.Header("Authorization"));

        async Task<string> Import(string platform, string handle, string externalId, string accessToken) =>
            (await api.ImportAccountAsync(ws, key, platform, handle, externalId, accessToken))["id"]!.GetValue<string>();
    }

    private static string ExternalId(JsonObject post, string accountId) =>
        ConnectorsApi.Target(post, accountId)["externalId"]!.GetValue<string>();
}
