using PostNext.Abstractions.Platforms;

namespace PostNext.Api.Tests.Connectors;

/// <summary>
/// Per-target platform options over HTTP: checked before anything is stored (400 naming the field, 422 naming the
/// rule, TikTok's choices against its creator_info), shown back on GET, changed by PATCH, and sent to the platform.
/// </summary>
[Collection(ConnectorsCollection.Name)]
public sealed class PostOptionsTests(ConnectorsHost host)
{
    [Fact]
    public async Task A_tiktok_post_goes_out_with_the_creators_choices_and_shows_them_back()
    {
        var (ws, key, tikTok) = await TikTokAccountAsync();
        var run = Guid.NewGuid().ToString("N")[..10];
        var video = host.TikTok.AddMedia($"clip-{run}.mp4", new byte[4096], "video/mp4");

        var created = await host.Api.CreatePostAsync(ws, key, new
        {
            content = new { text = $"Clip {run}", media = new[] { new { url = video, type = "video" } } },
            targets = new[] { new { accountId = tikTok, options = new { tiktok = new { privacyLevel = "MUTUAL_FOLLOW_FRIENDS", allowComments = true, allowDuets = true, yourBrand = true } } } },
            schedule = new { mode = "now" },
        });
        var post = await host.Api.WaitForPostAsync(ws, key, created["id"]!.GetValue<string>());

        var target = ConnectorsApi.Target(post, tikTok);
        Assert.True(target["status"]!.GetValue<string>() == "published", post.ToJsonString());
        AssertJson(
            """{"privacyLevel":"MUTUAL_FOLLOW_FRIENDS","allowComments":true,"allowDuets":true,"allowStitches":false,"yourBrand":true,"brandedContent":false}""",
            target["options"]!["tiktok"]!.ToJsonString());
        var init = JsonNode.Parse(Assert.Single(host.TikTok.Calls("POST", "/v2/post/publish/video/init/"), r => r.Body.Contains(run, StringComparison.Ordinal)).Body)!;
        AssertJson(
            $$"""
            {"title":"Clip {{run}}","privacy_level":"MUTUAL_FOLLOW_FRIENDS","disable_duet":false,"disable_comment":false,"disable_stitch":true,
             "brand_content_toggle":false,"brand_organic_toggle":true}
            """,
            init["post_info"]!.ToJsonString());
    }

    [Fact]
    public async Task A_tiktok_target_without_a_privacy_level_is_refused_and_nothing_is_stored()
    {
        var (ws, key, tikTok) = await TikTokAccountAsync();
        var body = new { content = new { text = "Clip", media = new[] { new { url = Clip(), type = "video" } } }, targets = new[] { new { accountId = tikTok } }, schedule = new { mode = "now" } };

        var refused = await CreateAsync(ws, key, body, "no-privacy");

        var violation = Assert.Single(await ViolationsAsync(refused))!;
        Assert.Equal(("option_required", "options.tiktok.privacyLevel", tikTok), (violation["code"]!.GetValue<string>(), violation["field"]!.GetValue<string>(), violation["accountId"]!.GetValue<string>()));
        await host.Api.AssertNothingStoredAsync(ws, key);
    }

    [Fact]
    public async Task A_privacy_level_creator_info_does_not_offer_is_refused_with_422_before_anything_is_stored()
    {
        var (ws, key, tikTok) = await TikTokAccountAsync();
        var before = host.TikTok.Calls("POST", "/v2/post/publish/creator_info/query/").Count;
        host.TikTok.PrivacyOptions = ["SELF_ONLY"]; // an app TikTok has not audited
        try
        {
            var refused = await CreateAsync(ws, key, TikTokPost(tikTok, new { privacyLevel = "PUBLIC_TO_EVERYONE" }), "public");

            var violation = Assert.Single(await ViolationsAsync(refused))!;
            Assert.Equal(("option_not_offered", "options.tiktok.privacyLevel"), (violation["code"]!.GetValue<string>(), violation["field"]!.GetValue<string>()));
            Assert.Contains("may post SELF_ONLY only", violation["message"]!.GetValue<string>(), StringComparison.Ordinal);
            Assert.Equal(before + 1, host.TikTok.Calls("POST", "/v2/post/publish/creator_info/query/").Count);
            await host.Api.AssertNothingStoredAsync(ws, key);

            // The same request key with a level on offer is accepted: the refused request stored nothing under it.
            var accepted = await CreateAsync(ws, key, TikTokPost(tikTok, new { privacyLevel = "SELF_ONLY" }), "public");
            Assert.Equal(HttpStatusCode.Created, accepted.StatusCode);
        }
        finally
        {
            host.TikTok.PrivacyOptions = ["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY"];
        }
    }

    [Fact]
    public async Task Options_of_another_platform_or_out_of_their_sets_answer_400_naming_each_field()
    {
        var (ws, key, tikTok) = await TikTokAccountAsync();
        var youTube = (await host.Api.ImportAccountAsync(ws, key, PlatformIds.YouTube, "channel", host.YouTube.ChannelId, host.YouTube.AccessToken))["id"]!.GetValue<string>();

        var refused = await CreateAsync(ws, key, new
        {
            content = new { text = "Clip", media = new[] { new { url = Clip(), type = "video" } } },
            targets = new object[]
            {
                new { accountId = tikTok, options = new { tiktok = new { privacyLevel = "EVERYONE" }, youtube = new { privacy = "public" } } },
                new
                {
                    accountId = youTube,
                    options = new
                    {
                        youtube = new
                        {
                            title = new string('t', 101), privacy = "hidden", categoryId = "people", thumbnailUrl = "ftp://cdn.example.com/t.jpg",
                            tags = Enumerable.Range(0, 31).Select(i => $"tag{i}").ToArray(),
                        },
                    },
                },
            },
            schedule = new { mode = "now" },
        }, "bad-shapes");

        var errors = (await ApiHost.JsonAsync(refused, HttpStatusCode.BadRequest))["errors"]!.AsObject();
        Assert.Equal(
            new[]
            {
                "targets[0].options.tiktok.privacyLevel", "targets[0].options.youtube", "targets[1].options.youtube.categoryId", "targets[1].options.youtube.privacy",
                "targets[1].options.youtube.tags", "targets[1].options.youtube.thumbnailUrl", "targets[1].options.youtube.title",
            },
            errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        await host.Api.AssertNothingStoredAsync(ws, key);
    }

    [Fact]
    public async Task Meta_and_linkedin_options_outside_their_sets_and_caps_answer_400_naming_each_field()
    {
        var (ws, key) = await host.Api.CreateWorkspaceAsync();
        string Id(JsonObject account) => account["id"]!.GetValue<string>();
        var facebook = Id(await host.Api.ImportAccountAsync(ws, key, PlatformIds.Facebook, "page", "1001", "page-token"));
        var instagram = Id(await host.Api.ImportAccountAsync(ws, key, PlatformIds.Instagram, "insta", "1002", "ig-token"));
        var linkedIn = Id(await host.Api.ImportAccountAsync(ws, key, PlatformIds.LinkedIn, "member", "urn:li:person:1", "li-token"));

        var refused = await CreateAsync(ws, key, new
        {
            content = new { text = "Bread", media = new[] { new { url = "https://cdn.example.com/bread.jpg", type = "image" } } },
            targets = new object[]
            {
                new { accountId = facebook, options = new { facebook = new { type = "carousel" } } },
                new { accountId = instagram, options = new { instagram = new { type = "igtv", collaborators = new[] { "a", "b", "c", "d" }, altText = new string('a', 1001) } } },
                new { accountId = linkedIn, options = new { linkedin = new { visibility = "FRIENDS" } } },
            },
            schedule = new { mode = "now" },
        }, "bad-meta");

        var errors = (await ApiHost.JsonAsync(refused, HttpStatusCode.BadRequest))["errors"]!.AsObject();
        Assert.Equal(
            new[]
            {
                "targets[0].options.facebook.type", "targets[1].options.instagram.altText", "targets[1].options.instagram.collaborators",
                "targets[1].options.instagram.type", "targets[2].options.linkedin.visibility",
            },
            errors.Select(e => e.Key).Order(StringComparer.Ordinal));
        await host.Api.AssertNothingStoredAsync(ws, key);
    }

    [Fact]
    public async Task A_linkedin_page_post_for_connections_only_is_refused_with_422()
    {
        var (ws, key) = await host.Api.CreateWorkspaceAsync();
        var page = (await host.Api.ImportAccountAsync(ws, key, PlatformIds.LinkedIn, "postnext", "urn:li:organization:5515715", "li-token"))["id"]!.GetValue<string>();

        var refused = await CreateAsync(ws, key, new
        {
            content = new { text = "For our followers" },
            targets = new[] { new { accountId = page, options = new { linkedin = new { visibility = "connections" } } } },
            schedule = new { mode = "now" },
        }, "page-connections");

        var violation = Assert.Single(await ViolationsAsync(refused))!;
        Assert.Equal(("option_conflict", "options.linkedin.visibility"), (violation["code"]!.GetValue<string>(), violation["field"]!.GetValue<string>()));
        await host.Api.AssertNothingStoredAsync(ws, key);
    }

    [Fact]
    public async Task Patch_replaces_a_targets_options_and_an_update_without_targets_keeps_them()
    {
        var (ws, key, tikTok) = await TikTokAccountAsync();
        var created = await host.Api.CreatePostAsync(ws, key, new
        {
            content = new { text = "Later", media = new[] { new { url = Clip(), type = "video" } } },
            targets = new[] { new { accountId = tikTok, options = new { tiktok = new { privacyLevel = "SELF_ONLY" } } } },
            schedule = new { at = DateTimeOffset.UtcNow.AddDays(2).ToString("O") },
        });
        var path = $"/v1/workspaces/{ws}/posts/{created["id"]!.GetValue<string>()}";

        var changed = await ApiHost.JsonAsync(await host.Api.SendAsync(HttpMethod.Patch, path, key, new
        {
            targets = new[] { new { accountId = tikTok, options = new { tiktok = new { privacyLevel = "MUTUAL_FOLLOW_FRIENDS", allowComments = true } } } },
        }), HttpStatusCode.OK);
        var kept = await ApiHost.JsonAsync(await host.Api.SendAsync(HttpMethod.Patch, path, key, new { content = new { text = "Later, edited" } }), HttpStatusCode.OK);

        Assert.Equal("MUTUAL_FOLLOW_FRIENDS", ConnectorsApi.Target(changed, tikTok)["options"]!["tiktok"]!["privacyLevel"]!.GetValue<string>());
        var options = ConnectorsApi.Target(kept, tikTok)["options"]!["tiktok"]!;
        Assert.Equal(("MUTUAL_FOLLOW_FRIENDS", true), (options["privacyLevel"]!.GetValue<string>(), options["allowComments"]!.GetValue<bool>()));
        var refused = await host.Api.SendAsync(HttpMethod.Patch, path, key, new { targets = new[] { new { accountId = tikTok } } });
        Assert.Equal("option_required", (await ViolationsAsync(refused)).Single()!["code"]!.GetValue<string>());
    }

    private async Task<(string Ws, string Key, string TikTok)> TikTokAccountAsync()
    {
        var (ws, key) = await host.Api.CreateWorkspaceAsync();
        var account = await host.Api.ImportAccountAsync(ws, key, PlatformIds.TikTok, host.TikTok.Username, host.TikTok.OpenId, host.TikTok.AccessToken);
        return (ws, key, account["id"]!.GetValue<string>());
    }

    /// <summary>A vertical 10-second MP4 on TikTok's verified host: media pass TikTok's file rules, so only the options decide.</summary>
    private string Clip() => host.TikTok.AddMedia($"clip-{Guid.NewGuid():N}.mp4", TestMedia.Mp4(1080, 1920, 10), "video/mp4");

    private object TikTokPost(string accountId, object tiktok) => new
    {
        content = new { text = "Clip", media = new[] { new { url = Clip(), type = "video" } } },
        targets = new[] { new { accountId, options = new { tiktok } } },
        schedule = new { at = DateTimeOffset.UtcNow.AddDays(1).ToString("O") },
    };

    private async Task<HttpResponseMessage> CreateAsync(string ws, string key, object body, string idempotencyKey)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v1/workspaces/{ws}/posts") { Content = JsonContent.Create(body) };
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        request.Headers.Add("Idempotency-Key", idempotencyKey);
        return await host.Api.Http.SendAsync(request);
    }

    private static async Task<JsonArray> ViolationsAsync(HttpResponseMessage response)
    {
        var problem = await ApiHost.JsonAsync(response, HttpStatusCode.UnprocessableEntity);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        return problem["violations"]!.AsArray();
    }

    private static void AssertJson(string expected, string actual) =>
        Assert.True(JsonNode.DeepEquals(JsonNode.Parse(expected), JsonNode.Parse(actual)), $"expected {expected}\nactual   {actual}");
}
