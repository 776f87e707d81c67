using PostNext.Abstractions;
using PostNext.Storage.Posts;

namespace PostNext.Grains.Tests.Posts;

/// <summary>
/// The post store (each post's state beside its entry in the posts list) against the in-memory twin and the PostgreSQL
/// table, whose loads and writes share statements under load: a burst of new posts is stored and listed whole with
/// each post's own state and targets, a write names the revision it read and loses to one written meanwhile, and a
/// deleted post keeps its state but is no longer listed.
/// </summary>
public abstract class PostStoreContract
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 9, 0, 0, TimeSpan.Zero);

    protected abstract Task<IPostStore> CreateStoreAsync();

    [Fact]
    public async Task A_burst_of_new_posts_is_stored_and_listed_whole_newest_first_each_with_its_own_state_and_targets()
    {
        var store = await CreateStoreAsync();
        var ws = Ids.New(Ids.Workspace);
        var entries = Enumerable.Range(0, 300).Select(i => Entry(ws, $"post{i:D4}", Start.AddSeconds(i), $"Text {i}", targets: i % 3)).ToList();

        Assert.All(await Task.WhenAll(entries.Select(e => store.SaveAsync(e, false, State(e.Text), 1, 0))), Assert.True);

        var listed = await ScanAllAsync(store, ws);
        Assert.Equal(entries.Select(e => e.PostId).Reverse(), listed.Select(e => e.PostId));
        foreach (var entry in listed)
        {
            var expected = entries.Single(e => e.PostId == entry.PostId);
            Assert.Equal(expected.Text, entry.Text);
            Assert.Equal(expected.Targets, entry.Targets);
        }

        var loaded = await Task.WhenAll(entries.Select(e => store.LoadAsync(e.PostId)));
        Assert.Equal(entries.Select(e => e.Text), loaded.Select(l => System.Text.Encoding.UTF8.GetString(l!.State!)));
        Assert.All(loaded, l => Assert.Equal(1, l!.Revision));
        Assert.Null(await store.LoadAsync("post-never-stored"));
        Assert.Equal(["post0299"], (await store.ScanAsync(new PostIndexScan(ws, null, null, null, "text 299", null, null, 10))).Select(e => e.PostId));
        Assert.Equal(100, (await ScanAllAsync(store, ws, draft: true)).Count);
    }

    [Fact]
    public async Task A_write_names_the_revision_it_read_and_one_written_meanwhile_wins()
    {
        var store = await CreateStoreAsync();
        var ws = Ids.New(Ids.Workspace);
        var first = Entry(ws, "post-one", Start, "Version 1", targets: 1);
        Assert.True(await store.SaveAsync(first, false, State("1"), 1, 0));

        Assert.False(await store.SaveAsync(first with { Text = "A second creation" }, false, State("x"), 1, 0)); // the row exists
        Assert.True(await store.SaveAsync(first with { Text = "Version 2" }, false, State("2"), 2, 1));
        Assert.False(await store.SaveAsync(first with { Text = "From a stale activation" }, false, State("stale"), 2, 1));

        var listed = Assert.Single(await ScanAllAsync(store, ws));
        Assert.Equal("Version 2", listed.Text);
        var loaded = (await store.LoadAsync("post-one"))!;
        Assert.Equal(("2", 2L), (System.Text.Encoding.UTF8.GetString(loaded.State!), loaded.Revision));
    }

    [Fact]
    public async Task A_deleted_post_keeps_its_state_but_is_no_longer_listed()
    {
        var store = await CreateStoreAsync();
        var ws = Ids.New(Ids.Workspace);
        var kept = Entry(ws, "post-kept", Start, "Kept", targets: 1);
        var deleted = Entry(ws, "post-deleted", Start.AddSeconds(1), "Deleted", targets: 1);
        await store.SaveAsync(kept, false, State("kept"), 1, 0);
        await store.SaveAsync(deleted, false, State("live"), 1, 0);

        Assert.True(await store.SaveAsync(deleted, true, State("deleted"), 2, 1));

        Assert.Equal(["post-kept"], (await ScanAllAsync(store, ws)).Select(e => e.PostId));
        Assert.Equal("deleted", System.Text.Encoding.UTF8.GetString((await store.LoadAsync("post-deleted"))!.State!));
    }

    private static async Task<List<PostIndexEntry>> ScanAllAsync(IPostStore store, string ws, bool? draft = null)
    {
        var all = new List<PostIndexEntry>();
        while (true)
        {
            var last = all.LastOrDefault();
            var page = await store.ScanAsync(new PostIndexScan(ws, draft, null, null, null, last?.CreatedAt, last?.PostId, 50));
            all.AddRange(page);
            if (page.Count < 50)
            {
                return all;
            }
        }
    }

    private static byte[] State(string text) => System.Text.Encoding.UTF8.GetBytes(text);

    /// <summary>Drafts have no target; others one or two, each with its own accounts.</summary>
    private static PostIndexEntry Entry(string ws, string post, DateTimeOffset created, string text, int targets, DateTimeOffset? updated = null) =>
        new(ws, post, Draft: targets == 0, Canceled: false, text, Title: targets == 2 ? "A title" : null, OverrideTexts: [],
            Enumerable.Range(0, targets).Select(t => new PostIndexTarget($"acc-{post}-{t}", t == 0 ? "x" : "linkedin")).ToList(),
            created, updated ?? created);
}

public sealed class InMemoryPostStoreTests : PostStoreContract
{
    protected override Task<IPostStore> CreateStoreAsync() => Task.FromResult<IPostStore>(new InMemoryPostStore());
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresPostStoreTests(PostgresFixture postgres) : PostStoreContract, IAsyncDisposable
{
    private readonly MigratedDatabase _database = new(postgres);

    protected override async Task<IPostStore> CreateStoreAsync() => await _database.StoreOnNewDatabaseAsync(d => new PostgresPostStore(d));

    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
