using PostNext.Abstractions.Platforms;
using PostNext.Platforms.Tests.Facebook;
using PostNext.Platforms.Tests.Instagram;
using PostNext.Platforms.Tests.X;

namespace PostNext.Api.Tests.Connectors;

/// <summary>
/// Issue #13 item 5 over HTTP: a post's files are read from their own headers (served on loopback) and checked
/// against each target's platform rules. A bad file is a 422 naming the rule, the file's index and the target, with
/// nothing stored; a file that changes to a bad one after the post was accepted fails that target before its platform
/// is called.
/// </summary>
[Collection(ConnectorsCollection.Name)]
public sealed class MediaChecksTests(ConnectorsHost host)
{
    [Fact]
    public async Task A_post_with_an_image_instagram_refuses_answers_422_naming_the_rule_the_file_and_the_target_and_stores_nothing()
    {
        var api = host.Api;
        var (ws, key) = await api.CreateWorkspaceAsync();
        var run = Guid.NewGuid().ToString("N")[..10];
        var square = host.Instagram.Server.ServeFile($"/media/{run}-square.jpg", TestMedia.Jpeg(1080, 1080), "image/jpeg").AbsoluteUri;
        var tall = host.Instagram.Server.ServeFile($"/media/{run}-tall.jpg", TestMedia.Jpeg(1080, 1920), "image/jpeg").AbsoluteUri;
        var x = await ImportAsync(ws, key, PlatformIds.X, FakeXApi.Username, FakeXApi.UserId, "access-token-1");
        var instagram = await ImportAsync(ws, key, PlatformIds.Instagram, FakeInstagramApi.Username, FakeInstagramApi.IgUserId, host.Instagram.Token);

        var response = await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts", key, new
        {
            content = new { text = $"Two photos {run}", media = new[] { new { url = square, type = "image" }, new { url = tall, type = "image" } } },
            targets = new[] { new { accountId = x }, new { accountId = instagram } },
            schedule = new { at = DateTimeOffset.UtcNow.AddHours(1).ToString("O") },
        });

        var detail = await ConnectorsApi.ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Contains("Nothing was stored", detail, StringComparison.Ordinal);
        var problem = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsObject();
        var violation = Assert.Single(problem["violations"]!.AsArray())!;
        Assert.Equal((instagram, "instagram", "media_aspect_ratio", "media[1]"), (
            violation["accountId"]!.GetValue<string>(), violation["platform"]!.GetValue<string>(),
            violation["code"]!.GetValue<string>(), violation["field"]!.GetValue<string>()));
        Assert.Contains("1080×1920", violation["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await CalendarEntriesAsync(ws, key));
        Assert.Single(host.Instagram.Server.Requests, r => r.Path == $"/media/{run}-tall.jpg"); // read once for both targets
    }

    [Fact]
    public async Task Instagram_files_are_checked_against_the_rules_of_the_placement_the_target_chooses()
    {
        // A 9:16 photo is refused in the feed (4:5 to 1.91:1) and taken as a story (0.1:1 to 10:1); a 70 s video is a
        // fine reel (3 s to 15 min) and too long for a story (60 s). Before, every placement was checked by the feed's rules.
        var api = host.Api;
        var (ws, key) = await api.CreateWorkspaceAsync();
        var run = Guid.NewGuid().ToString("N")[..10];
        var tall = host.Instagram.Server.ServeFile($"/media/{run}-tall.jpg", TestMedia.Jpeg(1080, 1920), "image/jpeg").AbsoluteUri;
        var video = host.Instagram.Server.ServeFile($"/media/{run}-70s.mp4", TestMedia.Mp4(1080, 1920, 70), "video/mp4").AbsoluteUri;
        var instagram = await ImportAsync(ws, key, PlatformIds.Instagram, FakeInstagramApi.Username, FakeInstagramApi.IgUserId, host.Instagram.Token);
        object Post(string url, string type, string placement) => new
        {
            content = new { text = $"Placement {placement} {run}", media = new[] { new { url, type } } },
            targets = new[] { new { accountId = instagram, options = new { instagram = new { type = placement } } } },
            schedule = new { at = DateTimeOffset.UtcNow.AddHours(1).ToString("O") },
        };

        var feed = await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts", key, Post(tall, "image", "feed"));
        await ConnectorsApi.ProblemAsync(feed, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("media_aspect_ratio", JsonNode.Parse(await feed.Content.ReadAsStringAsync())!["violations"]![0]!["code"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.Created, (await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts", key, Post(tall, "image", "story"))).StatusCode);

        Assert.Equal(HttpStatusCode.Created, (await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts", key, Post(video, "video", "reel"))).StatusCode);
        var story = await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts", key, Post(video, "video", "story"));
        await ConnectorsApi.ProblemAsync(story, HttpStatusCode.UnprocessableEntity);
        var tooLong = Assert.Single(JsonNode.Parse(await story.Content.ReadAsStringAsync())!["violations"]!.AsArray())!;
        Assert.Equal(("video_too_long", "media[0]"), (tooLong["code"]!.GetValue<string>(), tooLong["field"]!.GetValue<string>()));
        Assert.Contains("at most 60 s", tooLong["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal(2, (await CalendarEntriesAsync(ws, key)).Count);
    }

    [Fact]
    public async Task A_facebook_reel_and_a_facebook_story_with_the_right_media_are_accepted_and_published_as_such()
    {
        var api = host.Api;
        var (ws, key) = await api.CreateWorkspaceAsync();
        var run = Guid.NewGuid().ToString("N")[..10];
        var video = host.Facebook.Server.ServeFile($"/media/{run}-reel.mp4", TestMedia.Mp4(1080, 1920, 20), "video/mp4").AbsoluteUri;
        var photo = host.Facebook.Server.ServeFile($"/media/{run}-story.jpg", TestMedia.Jpeg(1080, 1920), "image/jpeg").AbsoluteUri;
        var facebook = await ImportAsync(ws, key, PlatformIds.Facebook, "postnextbakery", FakeFacebookApi.PageId, host.Facebook.PageToken);

        var reel = await PublishFacebookAsync(ws, key, facebook, $"Reel {run}", video, "video", "reel");
        var story = await PublishFacebookAsync(ws, key, facebook, $"Story {run}", photo, "image", "story");

        Assert.Equal(("published", "reel"), (reel["status"]!.GetValue<string>(), reel["options"]!["facebook"]!["type"]!.GetValue<string>()));
        var session = host.Facebook.Sessions[reel["externalId"]!.GetValue<string>()];
        Assert.Equal(("reel", $"Reel {run}", video), (session.Kind, session.Description, session.FileUrl));
        Assert.Equal(("published", "story"), (story["status"]!.GetValue<string>(), story["options"]!["facebook"]!["type"]!.GetValue<string>()));
        var published = host.Facebook.Stories[story["externalId"]!.GetValue<string>()];
        Assert.Equal("photo", published["media_type"]!.GetValue<string>());
        Assert.Contains(host.Facebook.Server.Requests, r => r.Path == $"/v25.0/{FakeFacebookApi.PageId}/photos" && r.Body.Contains(photo, StringComparison.Ordinal));
        Assert.DoesNotContain(host.Facebook.Server.Requests, r => r.Method == "POST" && r.Body.Contains($"Story {run}", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("reel", "image", "option_media_mismatch", "options.facebook.type", "A Facebook reel is exactly one video.")]
    [InlineData("reel", "wide", "media_aspect_ratio", "media[0]", "1920×1080")]
    [InlineData("story", "long", "video_too_long", "media[0]", "at most 60 s")]
    [InlineData("story", "none", "option_media_mismatch", "options.facebook.type", "A Facebook story is exactly one image or video.")]
    public async Task A_facebook_reel_or_story_with_the_wrong_media_answers_422_naming_the_rule_and_stores_nothing(
        string placement, string file, string code, string field, string says)
    {
        var api = host.Api;
        var (ws, key) = await api.CreateWorkspaceAsync();
        var run = Guid.NewGuid().ToString("N")[..10];
        object[] media = file switch
        {
            "image" => [new { url = host.Facebook.Server.ServeFile($"/media/{run}.jpg", TestMedia.Jpeg(1080, 1920), "image/jpeg").AbsoluteUri, type = "image" }],
            "wide" => [new { url = host.Facebook.Server.ServeFile($"/media/{run}.mp4", TestMedia.Mp4(1920, 1080, 20), "video/mp4").AbsoluteUri, type = "video" }],
            "long" => [new { url = host.Facebook.Server.ServeFile($"/media/{run}.mp4", TestMedia.Mp4(1080, 1920, 70), "video/mp4").AbsoluteUri, type = "video" }],
            _ => [],
        };
        var facebook = await ImportAsync(ws, key, PlatformIds.Facebook, "postnextbakery", FakeFacebookApi.PageId, host.Facebook.PageToken);

        var response = await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts", key, new
        {
            content = new { text = $"Wrong media {run}", media },
            targets = new[] { new { accountId = facebook, options = new { facebook = new { type = placement } } } },
            schedule = new { mode = "now" },
        });

        await ConnectorsApi.ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        var violation = Assert.Single(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["violations"]!.AsArray())!;
        Assert.Equal((code, field, facebook), (violation["code"]!.GetValue<string>(), violation["field"]!.GetValue<string>(), violation["accountId"]!.GetValue<string>()));
        Assert.Contains(says, violation["message"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Empty(await CalendarEntriesAsync(ws, key));
        Assert.DoesNotContain(host.Facebook.Server.Requests, r => r.Method == "POST" && r.Body.Contains(run, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_media_url_that_cannot_be_fetched_answers_422_media_unavailable()
    {
        var api = host.Api;
        var (ws, key) = await api.CreateWorkspaceAsync();
        var missing = host.Instagram.Server.Url($"/media/{Guid.NewGuid():N}.jpg").AbsoluteUri;
        var instagram = await ImportAsync(ws, key, PlatformIds.Instagram, FakeInstagramApi.Username, FakeInstagramApi.IgUserId, host.Instagram.Token);

        var response = await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts", key, new
        {
            content = new { text = "Missing photo", media = new[] { new { url = missing, type = "image" } } },
            targets = new[] { new { accountId = instagram } },
            schedule = new { mode = "now" },
        });

        await ConnectorsApi.ProblemAsync(response, HttpStatusCode.UnprocessableEntity);
        var violation = Assert.Single(JsonNode.Parse(await response.Content.ReadAsStringAsync())!["violations"]!.AsArray())!;
        Assert.Equal(("media_unavailable", "media[0]"), (violation["code"]!.GetValue<string>(), violation["field"]!.GetValue<string>()));
        var message = violation["message"]!.GetValue<string>();
        Assert.Contains("could not be fetched (400)", message, StringComparison.Ordinal); // the fake Graph API answers 400 for what it does not serve
        Assert.Empty(await CalendarEntriesAsync(ws, key));
    }

    [Fact]
    public async Task A_file_that_changed_to_one_instagram_refuses_after_the_post_was_accepted_fails_that_target_without_calling_instagram()
    {
        var api = host.Api;
        var (ws, key) = await api.CreateWorkspaceAsync();
        var run = Guid.NewGuid().ToString("N")[..10];
        var text = $"Morning loaves, batch {run}";
        var path = $"/media/{run}.jpg";
        var url = host.Instagram.Server.ServeFile(path, TestMedia.Jpeg(1080, 1350), "image/jpeg").AbsoluteUri;
        var x = await ImportAsync(ws, key, PlatformIds.X, FakeXApi.Username, FakeXApi.UserId, "access-token-1");
        var instagram = await ImportAsync(ws, key, PlatformIds.Instagram, FakeInstagramApi.Username, FakeInstagramApi.IgUserId, host.Instagram.Token);

        var created = await api.CreatePostAsync(ws, key, new
        {
            content = new { text, media = new[] { new { url, type = "image" } } },
            targets = new[] { new { accountId = x }, new { accountId = instagram } },
            schedule = new { at = DateTimeOffset.UtcNow.AddSeconds(4).ToString("O") },
        });
        // Accepted with a 4:5 JPEG; then the host serves a 9:16 one at the same URL (X takes it, Instagram does not in its feed).
        host.Instagram.Server.ServeFile(path, TestMedia.Jpeg(720, 1280), "image/jpeg");
        var post = await api.WaitForPostAsync(ws, key, created["id"]!.GetValue<string>());

        var failed = ConnectorsApi.Target(post, instagram);
        Assert.Equal("failed", failed["status"]!.GetValue<string>());
        Assert.Equal("invalid_content", failed["error"]!["category"]!.GetValue<string>());
        var message = failed["error"]!["message"]!.GetValue<string>();
        Assert.Contains("checked before the platform call and nothing was sent", message, StringComparison.Ordinal);
        Assert.Contains("media[0] (media_aspect_ratio)", message, StringComparison.Ordinal);
        Assert.Contains("720×1280", message, StringComparison.Ordinal);
        Assert.DoesNotContain(host.Instagram.Server.Requests, r => r.Method == "POST" && r.Body.Contains(run, StringComparison.Ordinal));
        Assert.DoesNotContain(host.Instagram.Server.Requests, r => r.Method == "POST" && r.Body.Contains(Uri.EscapeDataString(url), StringComparison.Ordinal));

        Assert.Equal("published", ConnectorsApi.Target(post, x)["status"]!.GetValue<string>());
        Assert.Single(host.X.Tweets.ToList(), t => t.Text == text);
    }

    /// <summary>Publishes one Facebook target now with the placement and file given, and answers the target once settled.</summary>
    private async Task<JsonObject> PublishFacebookAsync(string ws, string key, string facebook, string text, string url, string type, string placement)
    {
        var created = await host.Api.CreatePostAsync(ws, key, new
        {
            content = new { text, media = new[] { new { url, type } } },
            targets = new[] { new { accountId = facebook, options = new { facebook = new { type = placement } } } },
            schedule = new { mode = "now" },
        });
        var post = await host.Api.WaitForPostAsync(ws, key, created["id"]!.GetValue<string>());
        return ConnectorsApi.Target(post, facebook);
    }

    private async Task<string> ImportAsync(string ws, string key, string platform, string handle, string externalId, string token) =>
        (await host.Api.ImportAccountAsync(ws, key, platform, handle, externalId, token))["id"]!.GetValue<string>();

    private async Task<JsonArray> CalendarEntriesAsync(string ws, string key)
    {
        var from = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(-1).ToString("O"));
        var to = Uri.EscapeDataString(DateTimeOffset.UtcNow.AddDays(30).ToString("O"));
        var calendar = await ApiHost.JsonAsync(await host.Api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/calendar?from={from}&to={to}", key), HttpStatusCode.OK);
        return calendar["entries"]!.AsArray();
    }
}
