using Microsoft.Extensions.DependencyInjection;
using PostNext.Abstractions.Posts;
using PostNext.Grains.Posts.Publishing;
using PostNext.Platforms.Tests.X;
using static PostNext.Grains.Tests.Posts.ThreadCluster;

namespace PostNext.Grains.Tests.Posts;

/// <summary>
/// X threads on real clusters against the X fake: the parts go out in order, each replying to the one before; an attempt
/// cut off between parts resumes at the first part not confirmed and never sends a part twice.
/// </summary>
public sealed class ThreadTests
{
    [Fact]
    public async Task A_three_part_thread_publishes_in_order_each_reply_answering_the_previous_part()
    {
        await using var x = await FakeXApi.StartAsync();
        await using var cluster = await SchedulingCluster.StartInMemoryAsync(1, Settings(x));
        var (ws, account) = await ConnectXAsync(cluster);

        var postId = await PostThreadAsync(cluster, ws, account, "1/3 A thread", "2/3 goes on", "3/3 and ends");
        var post = await cluster.WaitForPostAsync(postId, ChainDone, TimeSpan.FromSeconds(30));

        AssertThread(x, post, "1/3 A thread", "2/3 goes on", "3/3 and ends");
        Assert.Equal(3, Creates(x));
    }

    [Fact]
    public async Task A_reply_whose_answer_never_came_is_found_on_the_timeline_and_not_sent_again()
    {
        await using var x = await FakeXApi.StartAsync();
        x.HangAtCreate = 2; // the second part is created, and its answer never comes
        await using var cluster = await SchedulingCluster.StartInMemoryAsync(1, Settings(x,
            ("PostNext:Scheduling:PublishTimeout", "00:00:03"), ("PostNext:Scheduling:LeaseMargin", "00:00:01")));
        var (ws, account) = await ConnectXAsync(cluster);

        var postId = await PostThreadAsync(cluster, ws, account, "1/3 Cut off", "2/3 in doubt", "3/3 after the doubt");
        var post = await cluster.WaitForPostAsync(postId, ChainDone, TimeSpan.FromSeconds(40));

        AssertThread(x, post, "1/3 Cut off", "2/3 in doubt", "3/3 after the doubt");
        Assert.Equal(3, Creates(x));
        Assert.Contains(x.Server.Requests, r => r.Method == "GET" && r.Path == $"/2/users/{FakeXApi.UserId}/tweets" && r.Query.Contains("referenced_tweets"));
    }

    [Fact]
    public async Task A_reply_X_refused_with_a_503_is_sent_again_once_and_the_parts_before_it_are_not()
    {
        await using var x = await FakeXApi.StartAsync();
        x.UnavailableAtCreate = 2; // nothing is created: known not to have taken effect
        await using var cluster = await SchedulingCluster.StartInMemoryAsync(1, Settings(x));
        var (ws, account) = await ConnectXAsync(cluster);

        var postId = await PostThreadAsync(cluster, ws, account, "1/3 Retry", "2/3 refused once", "3/3 then fine");
        var post = await cluster.WaitForPostAsync(postId, ChainDone, TimeSpan.FromSeconds(40));

        AssertThread(x, post, "1/3 Retry", "2/3 refused once", "3/3 then fine");
        Assert.Equal(4, Creates(x)); // part 1, part 2 refused, part 2 again, part 3
        Assert.Equal(2, x.Server.Requests.Count(r => r.Method == "POST" && r.Path == "/2/tweets" && r.Body.Contains("2/3 refused once")));
    }

    [Fact]
    public async Task A_reply_X_refuses_for_good_leaves_the_post_published_with_the_part_failed_and_the_rest_not_sent()
    {
        await using var x = await FakeXApi.StartAsync();
        await using var cluster = await SchedulingCluster.StartInMemoryAsync(1, Settings(x));
        var (ws, account) = await ConnectXAsync(cluster);
        x.AddTweet("2/3 already said", DateTimeOffset.UtcNow.AddDays(-1)); // X refuses a duplicate text (403)

        var postId = await PostThreadAsync(cluster, ws, account, "1/3 Stands", "2/3 already said", "3/3 never sent");
        var post = await cluster.WaitForPostAsync(postId, ChainDone, TimeSpan.FromSeconds(30));

        var publication = Assert.Single(post.Targets).Publication!;
        Assert.Equal(PublicationStatus.Published, publication.Status);
        Assert.Equal(PostStatus.Published, post.Status);
        var parts = publication.Parts!;
        Assert.Equal(["published", "failed", "not_sent"], parts.Select(p => p.Status));
        Assert.Contains("duplicate", parts[1].Error, StringComparison.OrdinalIgnoreCase);
        Assert.Equal(2, Creates(x));
    }
}
