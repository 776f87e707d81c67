using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Diagnostics;
using PostNext.Abstractions.Posts;
using PostNext.Storage.Sandbox;
using static PostNext.Grains.Tests.Observability.InstrumentTags;

namespace PostNext.Grains.Tests.Observability;

/// <summary>
/// Our publishing instruments record what they claim, on a real cluster publishing to the sandbox platform: lateness,
/// due lag, attempts, platform call durations, completions, deferrals by reason, retries and reconcile results, each
/// tagged by platform and outcome or reason, never by an id.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class PublicationMetricsTests
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    [Fact]
    public async Task A_publish_records_its_lateness_due_lag_successful_call_and_published_completion_by_platform()
    {
        using var recorded = new RecordedMeasurements(PostNextTelemetry.Name);
        await using var cluster = await StartAsync();
        var (ws, accounts, postId) = await ScheduleOneAsync(cluster);

        await cluster.WaitForPostAsync(postId, p => p.Status == PostStatus.Published, Wait);

        var lateness = Assert.Single(await recorded.WaitForAsync(PostNextTelemetry.PublishLateness.Name, Wait, 1, Platform("sandbox")));
        Assert.InRange(lateness.Value, 0, 30);
        var lag = Assert.Single(await recorded.WaitForAsync(PostNextTelemetry.DueLag.Name, Wait, 1, Platform("sandbox")));
        Assert.InRange(lag.Value, 0, 30);
        Assert.Single(recorded.Of(PostNextTelemetry.PublishAttempts.Name, Platform("sandbox"), Outcome("success")));
        var call = Assert.Single(recorded.Of(PostNextTelemetry.PlatformCallDuration.Name, Platform("sandbox"), Operation("publish"), Outcome("success")));
        Assert.InRange(call.Value, 0, 30);
        var completed = Assert.Single(recorded.Of(PostNextTelemetry.PublicationsCompleted.Name, Platform("sandbox"), Outcome("published")));
        Assert.Equal(1, completed.Value);
        Assert.DoesNotContain(PostNextTelemetry.ErrorTypeTag, completed.Tags.Keys);
        Assert.Empty(recorded.Of(PostNextTelemetry.Deferrals.Name));
        Assert.Empty(recorded.Of(PostNextTelemetry.Retries.Name));
        AssertNoIds(recorded, ws, postId, accounts[0]);
    }

    [Fact]
    public async Task Transient_failures_record_a_retry_deferral_and_a_retry_per_new_attempt_then_a_failed_completion_with_its_error_type()
    {
        using var recorded = new RecordedMeasurements(PostNextTelemetry.Name);
        await using var cluster = await StartAsync(("PostNext:Scheduling:MaxAttempts", "3"));
        var (ws, accounts, postId) = await ScheduleOneAsync(cluster, new SandboxBehaviour(FailureRate: 1));

        await cluster.WaitForPostAsync(postId, p => p.Status == PostStatus.Failed, Wait);

        var failed = Assert.Single(await recorded.WaitForAsync(PostNextTelemetry.PublicationsCompleted.Name, Wait, 1, Platform("sandbox"), Outcome("failed")));
        Assert.Equal("transient", failed.Tags[PostNextTelemetry.ErrorTypeTag]);
        Assert.Equal(3, recorded.Of(PostNextTelemetry.PublishAttempts.Name, Platform("sandbox"), Outcome("transient")).Count);
        Assert.Equal(3, recorded.Of(PostNextTelemetry.PlatformCallDuration.Name, Platform("sandbox"), Operation("publish"), Outcome("transient")).Count);
        Assert.Equal(2, recorded.Of(PostNextTelemetry.Deferrals.Name, Platform("sandbox"), Reason("retry")).Count);
        Assert.Equal(2, recorded.Of(PostNextTelemetry.Retries.Name, Platform("sandbox"), ErrorType("transient")).Count);
        Assert.Equal(3, recorded.Of(PostNextTelemetry.DueLag.Name, Platform("sandbox")).Count); // the first tick and one per retry
        Assert.Empty(recorded.Of(PostNextTelemetry.PublishLateness.Name));
        AssertNoIds(recorded, ws, postId, accounts[0]);
    }

    [Fact]
    public async Task A_429_from_the_platform_records_a_platform_rate_limit_deferral_that_is_not_a_retry()
    {
        using var recorded = new RecordedMeasurements(PostNextTelemetry.Name);
        await using var cluster = await StartAsync();
        var (ws, accounts, postId) = await ScheduleOneAsync(cluster, new SandboxBehaviour(RateLimitRate: 1, RateLimitResetSeconds: 600));

        await cluster.WaitForPostAsync(postId, p => p.Targets[0].Publication?.Status == PublicationStatus.Deferred, Wait);

        Assert.Single(await recorded.WaitForAsync(PostNextTelemetry.Deferrals.Name, Wait, 1, Platform("sandbox"), Reason("platform_rate_limit")));
        Assert.Single(recorded.Of(PostNextTelemetry.PublishAttempts.Name, Platform("sandbox"), Outcome("rate_limited")));
        Assert.Empty(recorded.Of(PostNextTelemetry.Retries.Name));
        Assert.Empty(recorded.Of(PostNextTelemetry.PublicationsCompleted.Name));
        AssertNoIds(recorded, ws, postId, accounts[0]);
    }

    [Fact]
    public async Task A_post_beyond_the_accounts_limit_records_a_rate_limit_deferral_without_calling_the_platform()
    {
        using var recorded = new RecordedMeasurements(PostNextTelemetry.Name);
        await using var cluster = await StartAsync(("PostNext:RateLimits:Platforms:sandbox:Account:posts:Limit", "1"), ("PostNext:RateLimits:Platforms:sandbox:Account:posts:Period", "01:00:00"));
        var (ws, accounts) = await cluster.CreateWorkspaceAsync(1);
        var due = DateTimeOffset.UtcNow.AddSeconds(1);
        var first = await cluster.SchedulePostAsync(ws, accounts, due, "first");
        var second = await cluster.SchedulePostAsync(ws, accounts, due.AddMilliseconds(1), "second");

        // One gets the window's only permit (which one is a race), the other waits for the reset.
        static bool Settled(PostView p) => p.Targets[0].Publication?.Status is PublicationStatus.Published or PublicationStatus.Deferred;
        var views = new[] { await cluster.WaitForPostAsync(first, Settled, Wait), await cluster.WaitForPostAsync(second, Settled, Wait) };
        Assert.Single(views, p => p.Targets[0].Publication!.Status == PublicationStatus.Published);
        Assert.Single(views, p => p.Targets[0].Publication!.Status == PublicationStatus.Deferred);

        Assert.Single(await recorded.WaitForAsync(PostNextTelemetry.Deferrals.Name, Wait, 1, Platform("sandbox"), Reason("rate_limit")));
        Assert.Single(recorded.Of(PostNextTelemetry.PublishAttempts.Name));
        Assert.Empty(recorded.Of(PostNextTelemetry.Retries.Name));
        AssertNoIds(recorded, ws, first, second, accounts[0]);
    }

    [Fact]
    public async Task An_unknown_outcome_records_a_found_reconciliation_and_its_call_then_a_published_completion()
    {
        using var recorded = new RecordedMeasurements(PostNextTelemetry.Name);
        await using var cluster = await StartAsync();
        var (ws, accounts, postId) = await ScheduleOneAsync(cluster, new SandboxBehaviour(UnknownOutcomeRate: 1));

        await cluster.WaitForPostAsync(postId, p => p.Status == PostStatus.Published, Wait);

        Assert.Single(await recorded.WaitForAsync(PostNextTelemetry.ReconcileResults.Name, Wait, 1, Platform("sandbox"), Outcome("found")));
        Assert.Single(recorded.Of(PostNextTelemetry.PlatformCallDuration.Name, Platform("sandbox"), Operation("reconcile"), Outcome("found")));
        Assert.Single(recorded.Of(PostNextTelemetry.PublishAttempts.Name, Platform("sandbox"), Outcome("unknown_outcome")));
        Assert.Single(await recorded.WaitForAsync(PostNextTelemetry.PublicationsCompleted.Name, Wait, 1, Platform("sandbox"), Outcome("published")));
        Assert.Single(recorded.Of(PostNextTelemetry.PublishLateness.Name, Platform("sandbox")));
        Assert.Empty(recorded.Of(PostNextTelemetry.Deferrals.Name));
        Assert.Empty(recorded.Of(PostNextTelemetry.Retries.Name));
        AssertNoIds(recorded, ws, postId, accounts[0]);
    }

    [Fact]
    public async Task An_attempt_the_platform_never_received_records_not_found_a_not_received_deferral_and_a_retry()
    {
        using var recorded = new RecordedMeasurements(PostNextTelemetry.Name);
        await using var cluster = await SchedulingCluster.StartInMemoryAsync(silos: 1, sandboxSeen: store => new BrokenOffOnce(store));
        var (ws, accounts, postId) = await ScheduleOneAsync(cluster);

        var post = await cluster.WaitForPostAsync(postId, p => p.Status == PostStatus.Published, Wait);

        Assert.Equal(2, post.Targets[0].Publication!.Attempts);
        Assert.Single(await recorded.WaitForAsync(PostNextTelemetry.ReconcileResults.Name, Wait, 1, Platform("sandbox"), Outcome("not_found")));
        Assert.Single(recorded.Of(PostNextTelemetry.Deferrals.Name, Platform("sandbox"), Reason("not_received")));
        Assert.Single(recorded.Of(PostNextTelemetry.Retries.Name, Platform("sandbox"), ErrorType("unknown_outcome")));
        Assert.Single(recorded.Of(PostNextTelemetry.PublishAttempts.Name, Platform("sandbox"), Outcome("unknown_outcome")));
        Assert.Single(await recorded.WaitForAsync(PostNextTelemetry.PublishAttempts.Name, Wait, 1, Platform("sandbox"), Outcome("success")));
        AssertNoIds(recorded, ws, postId, accounts[0]);
    }

    [Fact]
    public async Task Reconciliations_that_cannot_tell_record_unknown_and_the_publication_fails_with_unknown_outcome()
    {
        using var recorded = new RecordedMeasurements(PostNextTelemetry.Name);
        await using var cluster = await StartAsync(("PostNext:Scheduling:PublishTimeout", "00:00:01"), ("PostNext:Scheduling:MaxReconcileAttempts", "2"));
        var (ws, accounts, postId) = await ScheduleOneAsync(cluster, new SandboxBehaviour(LatencyMs: 4_000));

        await cluster.WaitForPostAsync(postId, p => p.Status == PostStatus.Failed, Wait);

        Assert.Equal(2, (await recorded.WaitForAsync(PostNextTelemetry.ReconcileResults.Name, Wait, 2, Platform("sandbox"), Outcome("unknown"))).Count);
        Assert.Equal(2, recorded.Of(PostNextTelemetry.PlatformCallDuration.Name, Platform("sandbox"), Operation("reconcile"), Outcome("unknown")).Count);
        var failed = Assert.Single(await recorded.WaitForAsync(PostNextTelemetry.PublicationsCompleted.Name, Wait, 1, Platform("sandbox"), Outcome("failed")));
        Assert.Equal("unknown_outcome", failed.Tags[PostNextTelemetry.ErrorTypeTag]);
        Assert.Empty(recorded.Of(PostNextTelemetry.Retries.Name));
        AssertNoIds(recorded, ws, postId, accounts[0]);
    }

    /// <summary>A one-silo cluster with the given settings.</summary>
    private static Task<SchedulingCluster> StartAsync(params (string Key, string Value)[] settings) =>
        SchedulingCluster.StartInMemoryAsync(silos: 1, settings.ToDictionary(s => s.Key, s => (string?)s.Value));

    /// <summary>A workspace with one sandbox account, and a post to it due in a second.</summary>
    private static async Task<(string Workspace, IReadOnlyList<string> Accounts, string PostId)> ScheduleOneAsync(SchedulingCluster cluster, SandboxBehaviour? behaviour = null)
    {
        var (ws, accounts) = await cluster.CreateWorkspaceAsync(1, behaviour);
        return (ws, accounts, await cluster.SchedulePostAsync(ws, accounts, DateTimeOffset.UtcNow.AddSeconds(1)));
    }

    /// <summary>The connection to the sandbox breaks off before its first publication is stored: the platform never received it.</summary>
    private sealed class BrokenOffOnce(ISandboxStore inner) : ISandboxStore
    {
        private int _calls;

        public Task RecordAsync(SandboxReceipt receipt, CancellationToken cancellationToken = default) =>
            Interlocked.Increment(ref _calls) == 1
                ? throw new IOException("Sandbox: the connection broke off before the post was stored.")
                : inner.RecordAsync(receipt, cancellationToken);

        public Task<IReadOnlyList<SandboxReceipt>> FindAsync(string accountId, string publicationKey, CancellationToken cancellationToken = default) =>
            inner.FindAsync(accountId, publicationKey, cancellationToken);

        public Task<IReadOnlyList<SandboxReceipt>> ListAsync(string accountId, int limit, CancellationToken cancellationToken = default) =>
            inner.ListAsync(accountId, limit, cancellationToken);
    }
}
