using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using PostNext.Abstractions;
using PostNext.Abstractions.Accounts;
using PostNext.Platforms.Common;
using PostNext.Platforms.Tests.Common;
using PostNext.Platforms.TikTok;
using PostNext.Testing;

using static PostNext.Platforms.Tests.Common.ContractHelpers;

namespace PostNext.Platforms.Tests.TikTok;

/// <summary>The TikTok connector against <see cref="FakeTikTokApi"/>: exact requests, the token lifecycle, the error taxonomy, reconciliation.</summary>
public sealed class TikTokConnectorTests
{
    private const int MiB = 1024 * 1024;
    private static readonly Uri Callback = new("https://postnext.example/oauth/tiktok/callback");

    // ---- OAuth ----

    [Fact]
    public async Task Connecting_uses_client_key_and_comma_scopes_without_pkce_then_reads_the_profile()
    {
        await using var fake = await FakeTikTokApi.StartAsync();
        var time = ConnectorHarness.FakeTime();
        var connector = fake.Connector(time);

        var url = connector.BuildAuthorizeUrl(new AuthorizeRequest("state-1", Callback, Pkce.ChallengeS256(Pkce.NewVerifier())));
        var query = QueryHelpers.ParseQuery(url.Query);
        Assert.Equal(fake.Server.Url("v2/auth/authorize/").AbsoluteUri, url.GetLeftPart(UriPartial.Path));
        Assert.Equal(ConnectorHarness.ClientId, query["client_key"]);
        Assert.False(query.ContainsKey("client_id"));
        Assert.Equal("user.info.basic,user.info.profile,user.info.stats,video.list,video.publish", query["scope"]);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal(Callback.AbsoluteUri, query["redirect_uri"]);
        Assert.Equal("state-1", query["state"]);
        Assert.False(query.ContainsKey("code_challenge"), "TikTok's web flow takes no PKCE challenge");

        var code = await ConsentAsync(url);
        var account = await connector.CompleteConnectAsync(new CodeExchange(code, Callback, null), default);

        Assert.Equal(fake.OpenId, account.ExternalId);
        Assert.Equal(fake.Username, account.Handle);
        Assert.Equal(fake.DisplayName, account.DisplayName);
        Assert.Equal(fake.AccessToken, account.Tokens.AccessToken.Reveal());
        Assert.Equal(fake.RefreshToken, account.Tokens.RefreshToken!.Reveal());
        Assert.Equal(time.GetUtcNow().AddSeconds(7200), account.Tokens.ExpiresAt);
        Assert.Contains("video.publish", account.Tokens.Scopes!);

        var token = Assert.Single(fake.Calls("POST", "/v2/oauth/token/"));
        Assert.StartsWith("application/x-www-form-urlencoded", token.Header("Content-Type"));
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["client_key"] = ConnectorHarness.ClientId, ["client_secret"] = ConnectorHarness.ClientSecret, ["code"] = code,
                ["grant_type"] = "authorization_code", ["redirect_uri"] = Callback.AbsoluteUri,
            },
            Form(token.Body));
        var user = Assert.Single(fake.Calls("GET", "/v2/user/info/"));
        Assert.Equal("?fields=open_id,union_id,avatar_url,display_name,username", user.Query);
        Assert.Equal($"Bearer {fake.AccessToken}", user.Header("Authorization"));
    }

    [Fact]
    public async Task Refresh_takes_the_rotated_refresh_token_and_the_old_one_then_fails_for_good()
    {
        await using var fake = await FakeTikTokApi.StartAsync();
        var connector = fake.Connector();
        var current = new TokenSet(new Secret(fake.AccessToken), new Secret(fake.RefreshToken!), null);

        var refreshed = await connector.RefreshTokenAsync(current, default);

        Assert.Null(refreshed.Error);
        Assert.Equal(fake.AccessToken, refreshed.Tokens!.AccessToken.Reveal());
        Assert.Equal(fake.RefreshToken, refreshed.Tokens.RefreshToken!.Reveal());
        Assert.NotEqual("rft.initial", refreshed.Tokens.RefreshToken.Reveal());
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["client_key"] = ConnectorHarness.ClientId, ["client_secret"] = ConnectorHarness.ClientSecret,
                ["grant_type"] = "refresh_token", ["refresh_token"] = "rft.initial",
            },
            Form(Assert.Single(fake.Calls("POST", "/v2/oauth/token/")).Body));

        var again = await connector.RefreshTokenAsync(current, default);

        Assert.Null(again.Tokens);
        Assert.Equal(ErrorCategory.Auth, again.Error!.Category);
        Assert.Equal("invalid_grant", again.Error.PlatformCode);
    }

    [Fact]
    public async Task A_token_error_answered_with_http_200_is_still_an_auth_failure()
    {
        await using var fake = await FakeTikTokApi.StartAsync();
        var connector = fake.Connector();
        fake.Server.Fail("POST", "/v2/oauth/token/", 200, """{"error":"invalid_grant","error_description":"Refresh token is expired.","log_id":"x"}""");

        var refreshed = await connector.RefreshTokenAsync(new TokenSet(new Secret("a"), new Secret(fake.RefreshToken!), null), default);

        Assert.Equal(ErrorCategory.Auth, refreshed.Error!.Category);
        Assert.Contains("Refresh token is expired.", refreshed.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoking_posts_client_key_secret_and_token_and_the_revoked_token_then_fails_as_auth()
    {
        await using var fake = await FakeTikTokApi.StartAsync();
        var connector = fake.Connector();
        var identity = fake.Identity();

        await connector.RevokeAsync(new TokenSet(new Secret(fake.AccessToken), new Secret(fake.RefreshToken!), null), default);

        Assert.True(fake.Revoked);
        Assert.Equal(
            new Dictionary<string, string> { ["client_key"] = ConnectorHarness.ClientId, ["client_secret"] = ConnectorHarness.ClientSecret, ["token"] = "act.initial" },
            Form(Assert.Single(fake.Calls("POST", "/v2/oauth/revoke/")).Body));

        var outcome = await connector.PublishAsync(Request(fake, Video(fake, 1024)), default);

        Assert.Equal(ErrorCategory.Auth, outcome.ErrorCategory);
        Assert.Contains("access_token_invalid", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(fake.Publishes);
    }

    // ---- publishing ----

    [Fact]
    public async Task A_video_is_initialised_uploaded_in_ordered_chunks_and_polled_until_published()
    {
        await using var fake = await FakeTikTokApi.StartAsync();
        var connector = fake.Connector(settings: new() { ["ChunkSizeBytes"] = (5 * MiB).ToString(System.Globalization.CultureInfo.InvariantCulture) });
        var bytes = RandomBytes(12 * MiB);
        var journal = new RecordingJournal(fake.Server);

        var outcome = await connector.PublishAsync(Request(fake, new PostContent("Caption #fyp", [new MediaItem(fake.AddMedia("clip.mp4", bytes, "video/mp4"), MediaType.Video)]), journal), default);

        Assert.True(outcome.Succeeded, outcome.Message);
        var publish = Assert.Single(fake.Publishes.Values);
        Assert.Equal(publish.Id, outcome.ExternalId); // SELF_ONLY: TikTok gives no public id
        Assert.Equal("https://www.tiktok.com/@creator.one", outcome.Permalink);

        var creator = Assert.Single(fake.Calls("POST", "/v2/post/publish/creator_info/query/"));
        Assert.Equal("Bearer act.initial", creator.Header("Authorization"));
        Assert.Equal("application/json; charset=UTF-8", creator.Header("Content-Type"));

        var init = Assert.Single(fake.Calls("POST", "/v2/post/publish/video/init/"));
        Assert.Equal("Bearer act.initial", init.Header("Authorization"));
        Assert.Equal("application/json; charset=UTF-8", init.Header("Content-Type"));
        AssertJson(
            """
            {"post_info":{"title":"Caption #fyp","privacy_level":"SELF_ONLY","disable_duet":true,"disable_comment":true,"disable_stitch":true,
                          "brand_content_toggle":false,"brand_organic_toggle":false},
             "source_info":{"source":"FILE_UPLOAD","video_size":12582912,"chunk_size":5242880,"total_chunk_count":2}}
            """,
            init.Body);

        var chunks = fake.Calls("PUT", "/upload/");
        Assert.Equal(2, chunks.Count);
        Assert.Equal(new[] { "bytes 0-5242879/12582912", "bytes 5242880-12582911/12582912" }, chunks.Select(c => c.Header("Content-Range")));
        Assert.Equal(new[] { "5242880", "7340032" }, chunks.Select(c => c.Header("Content-Length")));
        Assert.All(chunks, c => Assert.Equal("video/mp4", c.Header("Content-Type")));
        Assert.All(chunks, c => Assert.Null(c.Header("Authorization")));
        Assert.All(chunks, c => Assert.Contains($"upload_token={publish.UploadToken}", c.Query, StringComparison.Ordinal));
        Assert.True(bytes.AsSpan().SequenceEqual([.. chunks[0].BodyBytes, .. chunks[1].BodyBytes]));

        var statuses = fake.Calls("POST", "/v2/post/publish/status/fetch/");
        Assert.Equal(2, statuses.Count); // processing, then complete
        Assert.All(statuses, s => AssertJson($$"""{"publish_id":"{{publish.Id}}"}""", s.Body));

        // The init marker is saved before init is sent; the publish_id as soon as init answers, before any byte.
        Assert.Equal(Index(fake, "/v2/post/publish/video/init/"), journal.RequestsBefore(TikTokConnector.InitCheckpoint));
        Assert.Equal("video:12582912", journal.Saved[TikTokConnector.InitCheckpoint]);
        Assert.Equal(Index(fake, "/upload/"), journal.RequestsBefore(TikTokConnector.PublishIdCheckpoint));
        Assert.Equal(publish.Id, journal.Saved[TikTokConnector.PublishIdCheckpoint]);
    }

    [Fact]
    public async Task A_video_small_enough_goes_in_one_chunk_and_creator_restrictions_are_honoured()
    {
        await using var fake = await FakeTikTokApi.StartAsync();
        fake.CommentDisabled = true;
        var connector = fake.Connector();

        var outcome = await connector.PublishAsync(Request(fake, Video(fake, 300_000)), default);

        Assert.True(outcome.Succeeded, outcome.Message);
        var body = JsonNode.Parse(Assert.Single(fake.Calls("POST", "/v2/post/publish/video/init/")).Body)!;
        Assert.True(body["post_info"]!["disable_comment"]!.GetValue<bool>());
        AssertJson("""{"source":"FILE_UPLOAD","video_size":300000,"chunk_size":300000,"total_chunk_count":1}""", body["source_info"]!.ToJsonString());
        Assert.Equal("bytes 0-299999/300000", Assert.Single(fake.Calls("PUT", "/upload/")).Header("Content-Range"));
    }

    [Fact]
    public async Task A_post_others_may_see_waits_for_moderation_and_links_to_the_public_video()
    {
        await using var fake = await FakeTikTokApi.StartAsync();
        fake.PrivacyOptions = ["PUBLIC_TO_EVERYONE", "FOLLOWER_OF_CREATOR"];
        var connector = fake.Connector();

        var outcome = await connector.PublishAsync(Request(fake, Video(fake, 2048), privacy: "FOLLOWER_OF_CREATOR"), default);

        Assert.True(outcome.Succeeded, outcome.Message);
        var publish = Assert.Single(fake.Publishes.Values);
        Assert.Equal("FOLLOWER_OF_CREATOR", publish.Privacy); // the creator's choice, as sent
        Assert.Equal(publish.PostId, outcome.ExternalId);
        Assert.Equal($"https://www.tiktok.com/@creator.one/video/{publish.PostId}", outcome.Permalink);
        Assert.Equal(3, fake.Calls("POST", "/v2/post/publish/status/fetch/").Count); // processing, complete, complete + id
    }

    [Fact]
    public async Task Photos_are_pulled_from_their_urls_with_the_text_as_description()
    {
        await using var fake = await FakeTikTokApi.StartAsync();
        var connector = fake.Connector();
        var first = fake.AddMedia("one.jpg", RandomBytes(100), "image/jpeg");
        var second = fake.AddMedia("two.jpg", RandomBytes(100), "image/jpeg");
        var content = new PostContent("Two photos from the trip", [new MediaItem(first, MediaType.Image), new MediaItem(second, MediaType.Image)], "Trip");
        var journal = new RecordingJournal(fake.Server);

        var outcome = await connector.PublishAsync(Request(fake, content, new TikTokPostOptions("SELF_ONLY", AllowComments: true, YourBrand: true), journal), default);

        Assert.True(outcome.Succeeded, outcome.Message);
        var init = Assert.Single(fake.Calls("POST", "/v2/post/publish/content/init/"));
        Assert.Equal("Bearer act.initial", init.Header("Authorization"));
        AssertJson(
            $$$"""
            {"media_type":"PHOTO","post_mode":"DIRECT_POST",
             "post_info":{"title":"Trip","description":"Two photos from the trip","privacy_level":"SELF_ONLY","disable_comment":false,"auto_add_music":true,
                          "brand_content_toggle":false,"brand_organic_toggle":true},
             "source_info":{"source":"PULL_FROM_URL","photo_cover_index":0,"photo_images":["{{{first}}}","{{{second}}}"]}}
            """,
            init.Body);
        Assert.Empty(fake.Calls("GET", "/media/one.jpg")); // TikTok pulls photos itself
        Assert.Equal("photo", journal.Saved[TikTokConnector.InitCheckpoint]);
        Assert.Equal(outcome.ExternalId, journal.Saved[TikTokConnector.PublishIdCheckpoint]);
    }

    [Theory]
    [InlineData("text only")]
    [InlineData("mixed")]
    [InlineData("two videos")]
    public async Task Content_tiktok_cannot_take_is_refused_before_any_call(string shape)
    {
        await using var fake = await FakeTikTokApi.StartAsync();
        var connector = fake.Connector();
        var video = new MediaItem(fake.AddMedia("v.mp4", RandomBytes(10), "video/mp4"), MediaType.Video);
        var image = new MediaItem(fake.AddMedia("i.jpg", RandomBytes(10), "image/jpeg"), MediaType.Image);
        IReadOnlyList<MediaItem> media = shape switch { "text only" => [], "mixed" => [video, image], _ => [video, video] };

        var outcome = await connector.PublishAsync(Request(fake, new PostContent("hello", media)), default);

        Assert.Equal(ErrorCategory.InvalidContent, outcome.ErrorCategory);
        Assert.Empty(fake.Server.Requests);
    }

    [Theory]
    [InlineData("PUBLIC_TO_EVERYONE", new[] { "PUBLIC_TO_EVERYONE", "SELF_ONLY" })]
    [InlineData("SELF_ONLY", new[] { "PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY" })]
    public void The_privacy_level_is_the_one_the_creator_chose_from_those_on_offer(string requested, string[] options) =>
        Assert.Equal(requested, TikTokChoices.Check(new TikTokPostOptions(requested), Offered(options)).PrivacyLevel);

    [Theory]
    [InlineData(null, new[] { "PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY" })]
    [InlineData(null, new[] { "SELF_ONLY" })]
    [InlineData("PUBLIC_TO_EVERYONE", new[] { "FOLLOWER_OF_CREATOR", "MUTUAL_FOLLOW_FRIENDS" })]
    public void No_privacy_level_is_ever_chosen_for_the_creator(string? requested, string[] options)
    {
        var refused = Assert.Throws<PlatformException>(() => TikTokChoices.Check(requested is null ? null : new TikTokPostOptions(requested), Offered(options)));

        Assert.Equal(ErrorCategory.InvalidContent, refused.Error.Category);
        Assert.All(options, o => Assert.Contains(o, refused.Error.Message, StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_post_without_the_creators_privacy_choice_fails_for_good_before_anything_is_created()
    {
        await using var fake = await FakeTikTokApi.StartAsync();
        var connector = fake.Connector();

        var outcome = await connector.PublishAsync(Request(fake, Video(fake, 2048), privacy: null), default);

        Assert.Equal(ErrorCategory.InvalidContent, outcome.ErrorCategory);
        Assert.Contains("does not choose one for the creator", outcome.Message, StringComparison.Ordinal);
        Assert.Single(fake.Calls("POST", "/v2/post/publish/creator_info/query/"));
        Assert.Empty(fake.Calls("POST", "/v2/post/publish/video/init/"));
        Assert.Empty(fake.Publishes);
    }

    [Fact]
    public async Task A_video_goes_out_with_every_choice_the_creator_made()
    {
        await using var fake = await FakeTikTokApi.StartAsync();
        fake.StitchDisabled = false;
        var connector = fake.Connector();
        var choices = new TikTokPostOptions("MUTUAL_FOLLOW_FRIENDS", AllowComments: true, AllowDuets: false, AllowStitches: true, YourBrand: true, BrandedContent: true);

        var outcome = await connector.PublishAsync(Request(fake, Video(fake, 2048), choices), default);

        Assert.True(outcome.Succeeded, outcome.Message);
        var init = JsonNode.Parse(Assert.Single(fake.Calls("POST", "/v2/post/publish/video/init/")).Body)!;
        AssertJson(
            """
            {"title":"A clip","privacy_level":"MUTUAL_FOLLOW_FRIENDS","disable_duet":true,"disable_comment":false,"disable_stitch":false,
             "brand_content_toggle":true,"brand_organic_toggle":true}
            """,
            init["post_info"]!.ToJsonString());
    }

    [Theory]
    [InlineData("stitch")]
    [InlineData("comment")]
    [InlineData("branded private")]
    [InlineData("not on offer")]
    public async Task A_choice_tiktok_does_not_offer_now_fails_for_good_before_anything_is_created(string choice)
    {
        await using var fake = await FakeTikTokApi.StartAsync();
        fake.CommentDisabled = true; // the creator turned comments off; stitches are off too (the fake's default)
        fake.PrivacyOptions = ["SELF_ONLY"]; // an app TikTok has not audited
        var connector = fake.Connector();
        var options = choice switch
        {
            "stitch" => new TikTokPostOptions("SELF_ONLY", AllowStitches: true),
            "comment" => new TikTokPostOptions("SELF_ONLY", AllowComments: true),
            "branded private" => new TikTokPostOptions("SELF_ONLY", BrandedContent: true),
            _ => new TikTokPostOptions("PUBLIC_TO_EVERYONE"),
        };

        var outcome = await connector.PublishAsync(Request(fake, Video(fake, 2048), options), default);

        Assert.Equal(ErrorCategory.InvalidContent, outcome.ErrorCategory);
        Assert.Contains("SELF_ONLY", outcome.Message, StringComparison.Ordinal);
        Assert.Single(fake.Calls("POST", "/v2/post/publish/creator_info/query/"));
        Assert.Empty(fake.Calls("POST", "/v2/post/publish/video/init/"));
        Assert.Empty(fake.Publishes);
    }

    [Fact]
    public async Task The_publishing_choices_are_what_creator_info_offers_now()
    {
        await using var fake = await FakeTikTokApi.StartAsync();
        fake.PrivacyOptions = ["FOLLOWER_OF_CREATOR", "SELF_ONLY"];
        fake.CommentDisabled = true;

        var choices = await fake.Connector().ReadPublishingChoicesAsync(fake.Identity(), default);

        Assert.Equal(["FOLLOWER_OF_CREATOR", "SELF_ONLY"], choices!.PrivacyLevels);
        Assert.Equal((true, false, true, 600), (choices.CommentDisabled, choices.DuetDisabled, choices.StitchDisabled, choices.MaxVideoDurationSeconds));
        Assert.Equal("Bearer act.initial", Assert.Single(fake.Calls("POST", "/v2/post/publish/creator_info/query/")).Header("Authorization"));
    }

    [Theory]
    [InlineData(3L * MiB, 10L * MiB, 3L * MiB, 1)]
    [InlineData(12L * MiB, 5L * MiB, 5L * MiB, 2)]
    [InlineData(12L * MiB, 1L * MiB, 5L * MiB, 2)] // below TikTok's 5 MB minimum: raised
    [InlineData(200L * MiB, 100L * MiB, 64L * MiB, 3)] // above the 64 MB maximum: lowered; the last chunk takes 72 MB
    [InlineData(4096L * MiB, 5L * MiB, 5L * MiB, 819)]
    public void Chunks_follow_the_media_transfer_rules(long size, long preferred, long chunk, int count)
    {
        var plan = TikTokChunkPlan.For(size, preferred);

        Assert.Equal((chunk, count), (plan.ChunkSize, plan.ChunkCount));
        Assert.Equal(size, Enumerable.Range(0, plan.ChunkCount).Sum(i => plan.Chunk(i).Length));
        Assert.InRange(plan.Chunk(plan.ChunkCount - 1).Length, 1, 128L * MiB);
    }

    [Fact]
    public async Task Identical_content_posts_again_because_tiktok_documents_no_duplicate_signal()
    {
        await using var fake = await FakeTikTokApi.StartAsync();
        var connector = fake.Connector();
        var content = Video(fake, 1000);

        var first = await connector.PublishAsync(Request(fake, content), default);
        var second = await connector.PublishAsync(Request(fake, content), default);

        Assert.True(first.Succeeded && second.Succeeded);
        Assert.NotEqual(first.ExternalId, second.ExternalId);
    }

    // ---- metrics ----

    [Fact]
    public async Task Post_metrics_come_from_the_display_api_video_query()
    {
        await using var fake = await FakeTikTokApi.StartAsync();
        var connector = fake.Connector();
        fake.Videos["7234567890123456789"] = new JsonObject { ["id"] = "7234567890123456789", ["like_count"] = 11, ["comment_count"] = 4, ["share_count"] = 2, ["view_count"] = 900 };

        var metrics = await connector.ReadPostMetricsAsync(new PostMetricsRequest(fake.Identity(), "7234567890123456789", DateTimeOffset.UtcNow, PostContent.Empty), default);

        Assert.Null(metrics.Error);
        Assert.Equal((11L, 4L, 2L, (long?)900, (long?)null, (long?)null), (metrics.Value!.Likes, metrics.Value.Comments, metrics.Value.Shares, metrics.Value.Views, metrics.Value.Impressions, metrics.Value.Saves));
        var query = Assert.Single(fake.Calls("POST", "/v2/video/query/"));
        Assert.Equal("?fields=id,like_count,comment_count,share_count,view_count", query.Query);
        Assert.Equal("Bearer act.initial", query.Header("Authorization"));
        AssertJson("""{"filters":{"video_ids":["7234567890123456789"]}}""", query.Body);
    }

    [Fact]
    public async Task A_post_known_by_its_publish_id_is_mapped_to_its_public_video_id_first()
    {
        await using var fake = await FakeTikTokApi.StartAsync();
        fake.PrivacyOptions = ["PUBLIC_TO_EVERYONE"];
        fake.ProcessingPolls = 0;
        var connector = fake.Connector(settings: new() { ["ProcessingTimeout"] = "00:00:00" });
        var published = await connector.PublishAsync(Request(fake, Video(fake, 1000), privacy: "PUBLIC_TO_EVERYONE"), default); // moderation pending: publish_id
        Assert.StartsWith("v_pub_file~", published.ExternalId, StringComparison.Ordinal);

        var metrics = await connector.ReadPostMetricsAsync(new PostMetricsRequest(fake.Identity(), published.ExternalId!, DateTimeOffset.UtcNow, PostContent.Empty), default);

        Assert.Null(metrics.Error);
        Assert.Equal(456, metrics.Value!.Views);
        AssertJson($$$"""{"filters":{"video_ids":["{{{fake.Publishes.Values.Single().PostId}}}"]}}""", Assert.Single(fake.Calls("POST", "/v2/video/query/")).Body);
    }

    [Fact]
    public async Task A_private_post_has_no_public_id_and_so_no_metrics_yet()
    {
        await using var fake = await FakeTikTokApi.StartAsync();
        var connector = fake.Connector();
        var published = await connector.PublishAsync(Request(fake, Video(fake, 1000)), default);

        var metrics = await connector.ReadPostMetricsAsync(new PostMetricsRequest(fake.Identity(), published.ExternalId!, DateTimeOffset.UtcNow, PostContent.Empty), default);

        Assert.Equal(ErrorCategory.Transient, metrics.Error!.Category);
        Assert.Empty(fake.Calls("POST", "/v2/video/query/"));
    }

    [Fact]
    public async Task Account_metrics_come_from_user_info_stats()
    {
        await using var fake = await FakeTikTokApi.StartAsync();
        var connector = fake.Connector();

        var metrics = await connector.ReadAccountMetricsAsync(fake.Identity(), default);

        Assert.Null(metrics.Error);
        Assert.Equal((1234L, (long?)56, (long?)42), (metrics.Value!.Followers, metrics.Value.Following, metrics.Value.Posts));
        var call = Assert.Single(fake.Calls("GET", "/v2/user/info/"));
        Assert.Equal("?fields=open_id,follower_count,following_count,likes_count,video_count", call.Query);
        Assert.Equal("Bearer act.initial", call.Header("Authorization"));
    }

    // ---- the error taxonomy ----

    [Fact]
    public async Task An_expired_token_is_an_auth_failure_before_anything_is_created()
    {
        await using var fake = await FakeTikTokApi.StartAsync();
        fake.AccessTokenExpired = true;
        var connector = fake.Connector();

        var outcome = await connector.PublishAsync(Request(fake, Video(fake, 1000)), default);

        Assert.Equal(ErrorCategory.Auth, outcome.ErrorCategory);
        Assert.Empty(fake.Calls("POST", "/v2/post/publish/video/init/"));
    }

    [Theory]
    [InlineData(403, "scope_not_authorized", ErrorCategory.Auth)]
    [InlineData(400, "invalid_params", ErrorCategory.InvalidContent)]
    [InlineData(403, "url_ownership_unverified", ErrorCategory.InvalidContent)]
    [InlineData(403, "spam_risk_text", ErrorCategory.InvalidContent)]
    [InlineData(403, "unaudited_client_can_only_post_to_private_accounts", ErrorCategory.InvalidContent)]
    [InlineData(500, "internal_error", ErrorCategory.Transient)]
    [InlineData(503, "some_new_code", ErrorCategory.Transient)]
    public async Task Init_errors_map_by_tiktok_code_and_keep_its_message(int status, string code, ErrorCategory expected)
    {
        await using var fake = await FakeTikTokApi.StartAsync();
        var connector = fake.Connector();
        fake.Server.Fail("POST", "/v2/post/publish/video/init/", status, FakeTikTokApi.ErrorJson(code, "TikTok says no: " + code));

        var outcome = await connector.PublishAsync(Request(fake, Video(fake, 1000)), default);

        Assert.Equal(expected, outcome.ErrorCategory);
        Assert.Contains("TikTok says no: " + code, outcome.Message, StringComparison.Ordinal);
        Assert.Empty(fake.Calls("PUT", "/upload/"));
    }

    [Fact]
    public async Task A_server_error_without_the_envelope_is_transient()
    {
        await using var fake = await FakeTikTokApi.StartAsync();
        var connector = fake.Connector();
        fake.Server.Fail("POST", "/v2/post/publish/creator_info/query/", 502, "<html>Bad Gateway</html>");

        var outcome = await connector.PublishAsync(Request(fake, Video(fake, 1000)), default);

        Assert.Equal(ErrorCategory.Transient, outcome.ErrorCategory);
    }

    [Fact]
    public async Task Rate_limited_without_headers_waits_tiktoks_one_minute_window()
    {
        await using var fake = await FakeTikTokApi.StartAsync();
        var time = ConnectorHarness.FakeTime();
        var connector = fake.Connector(time);
        fake.Server.Fail("POST", "/v2/post/publish/video/init/", 429, FakeTikTokApi.ErrorJson("rate_limit_exceeded", "Too many requests."));

        var outcome = await connector.PublishAsync(Request(fake, Video(fake, 1000)), default);

        Assert.Equal(ErrorCategory.RateLimited, outcome.ErrorCategory);
        Assert.Equal(time.GetUtcNow().AddMinutes(1), outcome.RetryAfter);
    }

    [Fact]
    public async Task Rate_limited_with_retry_after_waits_what_the_header_says()
    {
        await using var fake = await FakeTikTokApi.StartAsync();
        var time = ConnectorHarness.FakeTime();
        var connector = fake.Connector(time);
        fake.Server.Fail("POST", "/v2/post/publish/video/init/", 429, FakeTikTokApi.ErrorJson("rate_limit_exceeded", "Too many requests."), ("Retry-After", "37"));

        var outcome = await connector.PublishAsync(Request(fake, Video(fake, 1000)), default);

        Assert.Equal(ErrorCategory.RateLimited, outcome.ErrorCategory);
        Assert.Equal(time.GetUtcNow().AddSeconds(37), outcome.RetryAfter);
    }

    [Theory]
    [InlineData("spam_risk_too_many_posts")]
    [InlineData("reached_active_user_cap")]
    public async Task Daily_caps_are_rate_limits_that_clear_after_a_rolling_day(string code)
    {
        await using var fake = await FakeTikTokApi.StartAsync();
        var time = ConnectorHarness.FakeTime();
        var connector = fake.Connector(time);
        fake.Server.Fail("POST", "/v2/post/publish/video/init/", 403, FakeTikTokApi.ErrorJson(code, "Daily cap reached."));

        var outcome = await connector.PublishAsync(Request(fake, Video(fake, 1000)), default);

        Assert.Equal(ErrorCategory.RateLimited, outcome.ErrorCategory);
        Assert.Equal(time.GetUtcNow().AddHours(24), outcome.RetryAfter);
    }

    [Theory]
    [InlineData("file_format_check_failed", ErrorCategory.InvalidContent)]
    [InlineData("spam_risk_too_many_posts", ErrorCategory.RateLimited)]
    [InlineData("internal", ErrorCategory.Transient)]
    public async Task A_post_tiktok_fails_after_processing_maps_its_fail_reason(string reason, ErrorCategory expected)
    {
        await using var fake = await FakeTikTokApi.StartAsync();
        fake.FailReason = reason;
        var connector = fake.Connector();

        var outcome = await connector.PublishAsync(Request(fake, Video(fake, 1000)), default);

        Assert.Equal(expected, outcome.ErrorCategory);
        Assert.Contains(reason, outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_status_read_that_fails_after_init_is_an_unknown_outcome_never_a_retryable_failure()
    {
        await using var fake = await FakeTikTokApi.StartAsync();
        var connector = fake.Connector();
        fake.Server.Fail("POST", "/v2/post/publish/status/fetch/", 429, FakeTikTokApi.ErrorJson("rate_limit_exceeded", "Too many status fetches."));

        var outcome = await connector.PublishAsync(Request(fake, Video(fake, 1000)), default);

        Assert.Equal(ErrorCategory.UnknownOutcome, outcome.ErrorCategory);
    }

    // ---- unknown outcomes and reconciliation ----

    [Fact]
    public async Task A_lost_answer_to_the_last_chunk_is_unknown_and_the_saved_publish_id_finds_the_post()
    {
        await using var fake = await FakeTikTokApi.StartAsync();
        fake.LoseLastChunkAnswer = true;
        fake.ProcessingPolls = 0; // processed by the time the publication is reconciled
        var connector = fake.Connector();
        using var lost = new CancellationTokenSource();
        fake.OnHang = lost.Cancel;
        var journal = new RecordingJournal(fake.Server);
        var content = Video(fake, 1000);

        var outcome = await connector.PublishAsync(Request(fake, content, journal), lost.Token);

        Assert.Equal(ErrorCategory.UnknownOutcome, outcome.ErrorCategory);
        var found = await connector.FindPublicationAsync(Request(fake, content, checkpoints: journal.Saved), default);
        Assert.Equal(ReconcileState.Found, found.State);
        Assert.Equal(fake.Publishes.Values.Single().Id, found.Publication!.ExternalId);
    }

    [Fact]
    public async Task A_lost_answer_to_a_video_init_is_unknown_but_certainly_not_published_since_no_byte_was_sent()
    {
        await using var fake = await FakeTikTokApi.StartAsync();
        fake.LoseInitAnswer = true;
        var connector = fake.Connector();
        using var lost = new CancellationTokenSource();
        fake.OnHang = lost.Cancel;
        var journal = new RecordingJournal(fake.Server);
        var content = Video(fake, 1000);

        var outcome = await connector.PublishAsync(Request(fake, content, journal), lost.Token);

        Assert.Equal(ErrorCategory.UnknownOutcome, outcome.ErrorCategory);
        Assert.Equal("", journal.Saved[TikTokConnector.PublishIdCheckpoint]); // no handle came back
        var orphan = Assert.Single(fake.Publishes.Values); // TikTok made the post request, but it can never complete
        var reconciled = await connector.FindPublicationAsync(Request(fake, content, checkpoints: journal.Saved), default);
        Assert.Equal(ReconcileState.NotFound, reconciled.State);

        var retried = await connector.PublishAsync(Request(fake, content), default);
        Assert.True(retried.Succeeded, retried.Message);
        Assert.Equal(0, orphan.Received);
        Assert.Single(fake.Publishes.Values, p => p.PostId is not null);
    }

    [Fact]
    public async Task An_init_that_hangs_before_tiktok_creates_anything_reconciles_as_not_found()
    {
        await using var fake = await FakeTikTokApi.StartAsync();
        fake.Server.Hang("POST", "/v2/post/publish/video/init/", TimeSpan.FromSeconds(30));
        var connector = fake.Connector(settings: new() { ["RequestTimeout"] = "00:00:02" }); // the connector's own per-call timeout
        var journal = new RecordingJournal(fake.Server);
        var content = Video(fake, 1000);

        var outcome = await connector.PublishAsync(Request(fake, content, journal), default);

        Assert.Equal(ErrorCategory.UnknownOutcome, outcome.ErrorCategory);
        Assert.Empty(fake.Publishes);
        Assert.Equal(ReconcileState.NotFound, (await connector.FindPublicationAsync(Request(fake, content, checkpoints: journal.Saved), default)).State);
    }

    [Fact]
    public async Task A_lost_answer_to_a_photo_init_stays_unknown_because_tiktok_may_have_pulled_the_photos()
    {
        await using var fake = await FakeTikTokApi.StartAsync();
        var connector = fake.Connector();
        var journal = new RecordingJournal(fake.Server);
        var content = new PostContent("photo", [new MediaItem(fake.AddMedia("p.jpg", RandomBytes(10), "image/jpeg"), MediaType.Image)]);
        fake.FailReason = "internal";
        Assert.Equal(ErrorCategory.Transient, (await connector.PublishAsync(Request(fake, content, journal), default)).ErrorCategory); // attempt 1: FAILED
        fake.FailReason = null;
        fake.LoseInitAnswer = true;
        using var lost = new CancellationTokenSource();
        fake.OnHang = lost.Cancel;

        var outcome = await connector.PublishAsync(Request(fake, content, journal, journal.Saved), lost.Token); // attempt 2: answer lost

        Assert.Equal(ErrorCategory.UnknownOutcome, outcome.ErrorCategory);
        var reconciled = await connector.FindPublicationAsync(Request(fake, content, checkpoints: journal.Saved), default);
        Assert.Equal(ReconcileState.Unknown, reconciled.State); // not attempt 1's FAILED handle
    }

    [Fact]
    public async Task Processing_past_the_timeout_is_unknown_and_found_once_tiktok_publishes()
    {
        await using var fake = await FakeTikTokApi.StartAsync();
        fake.ProcessingPolls = 1000;
        var connector = fake.Connector(settings: new() { ["ProcessingTimeout"] = "00:00:00.200" });
        var journal = new RecordingJournal(fake.Server);
        var content = Video(fake, 1000);

        var outcome = await connector.PublishAsync(Request(fake, content, journal), default);

        Assert.Equal(ErrorCategory.UnknownOutcome, outcome.ErrorCategory);
        Assert.Equal(ReconcileState.Unknown, (await connector.FindPublicationAsync(Request(fake, content, checkpoints: journal.Saved), default)).State);
        fake.ProcessingPolls = 0;
        var found = await connector.FindPublicationAsync(Request(fake, content, checkpoints: journal.Saved), default);
        Assert.Equal(ReconcileState.Found, found.State);
        Assert.Equal(journal.Saved[TikTokConnector.PublishIdCheckpoint], found.Publication!.ExternalId);
    }

    [Fact]
    public async Task Reconciling_a_failed_or_abandoned_upload_is_certainly_not_found()
    {
        await using var fake = await FakeTikTokApi.StartAsync();
        var connector = fake.Connector();
        fake.FailReason = "frame_rate_check_failed";
        var content = Video(fake, 1000);
        var journal = new RecordingJournal(fake.Server);
        await connector.PublishAsync(Request(fake, content, journal), default);

        Assert.Equal(ReconcileState.NotFound, (await connector.FindPublicationAsync(Request(fake, content, checkpoints: journal.Saved), default)).State);

        // An upload that stopped part-way (the attempt is over: nobody else holds the upload URL).
        fake.FailReason = null;
        fake.Publishes["v_pub_file~abandoned"] = new FakeTikTokApi.Publish("v_pub_file~abandoned", "video", "SELF_ONLY", new JsonObject()) { VideoSize = 1000, ChunkSize = 1000, ChunkCount = 1 };
        var abandoned = new Dictionary<string, string> { [TikTokConnector.InitCheckpoint] = "video:1000", [TikTokConnector.PublishIdCheckpoint] = "v_pub_file~abandoned" };
        Assert.Equal(ReconcileState.NotFound, (await connector.FindPublicationAsync(Request(fake, content, checkpoints: abandoned), default)).State);

        Assert.Equal(ReconcileState.NotFound, (await connector.FindPublicationAsync(Request(fake, content), default)).State); // init never sent
    }

    // ---- helpers ----

    /// <summary>A publish with the creator's privacy choice (SELF_ONLY unless the test says otherwise; null: none made).</summary>
    private static PublishRequest Request(
        FakeTikTokApi fake, PostContent content, IPublishJournal? journal = null, IReadOnlyDictionary<string, string>? checkpoints = null, string? privacy = "SELF_ONLY") =>
        Request(fake, content, privacy is null ? null : new TikTokPostOptions(privacy), journal, checkpoints);

    private static PublishRequest Request(
        FakeTikTokApi fake, PostContent content, TikTokPostOptions? options, IPublishJournal? journal = null, IReadOnlyDictionary<string, string>? checkpoints = null) =>
        new("post-1~acc-1", "attempt-1", fake.Identity(), content with { Options = options is null ? null : new PostOptions(TikTok: options) }, checkpoints, journal);

    private static PublishingChoices Offered(string[] levels) => new(levels, false, false, false);

    private static PostContent Video(FakeTikTokApi fake, int bytes) =>
        new("A clip", [new MediaItem(fake.AddMedia($"clip-{bytes}.mp4", RandomBytes(bytes), "video/mp4"), MediaType.Video)]);

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    private static int Index(FakeTikTokApi fake, string path) => fake.Server.Requests.ToList().FindIndex(r => r.Path == path);

    private static Dictionary<string, string> Form(string body) =>
        QueryHelpers.ParseQuery(body).ToDictionary(p => p.Key, p => p.Value.ToString());


    private static Task<string> ConsentAsync(Uri authorizeUrl) => ContractHelpers.ConsentAsync(authorizeUrl, Callback);
}
