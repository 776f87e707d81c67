using PostNext.Abstractions;
using PostNext.Abstractions.Posts;

namespace PostNext.Grains.Tests.Posts;

/// <summary>A post whose index entry could not be written is still stored, and the repair reminder lists it without any further call.</summary>
public sealed class PostIndexRepairTests : IAsyncLifetime
{
    private readonly StorageFaults _faults = new();
    private SchedulingCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await SchedulingCluster.StartInMemoryAsync(silos: 1, faults: _faults);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_post_whose_index_write_failed_is_created_and_listed_after_the_repair_reminder()
    {
        var (ws, accounts) = await _cluster.CreateWorkspaceAsync(1);
        var postId = Ids.New(Ids.Post);
        _faults.FailNextWrites(FaultyPostIndexStore.StateName, postId, times: 2); // the write after saving, and the first repair tick

        var created = await _cluster.Client.GetGrain<IPostGrain>(postId).CreateAsync(new CreatePost(
            ws, new PostContent("indexed later", []), [new TargetSpec(accounts[0], "sandbox", null, null)], true, "UTC", "at", "fp"));

        Assert.Equal(PostOutcome.Created, created.Outcome);
        var list = _cluster.Client.GetGrain<IPostListGrain>(ws);
        Assert.Empty((await list.ListAsync(new PostListQuery(ws, null, null, null, null, null, 10))).Posts);
        Assert.Equal(1, _faults.Injected);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        IReadOnlyList<PostSummary> listed;
        do
        {
            await Task.Delay(250);
            listed = (await list.ListAsync(new PostListQuery(ws, null, null, null, null, null, 10))).Posts;
        }
        while (listed.Count == 0 && DateTime.UtcNow < deadline);

        var only = Assert.Single(listed);
        Assert.Equal((postId, PostStatus.Draft, "indexed later"), (only.Id, only.Status, only.Text));
    }
}
