using Microsoft.Extensions.DependencyInjection;
using Npgsql;
using Orleans.Storage;
using PostNext.Abstractions;
using PostNext.Abstractions.Posts;
using PostNext.Grains.Posts;
using PostNext.Storage.Posts;

namespace PostNext.Grains.Tests.Posts;

/// <summary>
/// A post's state and its entry in the posts list are one row written in one statement: reading a stored post writes
/// nothing, and a write that fails stores neither (the list never shows a post that is not stored).
/// </summary>
public sealed class PostRowTests : IAsyncLifetime
{
    private readonly StorageFaults _faults = new();
    private SchedulingCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await SchedulingCluster.StartInMemoryAsync(silos: 1, faults: _faults);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Activating_a_stored_post_writes_nothing()
    {
        var (ws, accounts) = await _cluster.CreateWorkspaceAsync(1);
        var postId = await CreateDraftAsync(ws, accounts[0], "stored once");
        Assert.Equal(1, _faults.Written(FaultyPostStore.StateName, postId));

        for (var i = 0; i < 3; i++)
        {
            await _cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
            Assert.Equal("stored once", (await _cluster.Client.GetGrain<IPostGrain>(postId).GetAsync())!.Content.Text); // a cold read
        }

        Assert.Equal(1, _faults.Written(FaultyPostStore.StateName, postId));
    }

    [Fact]
    public async Task A_post_whose_write_fails_is_neither_stored_nor_listed()
    {
        var (ws, accounts) = await _cluster.CreateWorkspaceAsync(1);
        var postId = Ids.New(Ids.Post);
        _faults.FailNextWrites(FaultyPostStore.StateName, postId);

        await Assert.ThrowsAnyAsync<Exception>(() => CreateDraftAsync(ws, accounts[0], "never stored", postId));

        Assert.Null(await _cluster.Client.GetGrain<IPostGrain>(postId).GetAsync());
        Assert.Empty((await _cluster.Client.GetGrain<IPostListGrain>(ws).ListAsync(new PostListQuery(ws, null, null, null, null, null, 10))).Posts);
        Assert.Equal(1, _faults.Injected);
    }

    private async Task<string> CreateDraftAsync(string ws, string account, string text, string? postId = null)
    {
        postId ??= Ids.New(Ids.Post);
        var created = await _cluster.Client.GetGrain<IPostGrain>(postId).CreateAsync(new CreatePost(
            ws, new PostContent(text, []), [new TargetSpec(account, "sandbox", null, null)], true, "UTC", "at", "fp"));
        Assert.Equal(PostOutcome.Created, created.Outcome);
        return postId;
    }
}

/// <summary>
/// Posts stored before states moved to their rows (in Orleans grain storage, with an old list entry or with none) are
/// read from grain storage, moved to their rows on activation, and listed; once none is left, a new post never looks
/// in grain storage.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PostRowMoveTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Posts_stored_in_grain_storage_before_the_move_are_read_moved_and_listed()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var cluster = await SchedulingCluster.StartOnPostgresAsync(database, Guid.NewGuid().ToString("N"));
        var (ws, accounts) = await cluster.CreateWorkspaceAsync(1);
        var grainStorage = cluster.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Grains);
        var listedBefore = Ids.New(Ids.Post);
        var unlisted = Ids.New(Ids.Post);
        var created = DateTimeOffset.UtcNow.AddDays(-30);
        foreach (var (postId, text) in new[] { (listedBefore, "An old listed draft"), (unlisted, "An older draft, never listed") })
        {
            var old = new PostState
            {
                WorkspaceId = ws, Content = new PostContent(text, []), Targets = [new TargetSpec(accounts[0], "sandbox", null, null)],
                Draft = true, TimeZone = "UTC", ScheduleMode = "at", Fingerprint = "fp", CreatedAt = created, UpdatedAt = created, TargetsScheduled = true,
            };
            await grainStorage.WriteStateAsync(PostRecord.LegacyStateName, cluster.Client.GetGrain<IPostGrain>(postId).GetGrainId(), new GrainState<PostState>(old));
        }

        // The list entry the post index wrote before states moved to the rows (no state, revision 0).
        await using (var data = NpgsqlDataSource.Create(database))
        {
            await using var insert = data.CreateCommand("""
                INSERT INTO postnext_posts (workspace_id, post_id, draft, canceled, text, title, search_text, account_ids, platforms, created_at, updated_at)
                VALUES ($1, $2, true, false, 'An old listed draft', NULL, 'an old listed draft', ARRAY[$3], ARRAY['sandbox'], $4, $4)
                """);
            insert.Parameters.Add(new NpgsqlParameter { Value = ws });
            insert.Parameters.Add(new NpgsqlParameter { Value = listedBefore });
            insert.Parameters.Add(new NpgsqlParameter { Value = accounts[0] });
            insert.Parameters.Add(new NpgsqlParameter { Value = created });
            await insert.ExecuteNonQueryAsync();
        }

        Assert.Equal("An old listed draft", (await cluster.Client.GetGrain<IPostGrain>(listedBefore).GetAsync())!.Content.Text);
        Assert.Equal("An older draft, never listed", (await cluster.Client.GetGrain<IPostGrain>(unlisted).GetAsync())!.Content.Text);

        var list = await cluster.Client.GetGrain<IPostListGrain>(ws).ListAsync(new PostListQuery(ws, null, null, null, null, null, 10));
        Assert.Equal(new[] { listedBefore, unlisted }.Order(StringComparer.Ordinal), list.Posts.Select(p => p.Id).Order(StringComparer.Ordinal));

        await using var rows = NpgsqlDataSource.Create(database);
        var fresh = new PostgresPostStore(rows);
        await using (fresh)
        {
            Assert.NotNull((await fresh.LoadAsync(listedBefore))!.State);
            Assert.NotNull((await fresh.LoadAsync(unlisted))!.State);
            Assert.False(await fresh.MayHoldUnmovedAsync(PostRecord.LegacyStateName)); // both moved: grain_id_ext holds the post id
        }

        // A change after the move edits the row the move wrote.
        var edited = await cluster.Client.GetGrain<IPostGrain>(unlisted).UpdateAsync(new UpdatePost(new PostContent("Edited after the move", []), null, null, null, null));
        Assert.Equal(PostOutcome.Ok, edited.Outcome);
        await cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal("Edited after the move", (await cluster.Client.GetGrain<IPostGrain>(unlisted).GetAsync())!.Content.Text);
    }

    [Fact]
    public async Task With_no_post_left_in_grain_storage_the_store_says_so()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var cluster = await SchedulingCluster.StartOnPostgresAsync(database, Guid.NewGuid().ToString("N"));
        var (ws, _) = await cluster.CreateWorkspaceAsync(1);
        var grainStorage = cluster.Cluster.Silos[0].ServiceProvider.GetRequiredKeyedService<IGrainStorage>(StorageNames.Grains);
        await using var rows = NpgsqlDataSource.Create(database);
        await using var store = new PostgresPostStore(rows);
        Assert.False(await store.MayHoldUnmovedAsync(PostRecord.LegacyStateName));

        var postId = Ids.New(Ids.Post);
        await grainStorage.WriteStateAsync(PostRecord.LegacyStateName, cluster.Client.GetGrain<IPostGrain>(postId).GetGrainId(),
            new GrainState<PostState>(new PostState { WorkspaceId = ws, Content = new PostContent("old", []), Draft = true }));
        await using var another = new PostgresPostStore(rows);
        Assert.True(await another.MayHoldUnmovedAsync(PostRecord.LegacyStateName));
        Assert.False(await store.MayHoldUnmovedAsync(PostRecord.LegacyStateName)); // asked once per store
    }
}
