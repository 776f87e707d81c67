using System.Globalization;
using PostNext.Platforms.X;

namespace PostNext.Platforms.Tests.X;

/// <summary>
/// After an unknown outcome the X connector settles it on the user's timeline, from the checkpoint saved before the
/// create: found when the post is there, not found when it certainly is not, unknown when X cannot say.
/// </summary>
public sealed class XReconcileTests : IAsyncLifetime
{
    private XTestbed _x = null!;

    // The hung creates time out after this; the reconcile's own reads must not (a cold first read took over a second
    // on a machine loaded to 30, and the reconcile then answered Unknown).
    public async Task InitializeAsync() => _x = await XTestbed.StartAsync(requestTimeout: TimeSpan.FromSeconds(4));

    public async Task DisposeAsync() => await _x.DisposeAsync();

    [Fact]
    public async Task Reconciling_finds_the_post_on_the_timeline_despite_Xs_link_and_entity_rewriting()
    {
        var content = new PostContent("Read this & that <now> https://example.com/a?b=c", []);
        _x.Api.AddTweet("an older post", DateTimeOffset.UtcNow.AddHours(-1));
        _x.Api.CreateThenHang();

        var outcome = await _x.Connector.PublishAsync(_x.Publish(content), CancellationToken.None);
        Assert.Equal(ErrorCategory.UnknownOutcome, outcome.ErrorCategory);

        var found = await _x.Connector.FindPublicationAsync(_x.Reconcile(content), CancellationToken.None);

        Assert.Equal(ReconcileState.Found, found.State);
        var created = _x.Api.Tweets.Single(t => t.Text == content.Text);
        Assert.Equal(created.Id, found.Publication!.ExternalId);
        Assert.Equal($"https://x.com/{FakeXApi.Username}/status/{created.Id}", found.Publication.Permalink);
        var search = Assert.Single(_x.Requests("GET", $"/2/users/{FakeXApi.UserId}/tweets"));
        var sentAt = DateTimeOffset.Parse(_x.Journal.Saved[XConnector.CreateSentCheckpoint], CultureInfo.InvariantCulture);
        Assert.Contains("start_time=" + Uri.EscapeDataString(sentAt.AddMinutes(-2).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture)), search.Query);
        Assert.Contains("tweet.fields=created_at,attachments,note_tweet", search.Query);
    }

    [Fact]
    public async Task Reconciling_a_media_post_matches_the_saved_media_ids()
    {
        var content = new PostContent("pic", [new MediaItem(_x.Api.ServeFile("p.png", XConnectorTests.Bytes(100, 5), "image/png"), MediaType.Image)]);
        _x.Api.CreateThenHang();

        var outcome = await _x.Connector.PublishAsync(_x.Publish(content), CancellationToken.None);
        var found = await _x.Connector.FindPublicationAsync(_x.Reconcile(content with { Text = "edited afterwards" }), CancellationToken.None);

        Assert.Equal(ErrorCategory.UnknownOutcome, outcome.ErrorCategory);
        Assert.Equal(ReconcileState.Found, found.State);
        Assert.Equal(_x.Api.Tweets.Single().Id, found.Publication!.ExternalId);
    }

    [Fact]
    public async Task A_timeout_on_a_create_X_never_received_reconciles_to_not_found_once_the_visibility_grace_is_over()
    {
        var content = new PostContent("lost in transit", []);
        _x.Api.Server.Hang("POST", "/2/tweets", TimeSpan.FromSeconds(30));

        var outcome = await _x.Connector.PublishAsync(_x.Publish(content), CancellationToken.None);
        var tooEarly = await _x.Connector.FindPublicationAsync(_x.Reconcile(content), CancellationToken.None);
        SentAgo(XConnector.TimelineVisibilityGrace + TimeSpan.FromSeconds(1));
        var found = await _x.Connector.FindPublicationAsync(_x.Reconcile(content), CancellationToken.None);

        Assert.Equal(ErrorCategory.UnknownOutcome, outcome.ErrorCategory);
        Assert.Equal(ReconcileState.Unknown, tooEarly.State);
        Assert.Contains("not on the timeline yet", tooEarly.Detail, StringComparison.Ordinal);
        Assert.Equal(ReconcileState.NotFound, found.State);
        Assert.Empty(_x.Api.Tweets);
    }

    [Fact]
    public async Task A_post_X_created_but_does_not_list_yet_is_never_answered_not_found_within_the_grace()
    {
        var content = new PostContent("created, listed later", []);
        _x.Api.TimelineLag = TimeSpan.FromMinutes(10);
        _x.Api.CreateThenHang();

        var outcome = await _x.Connector.PublishAsync(_x.Publish(content), CancellationToken.None);
        var early = await _x.Connector.FindPublicationAsync(_x.Reconcile(content), CancellationToken.None);
        _x.Api.TimelineLag = TimeSpan.Zero; // X lists it now
        var later = await _x.Connector.FindPublicationAsync(_x.Reconcile(content), CancellationToken.None);

        Assert.Equal(ErrorCategory.UnknownOutcome, outcome.ErrorCategory);
        Assert.Single(_x.Api.Tweets);
        Assert.Equal(ReconcileState.Unknown, early.State);
        Assert.Equal(ReconcileState.Found, later.State);
        Assert.Equal(_x.Api.Tweets.Single().Id, later.Publication!.ExternalId);
    }

    [Fact]
    public async Task A_long_post_is_matched_on_its_note_tweet_text_not_the_cut_short_text()
    {
        var content = new PostContent(string.Join(' ', Enumerable.Repeat("A long post for subscribers & friends.", 12)), []);
        Assert.True(PostNext.Content.Rules.TwitterText.WeightedLength(content.Text) > 280);
        _x.Api.CreateThenHang();

        var outcome = await _x.Connector.PublishAsync(_x.Publish(content), CancellationToken.None);
        var found = await _x.Connector.FindPublicationAsync(_x.Reconcile(content), CancellationToken.None);

        Assert.Equal(ErrorCategory.UnknownOutcome, outcome.ErrorCategory);
        Assert.Equal(ReconcileState.Found, found.State);
        Assert.Equal(_x.Api.Tweets.Single().Id, found.Publication!.ExternalId);
    }

    /// <summary>Moves the saved create time back, as if the reconciliation ran that long after the attempt.</summary>
    private void SentAgo(TimeSpan ago) =>
        _x.Journal.Saved[XConnector.CreateSentCheckpoint] = DateTimeOffset.UtcNow.Subtract(ago).ToString("O", CultureInfo.InvariantCulture);

    [Fact]
    public async Task Without_a_create_checkpoint_the_create_was_never_sent_so_nothing_is_asked()
    {
        var request = new PublishRequest("pub-x-1", "attempt-1", _x.Account, new PostContent("never sent", []), new Dictionary<string, string>());

        var found = await _x.Connector.FindPublicationAsync(request, CancellationToken.None);

        Assert.Equal(ReconcileState.NotFound, found.State);
        Assert.Empty(_x.Api.Server.Requests);
    }

    [Fact]
    public async Task A_timeline_X_cannot_serve_leaves_the_outcome_unknown()
    {
        _x.Journal.Saved[XConnector.CreateSentCheckpoint] = DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture);
        for (var i = 0; i < 3; i++)
        {
            // The HTTP client retries a limited read twice before giving up.
            _x.Api.Server.Fail("GET", "/2/users", 429, """{"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429}""");
        }

        var found = await _x.Connector.FindPublicationAsync(_x.Reconcile(new PostContent("x", [])), CancellationToken.None);

        Assert.Equal(ReconcileState.Unknown, found.State);
    }
}
