using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Primitives;
using PostNext.Abstractions;
using PostNext.Abstractions.Accounts;
using PostNext.Platforms.Common;
using PostNext.Platforms.Instagram;
using PostNext.Platforms.Tests.Common;
using PostNext.Testing;
using static PostNext.Platforms.Tests.Meta.MetaFake;

using static PostNext.Platforms.Tests.Common.ContractHelpers;

namespace PostNext.Platforms.Tests.Instagram;

/// <summary>The Instagram connector against a loopback Instagram API: containers, the publishing limit, reconciliation, OAuth.</summary>
public sealed class InstagramConnectorTests : IAsyncLifetime
{
    private const string User = FakeInstagramApi.IgUserId;
    private const string Publish = $"/v25.0/{User}/media_publish";
    private const string CreateMedia = $"/v25.0/{User}/media";
    private FakeInstagramApi _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeInstagramApi.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task An_image_post_checks_the_limit_creates_a_container_checkpoints_it_then_publishes_it()
    {
        var journal = new RecordingJournal(_fake.Server);
        var outcome = await Connector().PublishAsync(Request(Image("Morning bake", "https://cdn.test/bread.jpg"), journal), default);

        Assert.True(outcome.Succeeded, outcome.Message);
        var requests = _fake.Server.Requests;
        var container = journal.Saved[InstagramConnector.ContainerCheckpoint];
        Assert.Equal(
            [$"GET /v25.0/{User}/content_publishing_limit", $"POST {CreateMedia}", $"GET /v25.0/{container}", $"POST {Publish}", $"GET /v25.0/{outcome.ExternalId}"],
            requests.Select(r => $"{r.Method} {r.Path}"));
        Assert.Equal("quota_usage,config", Query(requests[0])["fields"]);
        Assert.StartsWith("application/x-www-form-urlencoded", requests[1].Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal(new Dictionary<string, string> { ["image_url"] = "https://cdn.test/bread.jpg", ["caption"] = "Morning bake" }, Form(requests[1]));
        Assert.Equal("status_code,status", Query(requests[2])["fields"]);
        Assert.Equal(container, Query(requests[3])["creation_id"]);
        Assert.Empty(requests[3].Body);
        Assert.Equal("id,permalink,timestamp", Query(requests[4])["fields"]);
        Assert.All(requests, r => Assert.Equal("Bearer " + _fake.Token, r.Header("Authorization")));

        // The container was saved before media_publish was sent.
        Assert.DoesNotContain(journal.RequestsWhenSaved[InstagramConnector.ContainerCheckpoint], r => r.Path == Publish);
        var media = Assert.Single(_fake.Media.Values);
        Assert.Equal(media["id"]!.ToString(), outcome.ExternalId);
        Assert.Equal(media["permalink"]!.ToString(), outcome.Permalink);
        Assert.Equal("Morning bake", media["caption"]!.ToString());
        Assert.Equal(DateTimeOffset.Parse(media["timestamp"]!.ToString()[..19] + "Z", System.Globalization.CultureInfo.InvariantCulture), outcome.PublishedAt);
    }

    [Fact]
    public async Task A_reel_carries_its_collaborators_and_stays_out_of_the_feed_when_asked()
    {
        var options = new PostOptions(Instagram: new InstagramPostOptions(PostTypes.Reel, ShareToFeed: false, Collaborators: ["ada.bakes", "bob_crumbs"]));
        var outcome = await Connector().PublishAsync(Request(new PostContent("Kneading", [new MediaItem("https://cdn.test/knead.mp4", MediaType.Video)], Options: options)), default);

        Assert.True(outcome.Succeeded, outcome.Message);
        var create = Assert.Single(_fake.Server.Requests, r => r.Method == "POST" && r.Path == CreateMedia);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["media_type"] = "REELS", ["video_url"] = "https://cdn.test/knead.mp4", ["caption"] = "Kneading",
                ["collaborators"] = """["ada.bakes","bob_crumbs"]""", ["share_to_feed"] = "false",
            },
            Form(create));
    }

    [Fact]
    public async Task A_single_feed_image_carries_its_alt_text()
    {
        var content = Image("Morning bake", "https://cdn.test/bread.jpg") with { Options = new PostOptions(Instagram: new InstagramPostOptions(AltText: "A sourdough loaf on a board")) };

        var outcome = await Connector().PublishAsync(Request(content), default);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal(
            new Dictionary<string, string> { ["image_url"] = "https://cdn.test/bread.jpg", ["caption"] = "Morning bake", ["alt_text"] = "A sourdough loaf on a board" },
            Form(Assert.Single(_fake.Server.Requests, r => r.Method == "POST" && r.Path == CreateMedia)));
    }

    [Fact]
    public async Task A_story_is_a_stories_container_without_a_caption()
    {
        var content = Image("Not shown on a story", "https://cdn.test/bread.jpg") with { Options = new PostOptions(Instagram: new InstagramPostOptions(PostTypes.Story)) };

        var outcome = await Connector().PublishAsync(Request(content), default);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal(
            new Dictionary<string, string> { ["media_type"] = "STORIES", ["image_url"] = "https://cdn.test/bread.jpg" },
            Form(Assert.Single(_fake.Server.Requests, r => r.Method == "POST" && r.Path == CreateMedia)));
        Assert.Equal("STORY", _fake.Media[outcome.ExternalId!]["media_type"]!.ToString());
    }

    [Fact]
    public async Task A_reel_of_an_image_is_refused_before_anything_is_sent()
    {
        var content = Image("Not a reel", "https://cdn.test/bread.jpg") with { Options = new PostOptions(Instagram: new InstagramPostOptions(PostTypes.Reel)) };

        var outcome = await Connector().PublishAsync(Request(content), default);

        Assert.Equal(ErrorCategory.InvalidContent, outcome.ErrorCategory);
        Assert.Empty(_fake.Server.Requests);
    }

    [Fact]
    public async Task A_video_is_a_reel_container_polled_until_finished()
    {
        _fake.VideoPollsUntilFinished = 2;
        var outcome = await Connector().PublishAsync(Request(new PostContent("Kneading", [new MediaItem("https://cdn.test/knead.mp4", MediaType.Video)])), default);

        Assert.True(outcome.Succeeded, outcome.Message);
        var create = Assert.Single(_fake.Server.Requests, r => r.Method == "POST" && r.Path == CreateMedia);
        Assert.Equal(new Dictionary<string, string> { ["media_type"] = "REELS", ["video_url"] = "https://cdn.test/knead.mp4", ["caption"] = "Kneading" }, Form(create));
        Assert.Equal(3, _fake.Server.Requests.Count(r => r.Query.Contains("status_code", StringComparison.Ordinal)));
        Assert.Equal("REELS", _fake.Media[outcome.ExternalId!]["media_type"]!.ToString());
    }

    [Fact]
    public async Task A_carousel_makes_item_containers_then_a_carousel_container_with_the_caption()
    {
        _fake.VideoPollsUntilFinished = 1;
        var content = new PostContent("Three ways", [
            new MediaItem("https://cdn.test/1.jpg", MediaType.Image), new MediaItem("https://cdn.test/2.mp4", MediaType.Video), new MediaItem("https://cdn.test/3.jpeg", MediaType.Image)]);
        var journal = new RecordingJournal(_fake.Server);

        var outcome = await Connector().PublishAsync(Request(content, journal), default);

        Assert.True(outcome.Succeeded, outcome.Message);
        var creates = _fake.Server.Requests.Where(r => r.Method == "POST" && r.Path == CreateMedia).Select(Form).ToList();
        Assert.Equal(4, creates.Count);
        Assert.Equal(new Dictionary<string, string> { ["image_url"] = "https://cdn.test/1.jpg", ["is_carousel_item"] = "true" }, creates[0]);
        Assert.Equal(new Dictionary<string, string> { ["media_type"] = "VIDEO", ["video_url"] = "https://cdn.test/2.mp4", ["is_carousel_item"] = "true" }, creates[1]);
        Assert.Equal(new Dictionary<string, string> { ["image_url"] = "https://cdn.test/3.jpeg", ["is_carousel_item"] = "true" }, creates[2]);
        Assert.Equal("CAROUSEL", creates[3]["media_type"]);
        Assert.Equal("Three ways", creates[3]["caption"]);
        Assert.Equal(3, creates[3]["children"].Split(',').Length);
        Assert.Equal(journal.Saved[InstagramConnector.ContainerCheckpoint], Query(_fake.Server.Requests.Single(r => r.Path == Publish))["creation_id"]);
        Assert.Equal("CAROUSEL_ALBUM", _fake.Media[outcome.ExternalId!]["media_type"]!.ToString());
    }

    [Fact]
    public async Task A_post_without_media_is_invalid_content_before_any_call()
    {
        var outcome = await Connector().PublishAsync(Request(new PostContent("Just words", [])), default);

        Assert.Equal(ErrorCategory.InvalidContent, outcome.ErrorCategory);
        Assert.Empty(_fake.Server.Requests);
    }

    [Fact]
    public async Task A_spent_publishing_limit_waits_out_its_window_without_creating_a_container()
    {
        var time = ConnectorHarness.FakeTime();
        _fake.QuotaUsage = 100;

        var outcome = await Connector(time).PublishAsync(Request(Image("x", "https://cdn.test/a.jpg")), default);

        Assert.Equal(ErrorCategory.RateLimited, outcome.ErrorCategory);
        Assert.Equal(time.GetUtcNow().AddHours(24), outcome.RetryAfter);
        Assert.Contains("100 of 100", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(0, _fake.ContainerCount);
    }

    [Fact]
    public async Task The_daily_limit_code_from_media_publish_is_rate_limited_for_a_day()
    {
        var time = ConnectorHarness.FakeTime();
        _fake.Server.Fail("POST", Publish, 400, ErrorJson("Application request limit reached", 9, 2207042, userMessage: "You have reached the maximum number of posts."));

        var outcome = await Connector(time).PublishAsync(Request(Image("x", "https://cdn.test/a.jpg")), default);

        Assert.Equal(ErrorCategory.RateLimited, outcome.ErrorCategory);
        Assert.Equal(time.GetUtcNow().AddHours(24), outcome.RetryAfter);
        Assert.Contains("9/2207042", outcome.Message, StringComparison.Ordinal);
    }

    public static TheoryData<int, string, ErrorCategory, string> DocumentedFailures => new()
    {
        { 400, ErrorJson("Error validating access token: Session has expired on Tuesday.", 190, 463), ErrorCategory.Auth, "190/463" },
        { 400, ErrorJson("Error validating access token: The session has been invalidated because the user changed their password.", 190, 460), ErrorCategory.Auth, "190/460" },
        { 400, ErrorJson("The user is not an Instagram Business account", 100), ErrorCategory.Auth, "100" },
        { 400, ErrorJson("Action is blocked: we detected spam", 9004, 2207001, userMessage: "We restrict certain activity to protect our community."), ErrorCategory.InvalidContent, "9004/2207001" },
        { 400, ErrorJson("The aspect ratio is not supported.", 36003, 2207009), ErrorCategory.InvalidContent, "36003/2207009" },
        { 400, ErrorJson("The caption is too long", 100, 2207010), ErrorCategory.InvalidContent, "100/2207010" },
        { 400, ErrorJson("Media download has failed. The media URI doesn't meet our requirements.", 9004, 2207052), ErrorCategory.Transient, "9004/2207052" },
        { 400, ErrorJson("(#4) Application request limit reached", 4, transient: true), ErrorCategory.RateLimited, "4" },
        { 500, ErrorJson("An unknown error has occurred.", 1, transient: true), ErrorCategory.Transient, "1" },
    };

    [Theory]
    [MemberData(nameof(DocumentedFailures))]
    public async Task Documented_failures_of_the_container_map_into_the_taxonomy(int status, string json, ErrorCategory category, string code)
    {
        var time = ConnectorHarness.FakeTime();
        _fake.Server.Fail("POST", CreateMedia, status, json);

        var outcome = await Connector(time).PublishAsync(Request(Image("x", "https://cdn.test/a.jpg")), default);

        Assert.Equal(category, outcome.ErrorCategory);
        Assert.Contains(JsonNode.Parse(json)!["error"]!["message"]!.ToString(), outcome.Message, StringComparison.Ordinal);
        Assert.Contains($"(code {code}", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(category == ErrorCategory.RateLimited ? time.GetUtcNow().AddHours(1) : null, outcome.RetryAfter);
        Assert.Empty(_fake.Media);
    }

    [Fact]
    public async Task Throttling_waits_until_the_business_use_case_header_says_access_returns()
    {
        var time = ConnectorHarness.FakeTime();
        var usage = $$"""{"{{User}}":[{"type":"instagram","call_count":100,"total_cputime":10,"total_time":12,"estimated_time_to_regain_access":42}]}""";
        _fake.Server.Fail("POST", CreateMedia, 400, ErrorJson("(#80002) There have been too many calls to this Instagram account.", 80002), ("X-Business-Use-Case-Usage", usage));

        var outcome = await Connector(time).PublishAsync(Request(Image("x", "https://cdn.test/a.jpg")), default);

        Assert.Equal(ErrorCategory.RateLimited, outcome.ErrorCategory);
        Assert.Equal(time.GetUtcNow().AddMinutes(42), outcome.RetryAfter);
    }

    [Fact]
    public async Task A_non_jpeg_image_is_refused_as_invalid_content_with_instagrams_message()
    {
        var outcome = await Connector().PublishAsync(Request(Image("x", "https://cdn.test/a.png")), default);

        Assert.Equal(ErrorCategory.InvalidContent, outcome.ErrorCategory);
        Assert.Contains("Only JPEG images", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("9004/2207005", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_video_container_in_error_is_invalid_content_with_its_code()
    {
        _fake.VideoPollsUntilFinished = 0;
        _fake.VideoError = "Error: Media upload has failed with error code 2207026";

        var outcome = await Connector().PublishAsync(Request(new PostContent("x", [new MediaItem("https://cdn.test/v.webm", MediaType.Video)])), default);

        Assert.Equal(ErrorCategory.InvalidContent, outcome.ErrorCategory);
        Assert.Contains("2207026", outcome.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_fake.Server.Requests, r => r.Path == Publish);
    }

    [Fact]
    public async Task A_revoked_token_is_auth()
    {
        _fake.RevokeAll();

        var outcome = await Connector().PublishAsync(Request(Image("x", "https://cdn.test/a.jpg")), default);

        Assert.Equal(ErrorCategory.Auth, outcome.ErrorCategory);
        Assert.Contains("190", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_timeout_during_media_publish_is_unknown_then_reconciliation_finds_the_media()
    {
        _fake.PublishThenHang();
        var journal = new RecordingJournal(_fake.Server);
        var request = Request(Image("Published in the dark", "https://cdn.test/a.jpg"), journal);
        var connector = Connector(requestTimeout: TimeSpan.FromMilliseconds(700));

        var outcome = await connector.PublishAsync(request, default);

        Assert.Equal(ErrorCategory.UnknownOutcome, outcome.ErrorCategory);
        var media = Assert.Single(_fake.Media.Values);
        var reconciled = await connector.FindPublicationAsync(request with { Checkpoints = journal.Saved }, default);

        Assert.Equal(ReconcileState.Found, reconciled.State);
        Assert.Equal(media["id"]!.ToString(), reconciled.Publication!.ExternalId);
        Assert.Equal(media["permalink"]!.ToString(), reconciled.Publication.Permalink);
    }

    [Fact]
    public async Task A_timeout_where_nothing_was_published_is_not_found_and_the_retry_reuses_the_finished_container()
    {
        _fake.Server.Hang("POST", Publish, TimeSpan.FromSeconds(30));
        var journal = new RecordingJournal(_fake.Server);
        var request = Request(Image("Second chance", "https://cdn.test/a.jpg"), journal);
        var connector = Connector(requestTimeout: TimeSpan.FromMilliseconds(700));

        var outcome = await connector.PublishAsync(request, default);
        var reconciled = await connector.FindPublicationAsync(request with { Checkpoints = journal.Saved }, default);

        Assert.Equal(ErrorCategory.UnknownOutcome, outcome.ErrorCategory);
        Assert.Equal(ReconcileState.NotFound, reconciled.State);
        var container = journal.Saved[InstagramConnector.ContainerCheckpoint];
        Assert.Equal("FINISHED", _fake.ContainerStatus(container));
        _fake.Server.ClearRequests();

        var retried = await connector.PublishAsync(request with { Checkpoints = new Dictionary<string, string>(journal.Saved) }, default);

        Assert.True(retried.Succeeded, retried.Message);
        Assert.DoesNotContain(_fake.Server.Requests, r => r.Method == "POST" && r.Path == CreateMedia);
        Assert.Equal(container, Query(_fake.Server.Requests.Single(r => r.Path == Publish))["creation_id"]);
        Assert.Equal(1, _fake.ContainerCount);
        Assert.Single(_fake.Media);
    }

    [Fact]
    public async Task A_5xx_answer_to_media_publish_is_unknown_and_reconciles_from_the_container()
    {
        _fake.Server.Fail("POST", Publish, 500, ErrorJson("An unexpected error has occurred. Please retry your request later.", 2, transient: true));
        var journal = new RecordingJournal(_fake.Server);
        var request = Request(Image("x", "https://cdn.test/a.jpg"), journal);
        var connector = Connector();

        var outcome = await connector.PublishAsync(request, default);
        var reconciled = await connector.FindPublicationAsync(request with { Checkpoints = journal.Saved }, default);

        Assert.Equal(ErrorCategory.UnknownOutcome, outcome.ErrorCategory);
        Assert.Equal(ReconcileState.NotFound, reconciled.State);
    }

    [Fact]
    public async Task A_publish_whose_container_is_already_published_reports_that_media_and_publishes_nothing()
    {
        var journal = new RecordingJournal(_fake.Server);
        var first = await Connector().PublishAsync(Request(Image("Only once", "https://cdn.test/a.jpg"), journal), default);
        _fake.Server.ClearRequests();

        var again = await Connector().PublishAsync(Request(Image("Only once", "https://cdn.test/a.jpg")) with { Checkpoints = journal.Saved }, default);

        Assert.True(again.Succeeded, again.Message);
        Assert.Equal(first.ExternalId, again.ExternalId);
        Assert.DoesNotContain(_fake.Server.Requests, r => r.Method == "POST");
        Assert.Single(_fake.Media);
    }

    [Fact]
    public async Task A_published_container_whose_media_is_not_listed_yet_is_unknown()
    {
        var journal = new RecordingJournal(_fake.Server);
        await Connector().PublishAsync(Request(Image("Listed later", "https://cdn.test/a.jpg"), journal), default);

        var reconciled = await Connector().FindPublicationAsync(Request(Image("Another caption", "https://cdn.test/a.jpg")) with { Checkpoints = journal.Saved }, default);

        Assert.Equal(ReconcileState.Unknown, reconciled.State);
        Assert.Contains("published", reconciled.Detail, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Without_a_container_checkpoint_nothing_was_published()
    {
        var reconciled = await Connector().FindPublicationAsync(Request(Image("x", "https://cdn.test/a.jpg")), default);

        Assert.Equal(ReconcileState.NotFound, reconciled.State);
        Assert.Empty(_fake.Server.Requests);
    }

    [Fact]
    public async Task Post_metrics_read_the_media_insights_with_views_as_impressions_not_reach()
    {
        var result = await Connector().ReadPostMetricsAsync(new PostMetricsRequest(Identity(), "9001", DateTimeOffset.UtcNow, PostContent.Empty), default);

        var metrics = Assert.IsType<PostMetrics>(result.Value);
        Assert.Equal(
            (FakeInstagramApi.Likes, FakeInstagramApi.Comments, FakeInstagramApi.Shares, (long?)FakeInstagramApi.Views, (long?)FakeInstagramApi.Views, (long?)FakeInstagramApi.Saved),
            (metrics.Likes, metrics.Comments, metrics.Shares, metrics.Impressions, metrics.Views, metrics.Saves));
        var request = Assert.Single(_fake.Server.Requests);
        Assert.Equal(("GET", "/v25.0/9001/insights"), (request.Method, request.Path));
        Assert.Equal("views,reach,likes,comments,shares,saved", Query(request)["metric"]);
    }

    [Fact]
    public async Task Post_metrics_fall_back_to_the_public_counts_when_insights_are_refused()
    {
        var published = await Connector().PublishAsync(Request(Image("x", "https://cdn.test/a.jpg")), default);
        _fake.InsightsRefused = true;
        _fake.Server.ClearRequests();

        var result = await Connector().ReadPostMetricsAsync(new PostMetricsRequest(Identity(), published.ExternalId!, DateTimeOffset.UtcNow, PostContent.Empty), default);

        var metrics = Assert.IsType<PostMetrics>(result.Value);
        Assert.Equal((FakeInstagramApi.Likes, FakeInstagramApi.Comments, 0L, (long?)null), (metrics.Likes, metrics.Comments, metrics.Shares, metrics.Views));
        Assert.Equal("like_count,comments_count", Query(_fake.Server.Requests[1])["fields"]);
    }

    [Fact]
    public async Task Account_metrics_read_followers_follows_and_media_count()
    {
        var result = await Connector().ReadAccountMetricsAsync(Identity(), default);

        Assert.Equal((FakeInstagramApi.Followers, (long?)FakeInstagramApi.Follows, (long?)FakeInstagramApi.MediaCount), (result.Value!.Followers, result.Value.Following, result.Value.Posts));
        var request = Assert.Single(_fake.Server.Requests);
        Assert.Equal($"/v25.0/{User}", request.Path);
        Assert.Equal("followers_count,follows_count,media_count", Query(request)["fields"]);
    }

    [Fact]
    public void The_authorize_url_is_instagram_login_with_the_business_scopes_and_no_pkce()
    {
        var url = Connector().BuildAuthorizeUrl(new AuthorizeRequest("st-9", _fake.RedirectUri, "challenge"));

        Assert.Equal("/oauth/authorize", url.AbsolutePath);
        var query = QueryHelpers.ParseQuery(url.Query);
        Assert.Equal((ConnectorHarness.ClientId, _fake.RedirectUri.ToString(), "code", "st-9"),
            (query["client_id"].ToString(), query["redirect_uri"].ToString(), query["response_type"].ToString(), query["state"].ToString()));
        Assert.Equal(FakeInstagramApi.Permissions, query["scope"]);
        Assert.False(query.ContainsKey("code_challenge"));
    }

    [Fact]
    public async Task Connecting_exchanges_the_code_then_a_long_lived_token_and_reads_the_profile()
    {
        var time = ConnectorHarness.FakeTime();
        var account = await Connector(time).CompleteConnectAsync(new CodeExchange(FakeInstagramApi.Code, _fake.RedirectUri, null), default);

        Assert.Equal((User, FakeInstagramApi.Username, "PostNext Bakery"), (account.ExternalId, account.Handle, account.DisplayName));
        Assert.Equal(_fake.Token, account.Tokens.AccessToken.Reveal());
        Assert.Null(account.Tokens.RefreshToken);
        Assert.Equal(time.GetUtcNow().AddSeconds(5183944), account.Tokens.ExpiresAt);
        Assert.Equal(FakeInstagramApi.Permissions.Split(','), account.Tokens.Scopes);

        var requests = _fake.Server.Requests;
        Assert.Equal(["POST /oauth/access_token", "GET /access_token", "GET /v25.0/me"], requests.Select(r => $"{r.Method} {r.Path}"));
        Assert.Equal(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code", ["redirect_uri"] = _fake.RedirectUri.ToString(), ["code"] = FakeInstagramApi.Code,
            ["client_id"] = ConnectorHarness.ClientId, ["client_secret"] = ConnectorHarness.ClientSecret,
        }, Form(requests[0]));
        var exchange = Query(requests[1]);
        Assert.Equal(("ig_exchange_token", ConnectorHarness.ClientSecret, FakeInstagramApi.ShortToken),
            (exchange["grant_type"].ToString(), exchange["client_secret"].ToString(), exchange["access_token"].ToString()));
        Assert.Equal("Bearer " + _fake.Token, requests[2].Header("Authorization"));
        Assert.Equal("user_id,username,name", Query(requests[2])["fields"]);
    }

    [Fact]
    public async Task A_wrong_code_fails_the_connection_as_auth()
    {
        var ex = await Assert.ThrowsAsync<PlatformException>(() =>
            Connector().CompleteConnectAsync(new CodeExchange("stolen", _fake.RedirectUri, null), default));

        Assert.Equal(ErrorCategory.Auth, ex.Error.Category);
        Assert.Contains("Invalid authorization code", ex.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_connection_without_the_publish_permission_is_refused_as_auth()
    {
        _fake.GrantedPermissions = "instagram_business_basic";

        var ex = await Assert.ThrowsAsync<PlatformException>(() =>
            Connector().CompleteConnectAsync(new CodeExchange(FakeInstagramApi.Code, _fake.RedirectUri, null), default));

        Assert.Equal(ErrorCategory.Auth, ex.Error.Category);
        Assert.Contains("instagram_business_content_publish", ex.Error.Message, StringComparison.Ordinal);
        Assert.Single(_fake.Server.Requests);
    }

    [Fact]
    public async Task Refresh_trades_the_token_for_a_new_sixty_day_one_with_no_refresh_token()
    {
        var time = ConnectorHarness.FakeTime();
        var old = _fake.Token;
        var refreshed = await Connector(time).RefreshTokenAsync(new TokenSet(new Secret(old), null, time.GetUtcNow().AddDays(20), ["instagram_business_basic"]), default);

        Assert.Null(refreshed.Error);
        Assert.NotEqual(old, refreshed.Tokens!.AccessToken.Reveal());
        Assert.Equal(_fake.Token, refreshed.Tokens.AccessToken.Reveal());
        Assert.Null(refreshed.Tokens.RefreshToken);
        Assert.Equal(time.GetUtcNow().AddSeconds(5183944), refreshed.Tokens.ExpiresAt);
        Assert.Equal(["instagram_business_basic"], refreshed.Tokens.Scopes);
        var request = Assert.Single(_fake.Server.Requests);
        Assert.Equal("/refresh_access_token", request.Path);
        Assert.Equal(("ig_refresh_token", old), (Query(request)["grant_type"].ToString(), Query(request)["access_token"].ToString()));
    }

    [Fact]
    public async Task A_token_under_a_day_old_is_kept_as_it_is()
    {
        var time = ConnectorHarness.FakeTime();
        var current = new TokenSet(new Secret(_fake.Token), null, time.GetUtcNow().AddDays(59.5));

        var refreshed = await Connector(time).RefreshTokenAsync(current, default);

        Assert.Same(current, refreshed.Tokens);
        Assert.Empty(_fake.Server.Requests);
    }

    [Fact]
    public async Task Refresh_of_a_revoked_or_expired_token_is_auth()
    {
        var time = ConnectorHarness.FakeTime();
        var connector = Connector(time);
        var expired = await connector.RefreshTokenAsync(new TokenSet(new Secret(_fake.Token), null, time.GetUtcNow().AddMinutes(-1)), default);
        Assert.Equal(ErrorCategory.Auth, expired.Error!.Category);
        Assert.Empty(_fake.Server.Requests);

        _fake.RevokeAll();
        var revoked = await connector.RefreshTokenAsync(new TokenSet(new Secret("ig-long-0"), null, time.GetUtcNow().AddDays(10)), default);
        Assert.Equal(ErrorCategory.Auth, revoked.Error!.Category);
        Assert.Contains("190/460", revoked.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_calls_nothing_because_instagram_login_has_no_revocation()
    {
        await Connector().RevokeAsync(new TokenSet(new Secret(_fake.Token), null, null), default);

        Assert.Empty(_fake.Server.Requests);
    }


    [Fact]
    public async Task A_first_comment_is_one_form_POST_to_the_medias_comments_edge_and_reconciliation_finds_it_by_its_text()
    {
        var connector = Connector();
        var post = await connector.PublishAsync(Request(Image("Morning bake", "https://cdn.test/bread.jpg")), default);
        var comment = new FollowUp(1, FollowUpKind.Comment, "#sourdough #bakery", []);

        var outcome = await connector.PublishFollowUpAsync(new FollowUpRequest(Identity(), comment, post.ExternalId!, DateTimeOffset.UtcNow), default);

        Assert.True(outcome.Succeeded, outcome.Message);
        var sent = Assert.Single(_fake.Server.Requests, r => r.Method == "POST" && r.Path.EndsWith("/comments", StringComparison.Ordinal));
        Assert.Equal($"/v25.0/{post.ExternalId}/comments", sent.Path);
        Assert.Equal("Bearer " + _fake.Token, sent.Header("Authorization"));
        Assert.Equal(new Dictionary<string, string> { ["message"] = "#sourdough #bakery" }, Form(sent));
        var stored = Assert.Single(_fake.CommentEdge.On(post.ExternalId!));
        Assert.Equal(stored.Id, outcome.ExternalId);

        var found = await connector.FindFollowUpAsync(new FollowUpRequest(Identity(), comment, post.ExternalId!, DateTimeOffset.UtcNow), default);
        Assert.Equal((ReconcileState.Found, stored.Id), (found.State, found.Publication?.ExternalId));
        var missing = await connector.FindFollowUpAsync(new FollowUpRequest(Identity(), comment with { Text = "Never sent" }, post.ExternalId!, DateTimeOffset.UtcNow), default);
        Assert.Equal(ReconcileState.NotFound, missing.State);
    }

    [Fact]
    public async Task A_container_create_that_spends_the_business_use_case_budget_is_reported_on_the_published_post()
    {
        var time = ConnectorHarness.FakeTime();
        _fake.Server.AddHeaders("POST", CreateMedia, ("X-Business-Use-Case-Usage",
            $$"""{"{{User}}":[{"type":"instagram","call_count":100,"total_cputime":8,"total_time":9,"estimated_time_to_regain_access":45}]}"""));

        var outcome = await Connector(time).PublishAsync(Request(Image("Last one today", "https://cdn.test/bread.jpg")), default);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Single(_fake.Media);
        var regained = time.GetUtcNow().AddMinutes(45);
        Assert.Equal(new PlatformLimit(100, 0, regained, regained), outcome.Limit);
    }

    private InstagramConnector Connector(TimeProvider? time = null, TimeSpan? requestTimeout = null) =>
        ConnectorHarness.Create<InstagramConnector>(
            PlatformIds.Instagram, InstagramConnector.Defaults, _fake.Server,
            (services, configuration) => services.AddConnector<InstagramConnector>(configuration, PlatformIds.Instagram, InstagramConnector.Defaults),
            time,
            requestTimeout is { } t ? new Dictionary<string, string?> { ["PostNext:Platforms:instagram:RequestTimeout"] = t.ToString() } : null);

    private PublishingIdentity Identity() => ConnectorHarness.Identity(PlatformIds.Instagram, User, FakeInstagramApi.Username, _fake.Token);

    private PublishRequest Request(PostContent content, IPublishJournal? journal = null) =>
        new("pub-1", "attempt-1", Identity(), content, null, journal ?? new MemoryJournal());

    private static PostContent Image(string caption, string url) => new(caption, [new MediaItem(url, MediaType.Image)]);

    private static Dictionary<string, StringValues> Query(RecordedRequest request) => QueryHelpers.ParseQuery(request.Query);
}
