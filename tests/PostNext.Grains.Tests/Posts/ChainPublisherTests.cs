using PostNext.Abstractions.Posts;
using PostNext.Grains.Posts.Publishing;
using PostNext.Platforms;
using PostNext.Platforms.Tests.Common;
using PostNext.Platforms.Tests.X;
using PostNext.Platforms.X;

namespace PostNext.Grains.Tests.Posts;

/// <summary>
/// The chain's reconciliation with the real X connector against the X fake: a reply whose lease has no known outcome
/// is looked for under the part before it; found, it is never sent again; certainly not there (after X's timeline
/// grace), it is sent once more; before the grace X cannot tell, and nothing is sent.
/// </summary>
public sealed class ChainPublisherTests : IAsyncLifetime
{
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _time = ConnectorHarness.FakeTime();
    private XTestbed _x = null!;

    public async Task InitializeAsync() => _x = await XTestbed.StartAsync(_time);

    public async Task DisposeAsync() => await _x.DisposeAsync();

    private static PostContent Thread(string text, params string[] replies) =>
        new(text, [], Options: new PostOptions(X: new XPostOptions([.. replies.Select(r => new ThreadPart(r))])));

    /// <summary>Part 0 is out (on X and checkpointed) and part 1's lease was taken at the fake clock's now.</summary>
    private FakeTweet PostOutWithReplyInDoubt()
    {
        var post = _x.Api.AddTweet("1/3 Out", DateTimeOffset.UtcNow);
        _x.Journal.Saved[ChainCheckpoints.Key(0)] = ChainCheckpoints.Sent(PublishOutcome.Success(post.Id, XConnector.Permalink(FakeXApi.Username, post.Id), _time.GetUtcNow()));
        _x.Journal.Saved[ChainCheckpoints.Key(1)] = ChainCheckpoints.Sending("attempt-1", _time.GetUtcNow());
        return post;
    }

    private PublishRequest Attempt(PostContent content, string attemptId) =>
        new("pub-x-1", attemptId, _x.Account, content, new Dictionary<string, string>(_x.Journal.Saved), _x.Journal);

    private int Creates(string text) => _x.Requests("POST", "/2/tweets").Count(r => r.Body.Contains(text, StringComparison.Ordinal));

    [Fact]
    public async Task A_reply_in_doubt_that_X_has_is_recorded_and_only_the_parts_after_it_are_sent()
    {
        var content = Thread("1/3 Out", "2/3 In doubt", "3/3 Next");
        var post = PostOutWithReplyInDoubt();
        var reply = _x.Api.AddTweet("2/3 In doubt", DateTimeOffset.UtcNow);
        reply.InReplyTo = post.Id;

        var found = await ChainPublisher.FindAsync(_x.Connector, Attempt(content, "attempt-1"), CancellationToken.None);

        Assert.Equal(ReconcileState.Partial, found.State);
        Assert.Equal(reply.Id, ChainCheckpoints.Read(_x.Journal.Saved, 1)!.ExternalId);
        var outcome = await ChainPublisher.PublishAsync(_x.Connector, Attempt(content, "attempt-2"), _time, CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal(post.Id, outcome.ExternalId);
        Assert.Equal(0, Creates("2/3 In doubt"));
        var last = Assert.Single(_x.Requests("POST", "/2/tweets"));
        XTestbed.AssertJson($$$"""{"text":"3/3 Next","reply":{"in_reply_to_tweet_id":"{{{reply.Id}}}"}}""", last.Body);
        Assert.Equal(PartState.Sent, ChainCheckpoints.Read(_x.Journal.Saved, 2)!.State);
        var whole = await ChainPublisher.FindAsync(_x.Connector, Attempt(content, "attempt-2"), CancellationToken.None);
        Assert.Equal(ReconcileState.Found, whole.State);
        Assert.Equal(post.Id, whole.Publication!.ExternalId);
    }

    [Fact]
    public async Task A_reply_in_doubt_that_X_does_not_have_is_sent_once_more_only_after_the_timeline_grace()
    {
        var content = Thread("1/3 Out", "2/3 Lost", "3/3 Next");
        var post = PostOutWithReplyInDoubt();

        _time.Advance(TimeSpan.FromMinutes(1));
        var early = await ChainPublisher.FindAsync(_x.Connector, Attempt(content, "attempt-1"), CancellationToken.None);
        Assert.Equal(ReconcileState.Unknown, early.State);
        var refused = await ChainPublisher.PublishAsync(_x.Connector, Attempt(content, "attempt-2"), _time, CancellationToken.None);
        Assert.Equal(ErrorCategory.UnknownOutcome, refused.ErrorCategory); // still in doubt: nothing is sent
        Assert.Empty(_x.Requests("POST", "/2/tweets"));

        _time.Advance(XConnector.TimelineVisibilityGrace);
        var late = await ChainPublisher.FindAsync(_x.Connector, Attempt(content, "attempt-1"), CancellationToken.None);
        Assert.Equal(ReconcileState.Partial, late.State);
        Assert.Equal(PartState.Unsent, ChainCheckpoints.Read(_x.Journal.Saved, 1)!.State);
        var outcome = await ChainPublisher.PublishAsync(_x.Connector, Attempt(content, "attempt-2"), _time, CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal(1, Creates("2/3 Lost"));
        Assert.Equal(1, Creates("3/3 Next"));
        var replies = _x.Api.Tweets.Skip(1).ToList();
        Assert.Equal([post.Id, replies[0].Id], replies.Select(t => t.InReplyTo));
    }

    [Fact]
    public async Task A_thread_whose_reply_spends_the_last_of_the_window_reports_that_limit_on_the_chain_outcome()
    {
        var reset = _time.GetUtcNow().AddMinutes(15);
        var resetUnix = reset.ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture);
        _x.Api.Server.AddHeaders("POST", "/2/tweets", ("x-rate-limit-limit", "100"), ("x-rate-limit-remaining", "1"), ("x-rate-limit-reset", resetUnix));
        _x.Api.Server.AddHeaders("POST", "/2/tweets", ("x-rate-limit-limit", "100"), ("x-rate-limit-remaining", "0"), ("x-rate-limit-reset", resetUnix));

        var outcome = await ChainPublisher.PublishAsync(_x.Connector, Attempt(Thread("1/2 First", "2/2 Last"), "attempt-1"), _time, CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal(2, _x.Api.Tweets.Count);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(reset.ToUnixTimeSeconds()), outcome.Limit?.BlockedUntil);
        Assert.Equal(0, outcome.Limit?.Remaining);
    }
}
