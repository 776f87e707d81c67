using PostNext.Abstractions;
using PostNext.Storage.Posts;

namespace PostNext.Grains.Tests.Posts;

/// <summary>
/// The post index (the posts list) against the in-memory twin and the PostgreSQL table, whose writes share statements
/// under load: a burst of creations is listed whole with each post's own targets, a post changed several times at
/// once keeps its latest entry, and a late write never undoes a newer one.
/// </summary>
public abstract class PostIndexStoreContract
{
    private static readonly DateTimeOffset Start = new(2030, 1, 1, 9, 0, 0, TimeSpan.Zero);

    protected abstract Task<IPostIndexStore> CreateStoreAsync();

    [Fact]
    public async Task A_burst_of_posts_is_listed_whole_newest_first_each_with_its_own_targets_and_texts()
    {
        var store = await CreateStoreAsync();
        var ws = Ids.New(Ids.Workspace);
        var entries = Enumerable.Range(0, 300).Select(i => Entry(ws, $"post{i:D4}", Start.AddSeconds(i), $"Text {i}", targets: i % 3)).ToList();

        await Task.WhenAll(entries.Select(e => store.UpsertAsync(e)));

        var listed = await ScanAllAsync(store, ws);
        Assert.Equal(entries.Select(e => e.PostId).Reverse(), listed.Select(e => e.PostId));
        foreach (var entry in listed)
        {
            var expected = entries.Single(e => e.PostId == entry.PostId);
            Assert.Equal(expected.Text, entry.Text);
            Assert.Equal(expected.Targets, entry.Targets);
        }

        Assert.Equal(["post0299"], (await store.ScanAsync(new PostIndexScan(ws, null, null, null, "text 299", null, null, 10))).Select(e => e.PostId));
        Assert.Equal(100, (await ScanAllAsync(store, ws, draft: true)).Count);
    }

    [Fact]
    public async Task A_post_changed_several_times_at_once_keeps_its_latest_entry_and_a_late_write_changes_nothing()
    {
        var store = await CreateStoreAsync();
        var ws = Ids.New(Ids.Workspace);
        var changes = Enumerable.Range(0, 20).Select(i => Entry(ws, "post-one", Start, $"Version {i}", targets: 1, updated: Start.AddSeconds(i))).ToList();

        await Task.WhenAll(changes.Select(e => store.UpsertAsync(e)));
        await store.UpsertAsync(changes[3]); // a retried write of an older version

        var listed = Assert.Single(await ScanAllAsync(store, ws));
        Assert.Equal("Version 19", listed.Text);
        Assert.Equal(Start.AddSeconds(19), listed.UpdatedAt);
    }

    [Fact]
    public async Task Holds_is_true_only_for_the_entry_as_stored_and_for_no_entry_when_none_is_stored()
    {
        var store = await CreateStoreAsync();
        var ws = Ids.New(Ids.Workspace);
        // Ticks below the microsecond: PostgreSQL keeps microseconds, and the same entry still holds.
        var stored = Entry(ws, "post-held", Start.AddTicks(7), "Held", targets: 2) with { OverrideTexts = ["For LinkedIn"] };

        Assert.True(await store.HoldsAsync(ws, stored.PostId, null));
        Assert.False(await store.HoldsAsync(ws, stored.PostId, stored));
        await store.UpsertAsync(stored);

        Assert.True(await store.HoldsAsync(ws, stored.PostId, stored));
        Assert.False(await store.HoldsAsync(ws, stored.PostId, null));
        Assert.False(await store.HoldsAsync(ws, stored.PostId, stored with { Canceled = true }));
        Assert.False(await store.HoldsAsync(ws, stored.PostId, stored with { OverrideTexts = ["Changed"] }));
        Assert.False(await store.HoldsAsync(ws, stored.PostId, stored with { Targets = stored.Targets.Take(1).ToList() }));
        Assert.False(await store.HoldsAsync(ws, stored.PostId, stored with { UpdatedAt = stored.UpdatedAt.AddMilliseconds(1) }));
        Assert.False(await store.HoldsAsync(Ids.New(Ids.Workspace), stored.PostId, stored with { WorkspaceId = "other" }));
    }

    private static async Task<List<PostIndexEntry>> ScanAllAsync(IPostIndexStore store, string ws, bool? draft = null)
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

    /// <summary>Drafts have no target; others one or two, each with its own accounts.</summary>
    private static PostIndexEntry Entry(string ws, string post, DateTimeOffset created, string text, int targets, DateTimeOffset? updated = null) =>
        new(ws, post, Draft: targets == 0, Canceled: false, text, Title: targets == 2 ? "A title" : null, OverrideTexts: [],
            Enumerable.Range(0, targets).Select(t => new PostIndexTarget($"acc-{post}-{t}", t == 0 ? "x" : "linkedin")).ToList(),
            created, updated ?? created);
}

public sealed class InMemoryPostIndexStoreTests : PostIndexStoreContract
{
    protected override Task<IPostIndexStore> CreateStoreAsync() => Task.FromResult<IPostIndexStore>(new InMemoryPostIndexStore());
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresPostIndexStoreTests(PostgresFixture postgres) : PostIndexStoreContract, IAsyncDisposable
{
    private readonly MigratedDatabase _database = new(postgres);

    protected override async Task<IPostIndexStore> CreateStoreAsync() => await _database.StoreOnNewDatabaseAsync(d => new PostgresPostIndexStore(d));

    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
