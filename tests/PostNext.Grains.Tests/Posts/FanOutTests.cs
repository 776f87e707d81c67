using PostNext.Abstractions;
using PostNext.Abstractions.Posts;

namespace PostNext.Grains.Tests.Posts;

/// <summary>
/// A post's change reaches every target's publication or is repaired until it does, whatever write fails on the way:
/// no target is left scheduled without a publication grain, and no removed target keeps publishing.
/// </summary>
public sealed class FanOutTests : IAsyncLifetime
{
    private readonly StorageFaults _faults = new();
    private SchedulingCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await SchedulingCluster.StartInMemoryAsync(faults: _faults);

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task Publish_now_on_a_draft_whose_scheduling_fails_for_one_target_fails_and_then_publishes_each_target_exactly_once()
    {
        var (ws, accounts) = await _cluster.CreateWorkspaceAsync(2);
        var postId = await CreateAsync(ws, accounts, due: null, draft: true);
        _faults.FailNextWrites("publication", accounts[1]);

        await Assert.ThrowsAnyAsync<Exception>(() => Post(postId).PublishNowAsync());

        var post = await _cluster.WaitForPostAsync(postId, p => p.Status == PostStatus.Published, TimeSpan.FromSeconds(30));
        Assert.Equal(1, _faults.Injected);
        Assert.All(post.Targets, t => Assert.Equal(PublicationStatus.Published, t.Publication?.Status));
        foreach (var account in accounts)
        {
            Assert.Single(await _cluster.Sandbox.FindAsync(account, PublicationKey.For(postId, account)));
        }
    }

    [Fact]
    public async Task Creating_a_post_writes_it_once_and_a_new_activation_repeats_its_schedules_without_changing_a_thing()
    {
        var (ws, accounts) = await _cluster.CreateWorkspaceAsync(2);
        var due = DateTimeOffset.UtcNow.AddHours(2);
        var postId = await CreateAsync(ws, accounts, due);
        Assert.Equal(1, _faults.Written("post", postId));
        var revisions = await RevisionsAsync(postId, accounts);

        // A new activation repeats the stored schedules: the publications are already so, and nothing is written.
        await _cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var again = (await Post(postId).GetAsync())!;
        Assert.Equal(revisions, await RevisionsAsync(postId, accounts));
        Assert.All(again.Targets, t => Assert.Equal((PublicationStatus.Scheduled, due), (t.Publication!.Status, t.Publication.ScheduledAt)));
        Assert.Equal(1, _faults.Written("post", postId));

        // Publishing now first records that the schedules were applied, so a later activation cannot move the targets back.
        await Post(postId).PublishNowAsync();
        await _cluster.WaitForPostAsync(postId, p => p.Status == PostStatus.Published, TimeSpan.FromSeconds(30));
        await _cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        var published = (await Post(postId).GetAsync())!;
        Assert.Equal(PostStatus.Published, published.Status);
        Assert.All(published.Targets, t => Assert.True(t.Publication!.ScheduledAt < due, "publish-now was moved back to the old time"));
        foreach (var account in accounts)
        {
            Assert.Single(await _cluster.Sandbox.FindAsync(account, PublicationKey.For(postId, account)));
        }
    }

    [Fact]
    public async Task Posts_and_publications_scheduled_ahead_of_time_give_back_their_activations_and_still_publish_while_ones_due_soon_keep_them()
    {
        var (ws, accounts) = await _cluster.CreateWorkspaceAsync(2);
        var (otherWs, otherAccounts) = await _cluster.CreateWorkspaceAsync(1);
        var later = await CreateAsync(ws, accounts, DateTimeOffset.UtcNow.AddHours(2), text: "later");
        var other = await CreateAsync(otherWs, otherAccounts, DateTimeOffset.UtcNow.AddHours(2), text: "other");
        var soon = await CreateAsync(ws, accounts, DateTimeOffset.UtcNow.AddSeconds(50), text: "soon");

        // Deactivation runs after the call returned: wait (briefly) until the far post's publications are gone.
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(10);
        while ((await ActiveAsync(later, accounts)).Count > 0 || (await ActiveAsync(other, otherAccounts)).Count > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"still active: {string.Join(", ", await ActiveAsync(later, accounts))}");
            await Task.Delay(50);
        }

        Assert.Equal(accounts.Count, (await ActiveAsync(soon, accounts)).Count);

        // So do the posts themselves; the one due soon keeps its activation.
        while ((await ActivePostsAsync(later, other)).Count > 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"posts still active: {string.Join(", ", await ActivePostsAsync(later, other))}");
            await Task.Delay(50);
        }

        Assert.Single(await ActivePostsAsync(soon));

        // Nothing was lost with the activations: each answers from storage with its own content and publishes exactly once.
        var reloaded = (await Post(later).GetAsync())!;
        Assert.All(reloaded.Targets, t => Assert.Equal((PublicationStatus.Scheduled, "later"), (t.Publication!.Status, t.Publication.Content.Text)));
        Assert.All((await Post(other).GetAsync())!.Targets, t => Assert.Equal("other", t.Publication!.Content.Text));
        await Post(later).PublishNowAsync();
        await _cluster.WaitForPostAsync(later, p => p.Status == PostStatus.Published, TimeSpan.FromSeconds(30));
        foreach (var account in accounts)
        {
            Assert.Single(await _cluster.Sandbox.FindAsync(account, PublicationKey.For(later, account)));
        }
    }

    /// <summary>The post's publications' grains that are active right now in the cluster.</summary>
    private async Task<List<GrainId>> ActiveAsync(string postId, IReadOnlyList<string> accounts)
    {
        var management = _cluster.Client.GetGrain<IManagementGrain>(0);
        var publications = accounts.Select(a => Publication(postId, a).GetGrainId()).ToList();
        var active = await management.GetActiveGrains(publications[0].Type);
        return active.Where(publications.Contains).ToList();
    }

    private async Task<List<GrainId>> ActivePostsAsync(params string[] postIds)
    {
        var posts = postIds.Select(id => Post(id).GetGrainId()).ToList();
        var active = await _cluster.Client.GetGrain<IManagementGrain>(0).GetActiveGrains(posts[0].Type);
        return active.Where(posts.Contains).ToList();
    }

    private async Task<long[]> RevisionsAsync(string postId, IReadOnlyList<string> accounts) =>
        await Task.WhenAll(accounts.Select(async a => (await _cluster.Calendar.LoadAsync(postId, a))!.Revision));

    [Fact]
    public async Task A_fan_out_that_failed_is_repaired_by_its_reminder_when_nobody_calls_the_post_again()
    {
        var (ws, accounts) = await _cluster.CreateWorkspaceAsync(2);
        var postId = await CreateAsync(ws, accounts, due: null, draft: true);
        _faults.FailNextWrites("publication", accounts[1]);

        await Assert.ThrowsAnyAsync<Exception>(() => Post(postId).PublishNowAsync());

        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(30);
        while ((await _cluster.Sandbox.FindAsync(accounts[1], PublicationKey.For(postId, accounts[1]))).Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the target whose scheduling failed was never published");
            await Task.Delay(200);
        }

        Assert.Single(await _cluster.Sandbox.FindAsync(accounts[0], PublicationKey.For(postId, accounts[0])));
    }

    [Fact]
    public async Task An_update_that_removes_one_target_and_adds_another_whose_scheduling_fails_once_ends_with_exactly_the_new_targets()
    {
        var (ws, accounts) = await _cluster.CreateWorkspaceAsync(3);
        var (kept, removed, added) = (accounts[0], accounts[1], accounts[2]);
        var due = DateTimeOffset.UtcNow.AddSeconds(5);
        var postId = await CreateAsync(ws, [kept, removed], due);
        _faults.FailNextWrites("publication", added);

        await Assert.ThrowsAnyAsync<Exception>(() => Post(postId).UpdateAsync(
            new UpdatePost(null, [Target(kept, due), Target(added, due)], null, null, null)));

        var post = await _cluster.WaitForPostAsync(postId, p => p.Status == PostStatus.Published, TimeSpan.FromSeconds(30));
        Assert.Equal([kept, added], post.Targets.Select(t => t.AccountId));
        Assert.Single(await _cluster.Sandbox.FindAsync(kept, PublicationKey.For(postId, kept)));
        Assert.Single(await _cluster.Sandbox.FindAsync(added, PublicationKey.For(postId, added)));
        Assert.Empty(await _cluster.Sandbox.FindAsync(removed, PublicationKey.For(postId, removed)));
        Assert.Null(await Publication(postId, removed).GetAsync());
    }

    [Fact]
    public async Task An_update_whose_post_write_fails_changes_no_publication()
    {
        var (ws, accounts) = await _cluster.CreateWorkspaceAsync(3);
        var (kept, removed, added) = (accounts[0], accounts[1], accounts[2]);
        var due = DateTimeOffset.UtcNow.AddMinutes(10);
        var postId = await CreateAsync(ws, [kept, removed], due, text: "before");
        _faults.FailNextWrites("post", postId);

        await Assert.ThrowsAnyAsync<Exception>(() => Post(postId).UpdateAsync(
            new UpdatePost(new PostContent("after", []), [Target(kept, due.AddHours(1)), Target(added, due)], null, null, null)));

        var post = (await Post(postId).GetAsync())!;
        Assert.Equal("before", post.Content.Text);
        Assert.Equal([kept, removed], post.Targets.Select(t => t.AccountId));
        var keptPublication = (await Publication(postId, kept).GetAsync())!;
        Assert.Equal(("before", due), (keptPublication.Content.Text, keptPublication.ScheduledAt));
        Assert.Equal(PublicationStatus.Scheduled, (await Publication(postId, removed).GetAsync())?.Status);
        Assert.Null(await Publication(postId, added).GetAsync());
    }

    [Fact]
    public async Task A_cancel_while_the_fan_out_is_unfinished_leaves_no_target_publishing()
    {
        var (ws, accounts) = await _cluster.CreateWorkspaceAsync(3);
        var (first, second, control) = (accounts[0], accounts[1], accounts[2]);
        var due = DateTimeOffset.UtcNow.AddSeconds(4);
        _faults.FailNextWrites("publication", second, times: 2);
        var postId = Ids.New(Ids.Post);
        await Assert.ThrowsAnyAsync<Exception>(() => Post(postId).CreateAsync(Command(ws, [first, second], due, draft: false, "hello")));

        var canceled = await Post(postId).CancelAsync();

        Assert.Equal(PostOutcome.Ok, canceled.Outcome);
        Assert.Equal(PostStatus.Canceled, canceled.Post!.Status);
        await _cluster.Client.GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);
        Assert.Equal(PostStatus.Canceled, (await Post(postId).GetAsync())!.Status);
        var controlPost = await CreateAsync(ws, [control], due);
        await _cluster.WaitForPostAsync(controlPost, p => p.Status == PostStatus.Published, TimeSpan.FromSeconds(30));
        Assert.Empty(await _cluster.Sandbox.FindAsync(first, PublicationKey.For(postId, first)));
        Assert.Empty(await _cluster.Sandbox.FindAsync(second, PublicationKey.For(postId, second)));
        Assert.Equal(PostStatus.Canceled, (await Post(postId).GetAsync())!.Status);
    }

    [Fact]
    public async Task A_draft_update_whose_post_write_fails_keeps_the_stored_content_and_a_retry_succeeds()
    {
        var (ws, accounts) = await _cluster.CreateWorkspaceAsync(1);
        var postId = await CreateAsync(ws, accounts, due: null, draft: true, text: "before");
        _faults.FailNextWrites("post", postId);
        var edit = new UpdatePost(new PostContent("after", []), null, null, null, null);

        await Assert.ThrowsAnyAsync<Exception>(() => Post(postId).UpdateAsync(edit));
        Assert.Equal("before", (await Post(postId).GetAsync())!.Content.Text);

        var retried = await Post(postId).UpdateAsync(edit);
        Assert.Equal(PostOutcome.Ok, retried.Outcome);
        Assert.Equal("after", (await Post(postId).GetAsync())!.Content.Text);
    }

    private IPostGrain Post(string postId) => _cluster.Client.GetGrain<IPostGrain>(postId);

    private IPublicationGrain Publication(string postId, string accountId) =>
        _cluster.Client.GetGrain<IPublicationGrain>(PublicationKey.For(postId, accountId));

    private async Task<string> CreateAsync(string ws, IReadOnlyList<string> accounts, DateTimeOffset? due, bool draft = false, string text = "hello")
    {
        var id = Ids.New(Ids.Post);
        var created = await Post(id).CreateAsync(Command(ws, accounts, due, draft, text));
        Assert.Equal(PostOutcome.Created, created.Outcome);
        return id;
    }

    private static CreatePost Command(string ws, IReadOnlyList<string> accounts, DateTimeOffset? due, bool draft, string text) =>
        new(ws, new PostContent(text, []), accounts.Select(a => Target(a, due)).ToList(), draft, "UTC", draft ? "draft" : "at", Guid.NewGuid().ToString("N"));

    private static TargetSpec Target(string accountId, DateTimeOffset? due) => new(accountId, "sandbox", null, due);
}
