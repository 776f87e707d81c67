using PostNext.Abstractions;
using PostNext.Abstractions.Posts;

namespace PostNext.Grains.Tests.Posts;

/// <summary>The posts list on PostgreSQL (postnext_posts and the calendar rows): drafts, live statuses, filters, paging, deletion.</summary>
[Collection(PostgresCollection.Name)]
public sealed class PostListTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Posts_are_listed_from_postgres_newest_first_with_live_statuses_filters_and_paging()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var cluster = await SchedulingCluster.StartOnPostgresAsync(database, Guid.NewGuid().ToString("N"));
        var (ws, accounts) = await cluster.CreateWorkspaceAsync(2);
        var list = cluster.Client.GetGrain<IPostListGrain>(ws);

        var draft = await CreateDraftAsync(cluster, ws, accounts[0], "A Summer SALE draft");
        var gone = await CreateDraftAsync(cluster, ws, accounts[1], "deleted soon");
        var published = await cluster.SchedulePostAsync(ws, [accounts[0]], DateTimeOffset.UtcNow.AddSeconds(1), "out now");
        var canceled = await cluster.SchedulePostAsync(ws, accounts, DateTimeOffset.UtcNow.AddHours(1), "sale, then canceled");
        var scheduled = await cluster.SchedulePostAsync(ws, [accounts[1]], DateTimeOffset.UtcNow.AddHours(2), "later");
        Assert.Equal(PostOutcome.Ok, (await cluster.Client.GetGrain<IPostGrain>(canceled).CancelAsync()).Outcome);
        Assert.Equal(PostOutcome.Ok, (await cluster.Client.GetGrain<IPostGrain>(gone).DeleteAsync()).Outcome);
        await cluster.WaitForPostAsync(published, p => p.Status == PostStatus.Published, TimeSpan.FromSeconds(30));

        async Task<List<string>> IdsAsync(PostStatus? status = null, string? account = null, string? search = null) =>
            (await list.ListAsync(new PostListQuery(ws, status, account, null, search, null, 50))).Posts.Select(p => p.Id).ToList();

        Assert.Equal([scheduled, canceled, published, draft], await IdsAsync());
        Assert.Equal([draft], await IdsAsync(PostStatus.Draft));
        Assert.Equal([scheduled], await IdsAsync(PostStatus.Scheduled));
        Assert.Equal([canceled], await IdsAsync(PostStatus.Canceled));
        Assert.Equal([published], await IdsAsync(PostStatus.Published));
        Assert.Equal([scheduled, canceled], await IdsAsync(account: accounts[1]));
        Assert.Equal([canceled, draft], await IdsAsync(search: "SaLe"));
        var listedPublished = (await list.ListAsync(new PostListQuery(ws, PostStatus.Published, null, "sandbox", null, null, 50))).Posts.Single();
        Assert.NotNull(Assert.Single(listedPublished.Targets).PublishedAt);

        var first = await list.ListAsync(new PostListQuery(ws, null, null, null, null, null, 3));
        var second = await list.ListAsync(new PostListQuery(ws, null, null, null, null, first.Next, 3));
        Assert.Equal([scheduled, canceled, published], first.Posts.Select(p => p.Id));
        Assert.Equal([draft], second.Posts.Select(p => p.Id));
        Assert.Null(second.Next);
    }

    private static async Task<string> CreateDraftAsync(SchedulingCluster cluster, string ws, string account, string text)
    {
        var id = Ids.New(Ids.Post);
        var result = await cluster.Client.GetGrain<IPostGrain>(id).CreateAsync(new CreatePost(
            ws, new PostContent(text, []), [new TargetSpec(account, "sandbox", null, null)], true, "UTC", "at", Guid.NewGuid().ToString("N")));
        Assert.Equal(PostOutcome.Created, result.Outcome);
        return id;
    }
}
