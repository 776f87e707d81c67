using PostNext.Abstractions.Accounts;
using PostNext.Platforms.Sandbox;
using PostNext.Platforms.Tests.Common;
using PostNext.Storage.Sandbox;

namespace PostNext.Platforms.Tests.Sandbox;

/// <summary>The sandbox's simulated faults: what the caller is told, and what the sandbox records as received.</summary>
public sealed class SandboxConnectorTests
{
    private readonly InMemorySandboxStore _store = new();
    private readonly Microsoft.Extensions.Time.Testing.FakeTimeProvider _time = ConnectorHarness.FakeTime();

    [Fact]
    public async Task A_simulated_429_reports_the_configured_reset_and_receives_nothing()
    {
        var request = Request(new SandboxBehaviour(RateLimitRate: 1, RateLimitResetSeconds: 90));

        var outcome = await Connector().PublishAsync(request, CancellationToken.None);

        Assert.False(outcome.Succeeded);
        Assert.Equal(ErrorCategory.RateLimited, outcome.ErrorCategory);
        Assert.Equal(_time.GetUtcNow().AddSeconds(90), outcome.RetryAfter);
        Assert.Empty(await _store.FindAsync(request.Account.AccountId, request.PublicationKey));
        Assert.Equal(ReconcileState.NotFound, (await Connector().FindPublicationAsync(request, CancellationToken.None)).State);
    }

    [Fact]
    public async Task A_simulated_503_is_transient_and_receives_nothing()
    {
        var request = Request(new SandboxBehaviour(FailureRate: 1));

        var outcome = await Connector().PublishAsync(request, CancellationToken.None);

        Assert.Equal(ErrorCategory.Transient, outcome.ErrorCategory);
        Assert.Null(outcome.RetryAfter);
        Assert.Empty(await _store.FindAsync(request.Account.AccountId, request.PublicationKey));
    }

    [Fact]
    public async Task A_timeout_after_the_post_was_received_records_it_and_reconciles_as_found()
    {
        var request = Request(new SandboxBehaviour(UnknownOutcomeRate: 1));

        var outcome = await Connector().PublishAsync(request, CancellationToken.None);

        Assert.Equal(ErrorCategory.UnknownOutcome, outcome.ErrorCategory);
        var received = Assert.Single(await _store.FindAsync(request.Account.AccountId, request.PublicationKey));
        Assert.Equal(request.AttemptId, received.AttemptId);
        var found = await Connector().FindPublicationAsync(request, CancellationToken.None);
        Assert.Equal(ReconcileState.Found, found.State);
        Assert.Equal(received.ExternalId, found.Publication!.ExternalId);
    }

    [Fact]
    public async Task Without_faults_every_call_is_received_once_and_succeeds()
    {
        var request = Request(new SandboxBehaviour());

        var outcome = await Connector().PublishAsync(request, CancellationToken.None);

        Assert.True(outcome.Succeeded);
        Assert.Single(await _store.FindAsync(request.Account.AccountId, request.PublicationKey));
    }

    private SandboxConnector Connector() => new(_store, _time);

    private static PublishRequest Request(SandboxBehaviour behaviour)
    {
        var account = new PublishingIdentity("acc" + new string('1', 20), PlatformIds.Sandbox, "sbx-1", "acme", AccountStatus.Connected, behaviour);
        return new PublishRequest("post" + new string('2', 20) + "~" + account.AccountId, Guid.NewGuid().ToString("N"), account, new PostContent("Hello", []));
    }
}
