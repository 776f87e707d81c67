using PostNext.Abstractions;
using PostNext.Abstractions.Posts;

namespace PostNext.Grains.Tests.Posts;

/// <summary>
/// A post's activation writes its index entry only when the index does not hold it as stored: reading an indexed
/// post writes nothing, and a post whose index write was cut off after its state was written is indexed by its next
/// activation. The repair reminder is an hour away here, so only the activation can do it.
/// </summary>
public sealed class PostIndexActivationTests : IAsyncLifetime
{
    private readonly StorageFaults _faults = new();
    private SchedulingCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await SchedulingCluster.StartInMemoryAsync(
        silos: 1, faults: _faults, settings: new Dictionary<string, string?> { ["PostNext:Scheduling:ReminderPeriod"] = "01:00:00" });

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Activating_an_indexed_post_writes_nothing_to_the_index()
    {
        var (ws, accounts) = await _cluster.CreateWorkspaceAsync(1);
        var postId = await CreateDraftAsync(ws, accounts[0], "already indexed");
        Assert.Equal(1, _faults.Written(FaultyPostIndexStore.StateName, postId));

        for (var i = 0; i < 3; i++)
        {
            await CollectAsync();
            Assert.Equal("already indexed", (await _cluster.Client.GetGrain<IPostGrain>(postId).GetAsync())!.Content.Text); // a cold read
        }

        Assert.Equal(1, _faults.Written(FaultyPostIndexStore.StateName, postId));
    }

    [Fact]
    public async Task A_post_whose_index_write_was_cut_off_is_indexed_by_its_next_activation()
    {
        var (ws, accounts) = await _cluster.CreateWorkspaceAsync(1);
        var postId = Ids.New(Ids.Post);
        _faults.FailNextWrites(FaultyPostIndexStore.StateName, postId); // the state is written, its index entry is not
        await CreateDraftAsync(ws, accounts[0], "indexed on activation", postId);
        var list = _cluster.Client.GetGrain<IPostListGrain>(ws);
        Assert.Empty((await list.ListAsync(new PostListQuery(ws, null, null, null, null, null, 10))).Posts);

        await CollectAsync();
        await _cluster.Client.GetGrain<IPostGrain>(postId).GetAsync();

        var only = Assert.Single((await list.ListAsync(new PostListQuery(ws, null, null, null, null, null, 10))).Posts);
        Assert.Equal((postId, "indexed on activation"), (only.Id, only.Text));
        Assert.Equal(1, _faults.Written(FaultyPostIndexStore.StateName, postId));
    }

    private async Task<string> CreateDraftAsync(string ws, string account, string text, string? postId = null)
    {
        postId ??= Ids.New(Ids.Post);
        var created = await _cluster.Client.GetGrain<IPostGrain>(postId).CreateAsync(new CreatePost(
            ws, new PostContent(text, []), [new TargetSpec(account, "sandbox", null, null)], true, "UTC", "at", "fp"));
        Assert.Equal(PostOutcome.Created, created.Outcome);
        return postId;
    }

    private Task CollectAsync() => _cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
}
