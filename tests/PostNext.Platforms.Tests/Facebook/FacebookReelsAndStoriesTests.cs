using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PostNext.Abstractions;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;
using PostNext.Platforms.Facebook;
using PostNext.Platforms.Tests.Common;
using PostNext.Testing;

namespace PostNext.Platforms.Tests.Facebook;

/// <summary>
/// Issue #13: Facebook Page reels and stories chosen by <c>options.facebook.type</c>, against the loopback Graph API:
/// the exact calls of the Reels Publishing API and the Stories API, and exactly once — the video or photo id is
/// checkpointed before the publishing call, so an unknown outcome is settled by asking about that media, never by
/// uploading again.
/// </summary>
public sealed class FacebookReelsAndStoriesTests : IAsyncLifetime
{
    private const string Reels = "/v25.0/1010/video_reels";
    private FakeFacebookApi _fake = null!;

    public async Task InitializeAsync() => _fake = await FakeFacebookApi.StartAsync();

    public async Task DisposeAsync() => await _fake.DisposeAsync();

    [Fact]
    public async Task A_reel_opens_an_upload_session_hands_over_the_hosted_file_and_finishes_published_with_its_description()
    {
        var journal = new MemoryJournal();
        var outcome = await Connector().PublishAsync(Request(Reel("Morning bake in 30 s"), journal), default);

        Assert.True(outcome.Succeeded, outcome.Message);
        var videoId = Assert.Single(_fake.Sessions.Keys);
        var posts = _fake.Server.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal([Reels, $"/video-upload/v25.0/{videoId}", Reels], posts.Select(r => r.Path));
        Assert.Equal("""{"upload_phase":"start"}""", posts[0].Body);
        Assert.Equal(("OAuth " + _fake.PageToken, "https://cdn.test/bake.mp4"), (posts[1].Header("Authorization"), posts[1].Header("file_url")));
        Assert.Equal($$"""{"upload_phase":"finish","video_id":"{{videoId}}","video_state":"PUBLISHED","description":"Morning bake in 30 s"}""", posts[2].Body);
        Assert.All(_fake.Server.Requests.Where(r => r.Path.StartsWith("/v25.0/", StringComparison.Ordinal)), r => Assert.Equal("Bearer " + _fake.PageToken, r.Header("Authorization")));
        Assert.Contains(_fake.Server.Requests, r => r.Method == "GET" && r.Path == $"/v25.0/{videoId}" && r.Query.Contains("fields=status", StringComparison.Ordinal));
        Assert.Equal((videoId, $"https://www.facebook.com/reel/{videoId}"), (outcome.ExternalId, outcome.Permalink));
        Assert.Equal("Morning bake in 30 s", _fake.Sessions[videoId].Description);
        Assert.Equal(videoId, journal.Saved[FacebookConnector.ReelCheckpoint]);
    }

    [Fact]
    public async Task A_reel_whose_finish_answer_was_lost_is_found_by_its_video_status_and_never_uploaded_again()
    {
        _fake.HangNextReelFinish = true;
        _fake.ReelPollsUntilPublished = 0;
        var journal = new MemoryJournal();
        var request = Request(Reel("Lost finish"), journal);
        var connector = Connector(requestTimeout: TimeSpan.FromMilliseconds(700));

        var outcome = await connector.PublishAsync(request, default);

        Assert.Equal(ErrorCategory.UnknownOutcome, outcome.ErrorCategory);
        var videoId = Assert.Single(_fake.Sessions.Keys);
        _fake.Server.ClearRequests();
        var reconciled = await connector.FindPublicationAsync(request with { Checkpoints = journal.Saved }, default);

        Assert.Equal(ReconcileState.Found, reconciled.State);
        Assert.Equal((videoId, $"https://www.facebook.com/reel/{videoId}"), (reconciled.Publication!.ExternalId, reconciled.Publication.Permalink));
        var read = Assert.Single(_fake.Server.Requests);
        Assert.Equal(("GET", $"/v25.0/{videoId}"), (read.Method, read.Path));

        var again = await connector.PublishAsync(request with { Checkpoints = journal.Saved }, default);
        Assert.Equal((true, videoId), (again.Succeeded, again.ExternalId));
        Assert.DoesNotContain(_fake.Server.Requests, r => r.Method == "POST");
        Assert.Single(_fake.Sessions);
    }

    [Fact]
    public async Task A_reel_finished_and_still_processing_stays_unknown_and_is_not_finished_again_meanwhile()
    {
        var time = ConnectorHarness.FakeTime();
        _fake.HangNextReelFinish = true;
        _fake.ReelPollsUntilPublished = 1000;
        var journal = new MemoryJournal();
        var request = Request(Reel("Slow processing"), journal);
        var connector = Connector(time, TimeSpan.FromMilliseconds(700));

        await connector.PublishAsync(request, default);
        var reconciled = await connector.FindPublicationAsync(request with { Checkpoints = journal.Saved }, default);
        _fake.Server.ClearRequests();
        var retried = await connector.PublishAsync(request with { Checkpoints = journal.Saved }, default);

        Assert.Equal(ReconcileState.Unknown, reconciled.State);
        Assert.Equal(ErrorCategory.UnknownOutcome, retried.ErrorCategory);
        Assert.DoesNotContain(_fake.Server.Requests, r => r.Method == "POST");
    }

    [Fact]
    public async Task A_reel_stopped_before_its_finish_is_not_found_and_the_retry_carries_on_with_the_same_video()
    {
        _fake.FailNextUpload = true;
        var journal = new MemoryJournal();
        var request = Request(Reel("Second try"), journal);
        var connector = Connector();

        var first = await connector.PublishAsync(request, default);
        var reconciled = await connector.FindPublicationAsync(request with { Checkpoints = journal.Saved }, default);
        var second = await connector.PublishAsync(request with { Checkpoints = journal.Saved }, default);

        Assert.Equal(ErrorCategory.Transient, first.ErrorCategory);
        Assert.Equal(ReconcileState.NotFound, reconciled.State);
        Assert.True(second.Succeeded, second.Message);
        var videoId = Assert.Single(_fake.Sessions.Keys);
        Assert.Equal(videoId, second.ExternalId);
        Assert.Single(_fake.Server.Requests, r => r.Path == Reels && r.Body.Contains("\"start\"", StringComparison.Ordinal));
        Assert.Single(_fake.Server.Requests, r => r.Path == Reels && r.Body.Contains("\"finish\"", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_reel_over_the_pages_daily_reel_limit_is_rate_limited_until_the_window_has_passed_not_refused_as_invalid_content()
    {
        _fake.ReelsPerDay = 2;
        Assert.True((await Connector().PublishAsync(Request(Reel("First")), default)).Succeeded);
        Assert.True((await Connector().PublishAsync(Request(Reel("Second")), default)).Succeeded);

        var before = DateTimeOffset.UtcNow;
        var third = await Connector().PublishAsync(Request(Reel("Third")), default);

        Assert.Equal(ErrorCategory.RateLimited, third.ErrorCategory);
        Assert.Contains("limit", third.Message, StringComparison.OrdinalIgnoreCase);
        Assert.InRange(third.RetryAfter!.Value, before + FacebookErrors.ReelsWindow, DateTimeOffset.UtcNow + FacebookErrors.ReelsWindow);
        Assert.Equal(2, _fake.Sessions.Values.Count(s => s.Finished));
    }

    [Fact]
    public async Task A_reel_upload_url_answered_on_another_host_is_refused_and_the_token_never_goes_there()
    {
        // Another server on the same loopback address, another port: not the Graph API the connector is configured for.
        await using var foreign = await FakePlatformServer.StartAsync(app => app.MapPost("/{**path}", () => Results.Json(new { success = true })));
        _fake.UploadUrlBase = foreign.BaseUrl;

        var outcome = await Connector().PublishAsync(Request(Reel("Not there")), default);

        Assert.False(outcome.Succeeded);
        Assert.Contains("not Facebook's", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(foreign.Requests);
        Assert.DoesNotContain(_fake.Server.Requests, r => r.Path.StartsWith("/video-upload/", StringComparison.Ordinal));
        Assert.DoesNotContain(_fake.Server.Requests, r => r.Method == "POST" && r.Body.Contains("finish", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_photo_story_uploads_the_photo_unpublished_then_publishes_it_as_a_story_without_the_text()
    {
        var journal = new MemoryJournal();
        var outcome = await Connector().PublishAsync(Request(Story("Not shown on a story", "https://cdn.test/story.jpg", MediaType.Image), journal), default);

        Assert.True(outcome.Succeeded, outcome.Message);
        var posts = _fake.Server.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal(["/v25.0/1010/photos", "/v25.0/1010/photo_stories"], posts.Select(r => r.Path));
        Assert.Equal("""{"url":"https://cdn.test/story.jpg","published":false}""", posts[0].Body);
        var photoId = JsonNode.Parse(posts[1].Body)!["photo_id"]!.ToString();
        Assert.Equal($$"""{"photo_id":"{{photoId}}"}""", posts[1].Body);
        Assert.DoesNotContain(posts, r => r.Body.Contains("Not shown", StringComparison.Ordinal));
        var story = Assert.Single(_fake.Stories.Values);
        Assert.Equal((story["post_id"]!.ToString(), photoId), (outcome.ExternalId, story["media_id"]!.ToString()));
        Assert.Equal((photoId, outcome.ExternalId), (journal.Saved[FacebookConnector.StoryMediaCheckpoint], journal.Saved[FacebookConnector.StoryCheckpoint]));
    }

    [Fact]
    public async Task A_video_story_goes_through_its_own_upload_session_and_finish()
    {
        var outcome = await Connector().PublishAsync(Request(Story("", "https://cdn.test/story.mp4", MediaType.Video)), default);

        Assert.True(outcome.Succeeded, outcome.Message);
        var videoId = Assert.Single(_fake.Sessions.Keys);
        var posts = _fake.Server.Requests.Where(r => r.Method == "POST").ToList();
        Assert.Equal(["/v25.0/1010/video_stories", $"/video-upload/v25.0/{videoId}", "/v25.0/1010/video_stories"], posts.Select(r => r.Path));
        Assert.Equal("""{"upload_phase":"start"}""", posts[0].Body);
        Assert.Equal("https://cdn.test/story.mp4", posts[1].Header("file_url"));
        Assert.Equal($$"""{"upload_phase":"finish","video_id":"{{videoId}}"}""", posts[2].Body);
        Assert.Equal(("story", videoId), (_fake.Sessions[videoId].Kind, Assert.Single(_fake.Stories.Values)["media_id"]!.ToString()));
    }

    [Fact]
    public async Task A_story_whose_answer_was_lost_is_found_among_the_pages_stories_by_its_media_and_not_sent_again()
    {
        _fake.PublishPhotoStoryThenHang();
        var journal = new MemoryJournal();
        var request = Request(Story("x", "https://cdn.test/lost.jpg", MediaType.Image), journal);
        var connector = Connector(requestTimeout: TimeSpan.FromMilliseconds(700));

        var outcome = await connector.PublishAsync(request, default);

        Assert.Equal(ErrorCategory.UnknownOutcome, outcome.ErrorCategory);
        var story = Assert.Single(_fake.Stories.Values);
        _fake.Server.ClearRequests();
        var reconciled = await connector.FindPublicationAsync(request with { Checkpoints = journal.Saved }, default);

        Assert.Equal(ReconcileState.Found, reconciled.State);
        Assert.Equal((story["post_id"]!.ToString(), story["url"]!.ToString()), (reconciled.Publication!.ExternalId, reconciled.Publication.Permalink));
        var list = Assert.Single(_fake.Server.Requests);
        Assert.Equal(("GET", "/v25.0/1010/stories"), (list.Method, list.Path));

        var again = await connector.PublishAsync(request with { Checkpoints = journal.Saved }, default);
        Assert.Equal((true, story["post_id"]!.ToString()), (again.Succeeded, again.ExternalId));
        Assert.DoesNotContain(_fake.Server.Requests, r => r.Method == "POST");
        Assert.Single(_fake.Stories);
    }

    [Fact]
    public async Task A_story_facebook_never_took_is_not_found_and_the_retry_publishes_the_same_photo_once()
    {
        _fake.Server.Hang("POST", "/v25.0/1010/photo_stories", TimeSpan.FromSeconds(30));
        var journal = new MemoryJournal();
        var request = Request(Story("x", "https://cdn.test/again.jpg", MediaType.Image), journal);
        var connector = Connector(requestTimeout: TimeSpan.FromMilliseconds(700));

        var first = await connector.PublishAsync(request, default);
        var reconciled = await connector.FindPublicationAsync(request with { Checkpoints = journal.Saved }, default);
        var second = await connector.PublishAsync(request with { Checkpoints = journal.Saved }, default);

        Assert.Equal((ErrorCategory.UnknownOutcome, ReconcileState.NotFound), (first.ErrorCategory, reconciled.State));
        Assert.True(second.Succeeded, second.Message);
        Assert.Single(_fake.Server.Requests, r => r.Path == "/v25.0/1010/photos");
        Assert.Equal(journal.Saved[FacebookConnector.StoryMediaCheckpoint], Assert.Single(_fake.Stories.Values)["media_id"]!.ToString());
    }

    [Fact]
    public async Task Reel_metrics_read_its_plays_and_story_metrics_are_not_available_without_asking()
    {
        var reel = await Connector().PublishAsync(Request(Reel("Count the plays")), default);
        _fake.Server.ClearRequests();

        var reelMetrics = await Connector().ReadPostMetricsAsync(new PostMetricsRequest(Identity(), reel.ExternalId!, DateTimeOffset.UtcNow, Reel("Count the plays")), default);
        var storyMetrics = await Connector().ReadPostMetricsAsync(new PostMetricsRequest(Identity(), "555", DateTimeOffset.UtcNow, Story("", "https://cdn.test/s.jpg", MediaType.Image)), default);

        Assert.Equal((FakeFacebookApi.Reactions, FakeFacebookApi.Comments), (reelMetrics.Value!.Likes, reelMetrics.Value.Comments));
        Assert.Contains(_fake.Server.Requests, r => r.Path == $"/v25.0/{reel.ExternalId}/video_insights" && r.Query.Contains("metric=fb_reels_total_plays", StringComparison.Ordinal));
        Assert.Equal(ErrorCategory.InvalidContent, storyMetrics.Error!.Category);
        Assert.DoesNotContain(_fake.Server.Requests, r => r.Path.Contains("555", StringComparison.Ordinal));
    }

    private static PostContent Reel(string text) =>
        new(text, [new MediaItem("https://cdn.test/bake.mp4", MediaType.Video)], Options: new PostOptions(Facebook: new FacebookPostOptions(PostTypes.Reel)));

    private static PostContent Story(string text, string url, MediaType type) =>
        new(text, [new MediaItem(url, type)], Options: new PostOptions(Facebook: new FacebookPostOptions(PostTypes.Story)));

    private FacebookConnector Connector(TimeProvider? time = null, TimeSpan? requestTimeout = null) => _fake.Connector(time, requestTimeout);

    private PublishingIdentity Identity() => ConnectorHarness.Identity(PlatformIds.Facebook, FakeFacebookApi.PageId, "postnextbakery", _fake.PageToken);

    private PublishRequest Request(PostContent content, MemoryJournal? journal = null) =>
        new("pub-1", "attempt-1", Identity(), content, null, journal ?? new MemoryJournal());
}
