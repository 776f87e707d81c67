using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Time.Testing;
using PostNext.Abstractions;
using PostNext.Abstractions.Accounts;
using PostNext.Platforms.Common;
using PostNext.Platforms.Facebook;
using PostNext.Platforms.Tests.Common;
using PostNext.Testing;
using static PostNext.Platforms.Tests.Meta.MetaFake;

namespace PostNext.Platforms.Tests.Facebook;

/// <summary>The Facebook Page connector against a loopback Graph API: exact requests, the taxonomy, reconciliation, OAuth.</summary>
public sealed class FacebookConnectorTests : IAsyncLifetime
{
    private const string Feed = "/v25.0/1010/feed";
    private FakeFacebookApi _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeFacebookApi.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task A_text_post_goes_to_the_page_feed_as_json_with_the_page_token()
    {
        var journal = new MemoryJournal();
        var outcome = await Connector().PublishAsync(Request(new PostContent("Fresh croissants at 7!", []), journal), default);

        Assert.True(outcome.Succeeded, outcome.Message);
        var post = Assert.Single(_fake.Server.Requests, r => r.Method == "POST");
        Assert.Equal(Feed, post.Path);
        Assert.Equal("id,permalink_url", Query(post)["fields"]);
        Assert.Equal("Bearer " + _fake.PageToken, post.Header("Authorization"));
        Assert.StartsWith("application/json", post.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal("""{"message":"Fresh croissants at 7!","published":true}""", Body(post).ToJsonString());

        var created = Assert.Single(_fake.Posts.Values);
        Assert.Equal(created["id"]!.ToString(), outcome.ExternalId);
        Assert.Equal($"https://www.facebook.com/1010/posts/{outcome.ExternalId!.Split('_')[1]}", outcome.Permalink);
        Assert.Equal(outcome.ExternalId, journal.Saved[FacebookConnector.PostCheckpoint]);
        Assert.True(journal.Saved.ContainsKey(FacebookConnector.SentAtCheckpoint));
    }

    [Fact]
    public async Task Photos_are_uploaded_unpublished_by_url_then_attached_to_one_feed_post()
    {
        var content = new PostContent("Two loaves", [new MediaItem("https://cdn.test/a.jpg", MediaType.Image), new MediaItem("https://cdn.test/b.jpg", MediaType.Image)]);
        var outcome = await Connector().PublishAsync(Request(content), default);

        Assert.True(outcome.Succeeded, outcome.Message);
        var posts = _fake.Server.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal(["/v25.0/1010/photos", "/v25.0/1010/photos", Feed], posts.Select(r => r.Path));
        Assert.Equal("""{"url":"https://cdn.test/a.jpg","published":false}""", Body(posts[0]).ToJsonString());
        Assert.Equal("""{"url":"https://cdn.test/b.jpg","published":false}""", Body(posts[1]).ToJsonString());
        Assert.All(posts, r => Assert.Equal("Bearer " + _fake.PageToken, r.Header("Authorization")));

        var feed = Body(posts[2]);
        Assert.Equal("Two loaves", feed["message"]!.ToString());
        Assert.Equal(2, feed["attached_media"]!.AsArray().Count);
        Assert.All(feed["attached_media"]!.AsArray(), m => Assert.False(string.IsNullOrEmpty(m!["media_fbid"]!.ToString())));
        Assert.Equal(2, _fake.Posts[outcome.ExternalId!]["attachments"]!.GetValue<int>());
    }

    [Fact]
    public async Task A_video_is_posted_by_file_url_and_watched_until_processed()
    {
        _fake.VideoPollsUntilReady = 2;
        var journal = new MemoryJournal();
        var content = new PostContent("Behind the oven", [new MediaItem("https://cdn.test/oven.mp4", MediaType.Video)], "Oven tour");
        var outcome = await Connector().PublishAsync(Request(content, journal), default);

        Assert.True(outcome.Succeeded, outcome.Message);
        var videoId = Assert.Single(_fake.VideoIds);
        var create = Assert.Single(_fake.Server.Requests, r => r.Method == "POST");
        Assert.Equal("/v25.0/1010/videos", create.Path);
        Assert.Equal("""{"file_url":"https://cdn.test/oven.mp4","description":"Behind the oven","title":"Oven tour","published":true}""", Body(create).ToJsonString());
        var polls = _fake.Server.Requests.Where(r => r.Method == "GET" && r.Path == $"/v25.0/{videoId}").ToList();
        Assert.Equal(3, polls.Count);
        Assert.All(polls, p => Assert.Equal("status,permalink_url,created_time", Query(p)["fields"]));
        Assert.Equal(videoId, outcome.ExternalId);
        Assert.Equal($"https://www.facebook.com/1010/videos/{videoId}/", outcome.Permalink);
        Assert.Equal(videoId, journal.Saved[FacebookConnector.VideoCheckpoint]);
    }

    [Fact]
    public async Task A_video_that_fails_processing_is_invalid_content_and_reconciles_as_not_published()
    {
        _fake.VideoPollsUntilReady = 0;
        _fake.VideoProcessingFails = true;
        var journal = new MemoryJournal();
        var request = Request(new PostContent("x", [new MediaItem("https://cdn.test/bad.avi", MediaType.Video)]), journal);
        var connector = Connector();

        var outcome = await connector.PublishAsync(request, default);

        Assert.Equal(ErrorCategory.InvalidContent, outcome.ErrorCategory);
        Assert.Contains("format that we don't support", outcome.Message, StringComparison.Ordinal);
        var reconciled = await connector.FindPublicationAsync(request with { Checkpoints = journal.Saved }, default);
        Assert.Equal(ReconcileState.NotFound, reconciled.State);
    }

    [Fact]
    public async Task A_video_mixed_with_photos_is_refused_before_any_call()
    {
        var content = new PostContent("x", [new MediaItem("https://cdn.test/a.mp4", MediaType.Video), new MediaItem("https://cdn.test/b.jpg", MediaType.Image)]);
        var outcome = await Connector().PublishAsync(Request(content), default);

        Assert.Equal(ErrorCategory.InvalidContent, outcome.ErrorCategory);
        Assert.Empty(_fake.Server.Requests);
    }

    [Fact]
    public async Task Post_metrics_read_counts_and_media_views_as_impressions_not_reach()
    {
        var published = await Connector().PublishAsync(Request(new PostContent("Count me", [])), default);
        _fake.Server.ClearRequests();

        var result = await Connector().ReadPostMetricsAsync(new PostMetricsRequest(Identity(), published.ExternalId!, DateTimeOffset.UtcNow, PostContent.Empty), default);

        var metrics = Assert.IsType<PostMetrics>(result.Value);
        Assert.Equal((FakeFacebookApi.Reactions, FakeFacebookApi.Comments, FakeFacebookApi.Shares), (metrics.Likes, metrics.Comments, metrics.Shares));
        Assert.Equal(FakeFacebookApi.MediaViews, metrics.Impressions);
        Assert.Null(metrics.Views);
        var counts = _fake.Server.Requests[0];
        Assert.Equal($"/v25.0/{published.ExternalId}", counts.Path);
        Assert.Equal("shares,comments.summary(true).limit(0),reactions.summary(true).limit(0)", Query(counts)["fields"]);
        var insights = _fake.Server.Requests[1];
        Assert.Equal($"/v25.0/{published.ExternalId}/insights", insights.Path);
        Assert.Equal("post_media_view", Query(insights)["metric"]);
        Assert.All(_fake.Server.Requests, r => Assert.Equal("Bearer " + _fake.PageToken, r.Header("Authorization")));
    }

    [Fact]
    public async Task Video_metrics_read_reactions_comments_and_views()
    {
        _fake.VideoPollsUntilReady = 0;
        var published = await Connector().PublishAsync(Request(new PostContent("v", [new MediaItem("https://cdn.test/v.mp4", MediaType.Video)])), default);
        _fake.Server.ClearRequests();

        var result = await Connector().ReadPostMetricsAsync(new PostMetricsRequest(Identity(), published.ExternalId!, DateTimeOffset.UtcNow, PostContent.Empty), default);

        var metrics = Assert.IsType<PostMetrics>(result.Value);
        Assert.Equal((FakeFacebookApi.Reactions, FakeFacebookApi.Comments, 0L, FakeFacebookApi.VideoViews), (metrics.Likes, metrics.Comments, metrics.Shares, metrics.Views));
        Assert.Equal("comments.summary(true).limit(0),reactions.summary(true).limit(0)", Query(_fake.Server.Requests[0])["fields"]);
        Assert.Equal($"/v25.0/{published.ExternalId}/video_insights", _fake.Server.Requests[1].Path);
        Assert.Equal("total_video_views", Query(_fake.Server.Requests[1])["metric"]);
    }

    [Fact]
    public async Task Account_metrics_read_the_page_followers()
    {
        var result = await Connector().ReadAccountMetricsAsync(Identity(), default);

        Assert.Equal(FakeFacebookApi.Followers, result.Value!.Followers);
        var request = Assert.Single(_fake.Server.Requests);
        Assert.Equal(("GET", "/v25.0/1010"), (request.Method, request.Path));
        Assert.Equal("followers_count,fan_count", Query(request)["fields"]);
    }

    [Fact]
    public async Task Metrics_with_a_dead_token_fail_as_auth()
    {
        var result = await Connector().ReadAccountMetricsAsync(Identity("stale-token"), default);

        Assert.Equal(ErrorCategory.Auth, result.Error!.Category);
        Assert.Equal("190/460", result.Error.PlatformCode);
    }

    public static TheoryData<int, string, ErrorCategory, string> DocumentedFailures => new()
    {
        { 400, ErrorJson("Error validating access token: Session has expired on Tuesday.", 190, 463), ErrorCategory.Auth, "190/463" },
        { 400, ErrorJson("Error validating access token: The user has not authorized application.", 190, 458), ErrorCategory.Auth, "190/458" },
        { 403, ErrorJson("(#200) The user hasn't authorized the application to perform this action", 200), ErrorCategory.Auth, "200" },
        { 400, ErrorJson("Page Publishing Authorization Required", 10, 1404078), ErrorCategory.Auth, "10/1404078" },
        { 400, ErrorJson("These photos were already posted.", 100, 1366051), ErrorCategory.Duplicate, "100/1366051" },
        { 400, ErrorJson("(#506) Duplicate status message", 506), ErrorCategory.Duplicate, "506" },
        { 400, ErrorJson("It looks like you were misusing this feature by going too fast.", 368, 1390008), ErrorCategory.RateLimited, "368/1390008" },
        { 400, ErrorJson("(#4) Application request limit reached", 4, transient: true), ErrorCategory.RateLimited, "4" },
        { 400, ErrorJson("(#80001) There have been too many calls to this Page account.", 80001), ErrorCategory.RateLimited, "80001" },
        { 400, ErrorJson("Your content couldn't be shared, because this link goes against our Community Standards", 368, 1346003, userTitle: "Content blocked", userMessage: "This link goes against our Community Standards."), ErrorCategory.InvalidContent, "368/1346003" },
        { 400, ErrorJson("Invalid parameter", 100, 1609008, userMessage: "Posting links to facebook.com is not allowed."), ErrorCategory.InvalidContent, "100/1609008" },
    };

    [Theory]
    [MemberData(nameof(DocumentedFailures))]
    public async Task Documented_failures_of_the_feed_post_map_into_the_taxonomy(int status, string json, ErrorCategory category, string code)
    {
        var time = ConnectorHarness.FakeTime();
        _fake.Server.Fail("POST", Feed, status, json);

        var outcome = await Connector(time).PublishAsync(Request(new PostContent("Hello", [])), default);

        Assert.Equal(category, outcome.ErrorCategory);
        var error = JsonNode.Parse(json)!["error"]!;
        Assert.Contains(error["message"]!.ToString(), outcome.Message, StringComparison.Ordinal);
        Assert.Contains($"(code {code}", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(category == ErrorCategory.RateLimited ? time.GetUtcNow().AddHours(1) : null, outcome.RetryAfter);
    }

    [Fact]
    public async Task A_throttled_page_waits_until_the_usage_header_says_access_returns()
    {
        var time = ConnectorHarness.FakeTime();
        var usage = """{"1010":[{"type":"pages","call_count":100,"total_cputime":25,"total_time":30,"estimated_time_to_regain_access":17}]}""";
        _fake.Server.Fail("POST", Feed, 400, ErrorJson("(#32) Page request limit reached", 32), ("X-Business-Use-Case-Usage", usage));

        var outcome = await Connector(time).PublishAsync(Request(new PostContent("Hello", [])), default);

        Assert.Equal(ErrorCategory.RateLimited, outcome.ErrorCategory);
        Assert.Equal(time.GetUtcNow().AddMinutes(17), outcome.RetryAfter);
    }

    [Fact]
    public async Task A_429_waits_for_its_retry_after()
    {
        var time = ConnectorHarness.FakeTime();
        _fake.Server.Fail("POST", Feed, 429, "{}", ("Retry-After", "120"));

        var outcome = await Connector(time).PublishAsync(Request(new PostContent("Hello", [])), default);

        Assert.Equal(ErrorCategory.RateLimited, outcome.ErrorCategory);
        Assert.Equal(time.GetUtcNow().AddSeconds(120), outcome.RetryAfter);
    }

    [Fact]
    public async Task A_revoked_page_token_is_auth()
    {
        _fake.RevokeAll();

        var outcome = await Connector().PublishAsync(Request(new PostContent("Hello", [])), default);

        Assert.Equal(ErrorCategory.Auth, outcome.ErrorCategory);
        Assert.Empty(_fake.Posts);
    }

    [Fact]
    public async Task An_invalid_photo_is_invalid_content_with_facebooks_message_and_no_post()
    {
        _fake.Server.Fail("POST", "/v25.0/1010/photos", 400, ErrorJson("Photos should be smaller than 4 MB and saved as JPG, PNG", 100, 1366046));

        var outcome = await Connector().PublishAsync(Request(new PostContent("x", [new MediaItem("https://cdn.test/huge.tiff", MediaType.Image)])), default);

        Assert.Equal(ErrorCategory.InvalidContent, outcome.ErrorCategory);
        Assert.Contains("smaller than 4 MB", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(_fake.Posts);
    }

    [Fact]
    public async Task A_5xx_before_the_create_is_transient()
    {
        _fake.Server.Fail("POST", "/v25.0/1010/photos", 500, ErrorJson("An unknown error has occurred.", 1, type: "OAuthException", transient: true));

        var outcome = await Connector().PublishAsync(Request(new PostContent("x", [new MediaItem("https://cdn.test/a.jpg", MediaType.Image)])), default);

        Assert.Equal(ErrorCategory.Transient, outcome.ErrorCategory);
        Assert.DoesNotContain(_fake.Server.Requests, r => r.Path == Feed);
    }

    [Fact]
    public async Task A_5xx_answer_to_the_create_itself_is_an_unknown_outcome()
    {
        _fake.Server.Fail("POST", Feed, 503, ErrorJson("(#2) Service temporarily unavailable", 2, transient: true));

        var outcome = await Connector().PublishAsync(Request(new PostContent("Hello", [])), default);

        Assert.Equal(ErrorCategory.UnknownOutcome, outcome.ErrorCategory);
        Assert.Contains("Service temporarily unavailable", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_timeout_mid_publish_is_unknown_then_reconciliation_finds_the_post_the_page_has()
    {
        _fake.CreatePostThenHang();
        var journal = new MemoryJournal();
        var request = Request(new PostContent("Posted while the line dropped", []), journal);
        var connector = Connector(requestTimeout: TimeSpan.FromMilliseconds(700));

        var outcome = await connector.PublishAsync(request, default);

        Assert.Equal(ErrorCategory.UnknownOutcome, outcome.ErrorCategory);
        Assert.False(journal.Saved.ContainsKey(FacebookConnector.PostCheckpoint));
        var created = Assert.Single(_fake.Posts.Values);
        _fake.Server.ClearRequests();

        var reconciled = await connector.FindPublicationAsync(request with { Checkpoints = journal.Saved }, default);

        Assert.Equal(ReconcileState.Found, reconciled.State);
        Assert.Equal(created["id"]!.ToString(), reconciled.Publication!.ExternalId);
        Assert.Equal(created["permalink_url"]!.ToString(), reconciled.Publication.Permalink);
        var search = Assert.Single(_fake.Server.Requests);
        Assert.Equal("/v25.0/1010/posts", search.Path);
        var sentAt = long.Parse(journal.Saved[FacebookConnector.SentAtCheckpoint], CultureInfo.InvariantCulture);
        Assert.Equal(sentAt - 120, long.Parse(Query(search)["since"]!, CultureInfo.InvariantCulture));
        Assert.Equal("id,message,created_time,permalink_url", Query(search)["fields"]);
    }

    [Fact]
    public async Task A_timeout_where_facebook_created_nothing_reconciles_as_not_found()
    {
        _fake.Server.Hang("POST", Feed, TimeSpan.FromSeconds(30));
        var journal = new MemoryJournal();
        var request = Request(new PostContent("Lost in transit", []), journal);
        var connector = Connector(requestTimeout: TimeSpan.FromMilliseconds(700));

        var outcome = await connector.PublishAsync(request, default);
        var reconciled = await connector.FindPublicationAsync(request with { Checkpoints = journal.Saved }, default);

        Assert.Equal(ErrorCategory.UnknownOutcome, outcome.ErrorCategory);
        Assert.Equal(ReconcileState.NotFound, reconciled.State);
    }

    [Fact]
    public async Task A_video_whose_answer_was_lost_is_found_among_the_pages_videos()
    {
        _fake.CreateVideoThenHang();
        var journal = new MemoryJournal();
        var request = Request(new PostContent("Lost answer", [new MediaItem("https://cdn.test/v.mp4", MediaType.Video)]), journal);
        var connector = Connector(requestTimeout: TimeSpan.FromMilliseconds(700));

        var outcome = await connector.PublishAsync(request, default);
        var reconciled = await connector.FindPublicationAsync(request with { Checkpoints = journal.Saved }, default);

        Assert.Equal(ErrorCategory.UnknownOutcome, outcome.ErrorCategory);
        Assert.Equal(ReconcileState.Found, reconciled.State);
        var videoId = Assert.Single(_fake.VideoIds);
        Assert.Equal((videoId, $"https://www.facebook.com/1010/videos/{videoId}/"), (reconciled.Publication!.ExternalId, reconciled.Publication.Permalink));
        Assert.Equal("id,description,created_time,permalink_url", Query(_fake.Server.Requests.Last())["fields"]);
    }

    [Fact]
    public async Task A_missing_video_stays_unknown_while_it_could_still_be_processing()
    {
        var time = ConnectorHarness.FakeTime();
        _fake.Server.Hang("POST", "/v25.0/1010/videos", TimeSpan.FromSeconds(30));
        var journal = new MemoryJournal();
        var request = Request(new PostContent("Maybe", [new MediaItem("https://cdn.test/v.mp4", MediaType.Video)]), journal);
        var connector = Connector(time, TimeSpan.FromMilliseconds(700));

        await connector.PublishAsync(request, default);
        var early = await connector.FindPublicationAsync(request with { Checkpoints = journal.Saved }, default);
        time.Advance(TimeSpan.FromMinutes(4));
        var late = await connector.FindPublicationAsync(request with { Checkpoints = journal.Saved }, default);

        Assert.Equal((ReconcileState.Unknown, ReconcileState.NotFound), (early.State, late.State));
    }

    [Fact]
    public async Task Without_checkpoints_nothing_was_sent_so_it_is_not_found_without_asking()
    {
        var reconciled = await Connector().FindPublicationAsync(Request(new PostContent("Never sent", [])), default);

        Assert.Equal(ReconcileState.NotFound, reconciled.State);
        Assert.Empty(_fake.Server.Requests);
    }

    [Fact]
    public async Task A_publish_after_a_created_checkpoint_reports_that_post_and_creates_nothing()
    {
        var journal = new MemoryJournal();
        var first = await Connector().PublishAsync(Request(new PostContent("Once", []), journal), default);
        _fake.Server.ClearRequests();

        var again = await Connector().PublishAsync(Request(new PostContent("Once", [])) with { Checkpoints = journal.Saved }, default);

        Assert.True(again.Succeeded);
        Assert.Equal(first.ExternalId, again.ExternalId);
        Assert.DoesNotContain(_fake.Server.Requests, r => r.Method == "POST");
        Assert.Single(_fake.Posts);
    }

    [Fact]
    public void The_authorize_url_asks_facebook_login_for_the_page_scopes_without_pkce()
    {
        var url = Connector().BuildAuthorizeUrl(new AuthorizeRequest("state-123", _fake.RedirectUri, Pkce.ChallengeS256(Pkce.NewVerifier())));

        Assert.Equal("/v25.0/dialog/oauth", url.AbsolutePath);
        var query = QueryHelpers.ParseQuery(url.Query);
        Assert.Equal(ConnectorHarness.ClientId, query["client_id"]);
        Assert.Equal(_fake.RedirectUri.ToString(), query["redirect_uri"]);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("state-123", query["state"]);
        Assert.Equal("pages_show_list,pages_manage_posts,pages_read_engagement,read_insights", query["scope"]);
        Assert.False(query.ContainsKey("code_challenge"));
    }

    [Fact]
    public async Task Connecting_exchanges_the_code_then_a_long_lived_token_then_takes_the_publishable_page()
    {
        var account = await Connector().CompleteConnectAsync(new CodeExchange(FakeFacebookApi.Code, _fake.RedirectUri, null), default);

        Assert.Equal((FakeFacebookApi.PageId, "postnextbakery", "PostNext Bakery"), (account.ExternalId, account.Handle, account.DisplayName));
        Assert.Equal(_fake.PageToken, account.Tokens.AccessToken.Reveal());
        Assert.Equal(_fake.UserToken, account.Tokens.RefreshToken!.Reveal());
        Assert.Null(account.Tokens.ExpiresAt);
        Assert.Equal("user-77", account.Tokens.GrantOwner);

        var requests = _fake.Server.Requests;
        Assert.Equal(["/v25.0/oauth/access_token", "/v25.0/oauth/access_token", "/v25.0/me", "/v25.0/me/accounts"], requests.Select(r => r.Path));
        Assert.All(requests, r => Assert.Equal("GET", r.Method));
        var code = Query(requests[0]);
        Assert.Equal((ConnectorHarness.ClientId, ConnectorHarness.ClientSecret, FakeFacebookApi.Code, _fake.RedirectUri.ToString()),
            (code["client_id"].ToString(), code["client_secret"].ToString(), code["code"].ToString(), code["redirect_uri"].ToString()));
        var exchange = Query(requests[1]);
        Assert.Equal(("fb_exchange_token", FakeFacebookApi.ShortUserToken), (exchange["grant_type"].ToString(), exchange["fb_exchange_token"].ToString()));
        Assert.Equal(("Bearer " + _fake.UserToken, "id"), (requests[2].Header("Authorization"), Query(requests[2])["fields"].ToString()));
        Assert.Equal("Bearer " + _fake.UserToken, requests[3].Header("Authorization"));
        Assert.Equal("id,name,username,access_token,tasks", Query(requests[3])["fields"]);
    }

    [Fact]
    public async Task Connecting_offers_every_page_the_person_may_publish_to_each_with_its_own_page_token()
    {
        _fake.SecondPageGranted = true;

        var offered = await Connector().CompleteConnectChoicesAsync(new CodeExchange(FakeFacebookApi.Code, _fake.RedirectUri, null), default);

        // The read-only Page (ANALYZE only) is not offered; a Page with MANAGE is.
        Assert.Equal(
            [(FakeFacebookApi.PageId, "postnextbakery", "PostNext Bakery", ConnectCandidateKinds.Page, _fake.PageToken),
             (FakeFacebookApi.SecondPageId, "postnextcafe", "PostNext Café", ConnectCandidateKinds.Page, _fake.SecondPageToken)],
            offered.Select(a => (a.ExternalId, a.Handle, a.DisplayName, a.Kind, a.Tokens.AccessToken.Reveal())));
        Assert.All(offered, a => Assert.Equal((_fake.UserToken, "user-77"), (a.Tokens.RefreshToken!.Reveal(), a.Tokens.GrantOwner)));
        Assert.Equal(["/v25.0/oauth/access_token", "/v25.0/oauth/access_token", "/v25.0/me", "/v25.0/me/accounts"], _fake.Server.Requests.Select(r => r.Path));

        // Each Page publishes with its own token.
        var cafe = ConnectorHarness.Identity(PlatformIds.Facebook, FakeFacebookApi.SecondPageId, "postnextcafe", offered[1].Tokens.AccessToken.Reveal());
        var outcome = await Connector().PublishAsync(new PublishRequest("pub-cafe", "attempt-1", cafe, new PostContent("Flat whites all day", []), null, new MemoryJournal()), default);
        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.StartsWith(FakeFacebookApi.SecondPageId + "_", outcome.ExternalId, StringComparison.Ordinal);
        var feed = Assert.Single(_fake.Server.Requests, r => r.Path == $"/v25.0/{FakeFacebookApi.SecondPageId}/feed");
        Assert.Equal("Bearer " + _fake.SecondPageToken, feed.Header("Authorization"));
    }

    [Fact]
    public async Task A_used_or_wrong_code_fails_the_connection_as_auth()
    {
        var connector = Connector();
        await connector.CompleteConnectAsync(new CodeExchange(FakeFacebookApi.Code, _fake.RedirectUri, null), default);

        var ex = await Assert.ThrowsAsync<PlatformException>(() => connector.CompleteConnectAsync(new CodeExchange(FakeFacebookApi.Code, _fake.RedirectUri, null), default));

        Assert.Equal(ErrorCategory.Auth, ex.Error.Category);
        Assert.Contains("Invalid verification code", ex.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_wrong_app_secret_fails_the_code_exchange_as_auth_not_as_a_retry()
    {
        var connector = ConnectorHarness.Create<FacebookConnector>(
            PlatformIds.Facebook, FacebookConnector.Defaults, _fake.Server,
            (services, configuration) => services.AddConnector<FacebookConnector>(configuration, PlatformIds.Facebook, FacebookConnector.Defaults),
            extraSettings: new Dictionary<string, string?> { ["PostNext:Platforms:facebook:ClientSecret"] = "rotated-away" });

        var ex = await Assert.ThrowsAsync<PlatformException>(() => connector.CompleteConnectAsync(new CodeExchange(FakeFacebookApi.Code, _fake.RedirectUri, null), default));

        Assert.Equal((ErrorCategory.Auth, "1"), (ex.Error.Category, ex.Error.PlatformCode));
        Assert.Contains("Error validating client secret", ex.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_re_exchanges_the_kept_user_token_and_re_derives_the_page_token()
    {
        var connector = Connector();
        var account = await connector.CompleteConnectAsync(new CodeExchange(FakeFacebookApi.Code, _fake.RedirectUri, null), default);
        _fake.Server.ClearRequests();

        var refreshed = await connector.RefreshTokenAsync(account.Tokens, default);

        Assert.Null(refreshed.Error);
        Assert.NotEqual(account.Tokens.RefreshToken!.Reveal(), refreshed.Tokens!.RefreshToken!.Reveal());
        Assert.Equal(_fake.UserToken, refreshed.Tokens.RefreshToken.Reveal());
        Assert.Equal(_fake.PageToken, refreshed.Tokens.AccessToken.Reveal());
        Assert.Null(refreshed.Tokens.ExpiresAt);
        var exchange = Query(_fake.Server.Requests[0]);
        Assert.Equal(account.Tokens.RefreshToken.Reveal(), exchange["fb_exchange_token"]);
        Assert.Equal("Bearer " + account.Tokens.AccessToken.Reveal(), _fake.Server.Requests[1].Header("Authorization"));
    }

    [Fact]
    public async Task Refresh_without_a_kept_user_token_or_with_a_dead_one_is_auth()
    {
        var connector = Connector();
        var none = await connector.RefreshTokenAsync(new TokenSet(new Secret(_fake.PageToken), null, null), default);
        Assert.Equal(ErrorCategory.Auth, none.Error!.Category);
        Assert.Empty(_fake.Server.Requests);

        _fake.RevokeAll();
        var dead = await connector.RefreshTokenAsync(new TokenSet(new Secret("old-page"), new Secret(_fake.UserToken), null), default);
        Assert.Equal(ErrorCategory.Auth, dead.Error!.Category);
        Assert.Contains("Session has expired", dead.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Revoke_removes_the_apps_permissions_with_the_user_token()
    {
        var userToken = _fake.UserToken;
        await Connector().RevokeAsync(new TokenSet(new Secret(_fake.PageToken), new Secret(userToken), null), default);

        var request = Assert.Single(_fake.Server.Requests);
        Assert.Equal(("DELETE", "/v25.0/me/permissions", "Bearer " + userToken), (request.Method, request.Path, request.Header("Authorization")));
    }


    [Fact]
    public async Task A_first_comment_is_one_form_POST_to_the_posts_comments_edge_and_reconciliation_finds_it_by_its_text()
    {
        var connector = Connector();
        var post = await connector.PublishAsync(Request(new PostContent("Fresh bread", [])), default);
        var comment = new FollowUp(1, FollowUpKind.Comment, "Order at bakery.example", []);

        var outcome = await connector.PublishFollowUpAsync(new FollowUpRequest(Identity(), comment, post.ExternalId!, DateTimeOffset.UtcNow), default);

        Assert.True(outcome.Succeeded, outcome.Message);
        var sent = Assert.Single(_fake.Server.Requests, r => r.Method == "POST" && r.Path.EndsWith("/comments", StringComparison.Ordinal));
        Assert.Equal($"/v25.0/{post.ExternalId}/comments", sent.Path);
        Assert.Equal("Bearer " + _fake.PageToken, sent.Header("Authorization"));
        Assert.Equal(new Dictionary<string, string> { ["message"] = "Order at bakery.example" }, PostNext.Platforms.Tests.Common.ContractHelpers.Form(sent));
        var stored = Assert.Single(_fake.CommentEdge.On(post.ExternalId!));
        Assert.Equal((stored.Id, "Order at bakery.example"), (outcome.ExternalId, stored.Text));

        var found = await connector.FindFollowUpAsync(new FollowUpRequest(Identity(), comment, post.ExternalId!, DateTimeOffset.UtcNow), default);
        Assert.Equal((ReconcileState.Found, stored.Id), (found.State, found.Publication?.ExternalId));
        var missing = await connector.FindFollowUpAsync(new FollowUpRequest(Identity(), comment with { Text = "Never sent" }, post.ExternalId!, DateTimeOffset.UtcNow), default);
        Assert.Equal(ReconcileState.NotFound, missing.State);
    }

    [Fact]
    public async Task A_first_comment_Facebook_refuses_is_invalid_content_and_creates_nothing()
    {
        var connector = Connector();
        var post = await connector.PublishAsync(Request(new PostContent("Fresh bread", [])), default);
        _fake.CommentEdge.RefuseNext = (400, "(#100) Invalid parameter", 100);

        var outcome = await connector.PublishFollowUpAsync(
            new FollowUpRequest(Identity(), new FollowUp(1, FollowUpKind.Comment, "Refused", []), post.ExternalId!, DateTimeOffset.UtcNow), default);

        Assert.Equal(ErrorCategory.InvalidContent, outcome.ErrorCategory);
        Assert.Empty(_fake.CommentEdge.All);
    }

    [Fact]
    public async Task A_post_that_brings_the_app_usage_to_100_percent_succeeds_and_reports_the_account_blocked_for_the_hour()
    {
        var time = ConnectorHarness.FakeTime();
        _fake.Server.AddHeaders("POST", Feed, ("X-App-Usage", """{"call_count":100,"total_cputime":20,"total_time":25}"""));

        var outcome = await Connector(time).PublishAsync(Request(new PostContent("Last call of the hour", [])), default);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Single(_fake.Posts);
        var hour = time.GetUtcNow().AddHours(1);
        Assert.Equal(new PlatformLimit(100, 0, hour, hour), outcome.Limit);
    }

    [Fact]
    public async Task A_photo_upload_that_spends_the_page_budget_is_reported_even_though_the_post_itself_went_out()
    {
        var time = ConnectorHarness.FakeTime();
        _fake.Server.AddHeaders("POST", "/v25.0/1010/photos", ("X-Business-Use-Case-Usage",
            """{"1010":[{"type":"pages","call_count":100,"total_cputime":30,"total_time":40,"estimated_time_to_regain_access":30}]}"""));
        _fake.Server.AddHeaders("POST", Feed, ("X-App-Usage", """{"call_count":12,"total_cputime":3,"total_time":4}"""));

        var outcome = await Connector(time).PublishAsync(Request(new PostContent("With a photo", [new MediaItem("https://cdn.test/a.jpg", MediaType.Image)])), default);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal(time.GetUtcNow().AddMinutes(30), outcome.Limit?.BlockedUntil);
        Assert.Equal(0, outcome.Limit?.Remaining);
    }

    private FacebookConnector Connector(TimeProvider? time = null, TimeSpan? requestTimeout = null) => _fake.Connector(time, requestTimeout);

    private PublishingIdentity Identity(string? token = null) =>
        ConnectorHarness.Identity(PlatformIds.Facebook, FakeFacebookApi.PageId, "postnextbakery", token ?? _fake.PageToken);

    private PublishRequest Request(PostContent content, MemoryJournal? journal = null) =>
        new("pub-1", "attempt-1", Identity(), content, null, journal ?? new MemoryJournal());

    private static Dictionary<string, Microsoft.Extensions.Primitives.StringValues> Query(RecordedRequest request) => QueryHelpers.ParseQuery(request.Query);

    private static JsonObject Body(RecordedRequest request) => JsonNode.Parse(request.Body)!.AsObject();
}
