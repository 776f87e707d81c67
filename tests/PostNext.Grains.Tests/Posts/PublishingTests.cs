using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Calendar;
using PostNext.Abstractions.Posts;

namespace PostNext.Grains.Tests.Posts;

/// <summary>Scheduled posts publish to each target exactly once, at or after their time, on a two-silo cluster.</summary>
public sealed class PublishingTests : IAsyncLifetime
{
    private SchedulingCluster _cluster = null!;

    public async Task InitializeAsync() => _cluster = await SchedulingCluster.StartInMemoryAsync();

    public async Task DisposeAsync() => await _cluster.DisposeAsync();

    [Fact]
    public async Task A_post_scheduled_three_seconds_ahead_publishes_to_each_of_three_accounts_exactly_once_at_its_time()
    {
        var (ws, accounts) = await _cluster.CreateWorkspaceAsync(3);
        var due = DateTimeOffset.UtcNow.AddSeconds(3);

        var postId = await _cluster.SchedulePostAsync(ws, accounts, due);
        var scheduled = (await _cluster.Client.GetGrain<IPostGrain>(postId).GetAsync())!;
        Assert.Equal(PostStatus.Scheduled, scheduled.Status);

        var post = await _cluster.WaitForPostAsync(postId, p => p.Status == PostStatus.Published, TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(6)); // a further reminder period: no second publish may follow

        foreach (var account in accounts)
        {
            var received = await _cluster.Sandbox.FindAsync(account, PublicationKey.For(postId, account));
            var receipt = Assert.Single(received);
            Assert.True(receipt.ReceivedAt >= due, $"published at {receipt.ReceivedAt:O}, before its time {due:O}");
            var target = post.Targets.Single(t => t.AccountId == account).Publication!;
            Assert.Equal(PublicationStatus.Published, target.Status);
            Assert.Equal(receipt.ExternalId, target.ExternalId);
            Assert.Equal(receipt.Permalink, target.Permalink);
            Assert.False(target.Late);
        }
    }

    [Fact]
    public async Task Cancel_before_the_time_prevents_the_publish()
    {
        var (ws, accounts) = await _cluster.CreateWorkspaceAsync(2);
        var postId = await _cluster.SchedulePostAsync(ws, accounts, DateTimeOffset.UtcNow.AddSeconds(3));

        var canceled = await _cluster.Client.GetGrain<IPostGrain>(postId).CancelAsync();
        Assert.Equal(PostOutcome.Ok, canceled.Outcome);
        Assert.Equal(PostStatus.Canceled, canceled.Post!.Status);

        await Task.Delay(TimeSpan.FromSeconds(6));
        foreach (var account in accounts)
        {
            Assert.Empty(await _cluster.Sandbox.FindAsync(account, PublicationKey.For(postId, account)));
        }

        Assert.Equal(PostStatus.Canceled, (await _cluster.Client.GetGrain<IPostGrain>(postId).GetAsync())!.Status);
    }

    [Fact]
    public async Task Rescheduling_moves_the_publish_to_the_new_time()
    {
        var (ws, accounts) = await _cluster.CreateWorkspaceAsync(1);
        var postId = await _cluster.SchedulePostAsync(ws, accounts, DateTimeOffset.UtcNow.AddSeconds(3));
        var later = DateTimeOffset.UtcNow.AddSeconds(9);

        var moved = await _cluster.Client.GetGrain<IPostGrain>(postId).UpdateAsync(
            new UpdatePost(null, [new TargetSpec(accounts[0], "sandbox", null, later)], null, null, null));
        Assert.Equal(PostOutcome.Ok, moved.Outcome);

        await Task.Delay(TimeSpan.FromSeconds(5));
        Assert.Empty(await _cluster.Sandbox.FindAsync(accounts[0], PublicationKey.For(postId, accounts[0])));

        await _cluster.WaitForPostAsync(postId, p => p.Status == PostStatus.Published, TimeSpan.FromSeconds(30));
        var receipt = Assert.Single(await _cluster.Sandbox.FindAsync(accounts[0], PublicationKey.For(postId, accounts[0])));
        Assert.True(receipt.ReceivedAt >= later);
    }

    [Fact]
    public async Task Editing_after_publishing_began_is_refused()
    {
        var (ws, accounts) = await _cluster.CreateWorkspaceAsync(1, new SandboxBehaviour(LatencyMs: 4000));
        var postId = await _cluster.SchedulePostAsync(ws, accounts, DateTimeOffset.UtcNow.AddSeconds(1));
        await _cluster.WaitForPostAsync(postId, p => p.Status == PostStatus.Publishing, TimeSpan.FromSeconds(20));

        var edit = await _cluster.Client.GetGrain<IPostGrain>(postId).UpdateAsync(new UpdatePost(new PostContent("changed", []), null, null, null, null));

        Assert.Equal(PostOutcome.Conflict, edit.Outcome);
        var post = await _cluster.WaitForPostAsync(postId, p => p.Status == PostStatus.Published, TimeSpan.FromSeconds(30));
        Assert.Equal("hello", Assert.Single(await _cluster.Sandbox.FindAsync(accounts[0], PublicationKey.For(postId, accounts[0]))).Text);
        Assert.Equal("hello", post.Content.Text);
    }

    [Fact]
    public async Task An_unknown_outcome_is_reconciled_with_the_platform_and_never_sent_twice()
    {
        var (ws, accounts) = await _cluster.CreateWorkspaceAsync(1, new SandboxBehaviour(UnknownOutcomeRate: 1));
        var postId = await _cluster.SchedulePostAsync(ws, accounts, DateTimeOffset.UtcNow.AddSeconds(1));

        var post = await _cluster.WaitForPostAsync(postId, p => p.Status == PostStatus.Published, TimeSpan.FromSeconds(30));

        Assert.Single(await _cluster.Sandbox.FindAsync(accounts[0], PublicationKey.For(postId, accounts[0])));
        Assert.Equal(1, post.Targets[0].Publication!.Attempts);
    }

    [Fact]
    public async Task Transient_failures_are_retried_until_the_attempt_budget_is_spent()
    {
        var (ws, accounts) = await _cluster.CreateWorkspaceAsync(1, new SandboxBehaviour(FailureRate: 1));
        var postId = await _cluster.SchedulePostAsync(ws, accounts, DateTimeOffset.UtcNow.AddSeconds(1));

        var post = await _cluster.WaitForPostAsync(postId, p => p.Status == PostStatus.Failed, TimeSpan.FromSeconds(60));

        var target = post.Targets[0].Publication!;
        Assert.Equal(5, target.Attempts);
        Assert.Equal(ErrorCategory.Transient, target.Error!.Category);
        Assert.Empty(await _cluster.Sandbox.FindAsync(accounts[0], PublicationKey.For(postId, accounts[0])));
    }

    [Fact]
    public async Task The_calendar_returns_exactly_the_targets_in_a_range_of_5000_scheduled_targets_without_activating_post_grains()
    {
        var (ws, accounts) = await _cluster.CreateWorkspaceAsync(5);
        var start = DateTimeOffset.UtcNow.Date.AddDays(30);
        var due = new Dictionary<string, DateTimeOffset>();
        foreach (var batch in Enumerable.Range(0, 1000).Chunk(50))
        {
            var ids = await Task.WhenAll(batch.Select(async i =>
            {
                var at = new DateTimeOffset(start.AddMinutes(i * 40), TimeSpan.Zero);
                return (Id: await _cluster.SchedulePostAsync(ws, accounts, at), At: at);
            }));
            foreach (var (id, at) in ids)
            {
                due[id] = at;
            }
        }

        var management = _cluster.Client.GetGrain<IManagementGrain>(0);
        await management.ForceActivationCollection(TimeSpan.Zero);
        var from = new DateTimeOffset(start.AddDays(7), TimeSpan.Zero);
        var to = new DateTimeOffset(start.AddDays(21), TimeSpan.Zero);
        var expected = due.Where(p => p.Value >= from && p.Value < to)
            .SelectMany(p => accounts.Select(a => (At: p.Value, PostId: p.Key, AccountId: a)))
            .OrderBy(e => e.At).ThenBy(e => e.PostId, StringComparer.Ordinal).ThenBy(e => e.AccountId, StringComparer.Ordinal)
            .Select(e => (e.PostId, e.AccountId)).ToList();

        var calendar = _cluster.Client.GetGrain<ICalendarGrain>(ws);
        var seen = new List<(string, string)>();
        CalendarCursor? cursor = null;
        do
        {
            var page = await calendar.QueryAsync(new CalendarQuery(ws, from, to, null, null, null, cursor, 333));
            seen.AddRange(page.Entries.Select(e => (e.PostId, e.AccountId)));
            cursor = page.Next;
        }
        while (cursor is not null);

        Assert.Equal(expected, seen);
        var oneAccount = await calendar.QueryAsync(new CalendarQuery(ws, from, to, accounts[2], null, null, null, 1000));
        Assert.Equal(expected.Count(e => e.AccountId == accounts[2]), oneAccount.Entries.Count);
        Assert.All(oneAccount.Entries, e => Assert.Equal(accounts[2], e.AccountId));

        var active = await management.GetSimpleGrainStatistics();
        Assert.DoesNotContain(active, s => s.ActivationCount > 0 && (s.GrainType.Contains("PostGrain", StringComparison.Ordinal) || s.GrainType.Contains("PublicationGrain", StringComparison.Ordinal)));
    }
}
