using PostNext.Platforms.Tests.Common;
using PostNext.Platforms.X;

namespace PostNext.Platforms.Tests.X;

/// <summary>A thread's parts: each a POST /2/tweets replying to the part before it, and found again under that part on the timeline.</summary>
public sealed class XThreadTests : IAsyncLifetime
{
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _time = ConnectorHarness.FakeTime();
    private XTestbed _x = null!;

    public async Task InitializeAsync() => _x = await XTestbed.StartAsync(_time, chunkSize: 1024);

    public async Task DisposeAsync() => await _x.DisposeAsync();

    [Fact]
    public async Task A_thread_part_is_a_post_in_reply_to_the_previous_part_with_its_own_media()
    {
        var first = _x.Api.AddTweet("1/2 The post", DateTimeOffset.UtcNow);
        var image = _x.Api.ServeFile("part.png", new byte[1500], "image/png");
        var part = new FollowUp(1, FollowUpKind.Reply, "2/2 The reply", [new MediaItem(image, MediaType.Image)]);

        var outcome = await _x.Connector.PublishFollowUpAsync(new FollowUpRequest(_x.Account, part, first.Id, _time.GetUtcNow()), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Message);
        var upload = Assert.Single(_x.Api.Uploads.Values);
        var create = Assert.Single(_x.Requests("POST", "/2/tweets"));
        XTestbed.AssertJson(
            $$$"""{"text":"2/2 The reply","media":{"media_ids":["{{{upload.Id}}}"]},"reply":{"in_reply_to_tweet_id":"{{{first.Id}}}"}}""", create.Body);
        var reply = _x.Api.Tweets.Single(t => t.Id == outcome.ExternalId);
        Assert.Equal(first.Id, reply.InReplyTo);
        Assert.Equal($"https://x.com/{FakeXApi.Username}/status/{reply.Id}", outcome.Permalink);
    }

    [Fact]
    public async Task A_reply_in_doubt_is_found_under_its_parent_and_not_found_only_after_the_timeline_grace()
    {
        var first = _x.Api.AddTweet("1/2 The post", DateTimeOffset.UtcNow);
        var other = _x.Api.AddTweet("2/2 Lost", DateTimeOffset.UtcNow);
        other.InReplyTo = "1"; // the same text under another post is not this part
        var part = new FollowUp(1, FollowUpKind.Reply, "2/2 Lost", []);
        var request = new FollowUpRequest(_x.Account, part, first.Id, _time.GetUtcNow());

        var early = await _x.Connector.FindFollowUpAsync(request, CancellationToken.None);
        Assert.Equal(ReconcileState.Unknown, early.State);
        var search = _x.Requests("GET", $"/2/users/{FakeXApi.UserId}/tweets").Last();
        Assert.Contains("referenced_tweets", search.Query, StringComparison.Ordinal);
        Assert.DoesNotContain("replies", search.Query, StringComparison.Ordinal);

        _time.Advance(XConnector.TimelineVisibilityGrace);
        Assert.Equal(ReconcileState.NotFound, (await _x.Connector.FindFollowUpAsync(request, CancellationToken.None)).State);

        var reply = _x.Api.AddTweet("2/2  Lost", DateTimeOffset.UtcNow); // X's rewriting: spaces collapse
        reply.InReplyTo = first.Id;
        var found = await _x.Connector.FindFollowUpAsync(request, CancellationToken.None);
        Assert.Equal((ReconcileState.Found, reply.Id), (found.State, found.Publication?.ExternalId));
    }
}
