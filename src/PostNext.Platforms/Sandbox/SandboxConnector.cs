using System.Security.Cryptography;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Platforms;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;
using PostNext.Storage.Sandbox;

namespace PostNext.Platforms.Sandbox;

/// <summary>
/// The built-in platform: needs no credentials, waits the account's configured latency, and then, at the account's
/// configured shares of calls, answers 503 (a transient error, nothing received), answers 429 with a reset (rate
/// limited, nothing received) or loses the answer (received, but the caller is not told: a timeout after the post was
/// received); it records every publication it received. With <see cref="SandboxBehaviour.BudgetSpentResetSeconds"/> every
/// publish's outcome, successes included, reports the account's budget spent until that many seconds later
/// (<see cref="PublishOutcome.Limit"/>), as a platform's rate-limit headers do (X's <c>x-rate-limit-remaining: 0</c>).
/// Reconciliation waits the same latency as a publish.
/// </summary>
public sealed class SandboxConnector(ISandboxStore store, TimeProvider time) : IPlatformConnector
{
    private static readonly SandboxEngagement Engagement = new();

    /// <summary>Base of sandbox permalinks.</summary>
    public const string PermalinkBase = "https://sandbox.postnext.invalid";

    public string Platform => PlatformIds.Sandbox;

    public async Task<PublishOutcome> PublishAsync(PublishRequest request, CancellationToken cancellationToken)
    {
        var behaviour = await RespondAsync(request.Account, cancellationToken);
        var outcome = await OutcomeAsync(request, behaviour, cancellationToken);
        return outcome with { Limit = SpentBudget(behaviour) };
    }

    /// <summary>What the simulated platform answers, by the account's configured shares: 503, 429, a lost answer, or the post.</summary>
    private async Task<PublishOutcome> OutcomeAsync(PublishRequest request, SandboxBehaviour behaviour, CancellationToken cancellationToken)
    {
        var roll = Random.Shared.NextDouble();
        if (roll < behaviour.FailureRate)
        {
            return PublishOutcome.Failure(ErrorCategory.Transient, "Sandbox: simulated 503 Service Unavailable; nothing was published.");
        }

        if (roll < behaviour.FailureRate + behaviour.RateLimitRate)
        {
            var reset = TimeSpan.FromSeconds(behaviour.RateLimitResetSeconds > 0 ? behaviour.RateLimitResetSeconds : SandboxBehaviour.DefaultRateLimitResetSeconds);
            return PublishOutcome.Failure(ErrorCategory.RateLimited,
                $"Sandbox: simulated 429 Too Many Requests, resets in {reset.TotalSeconds:0} s; nothing was published.", time.GetUtcNow() + reset);
        }

        var externalId = "sbx" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(8));
        var permalink = $"{PermalinkBase}/{Uri.EscapeDataString(request.Account.Handle)}/posts/{externalId}";
        var receivedAt = time.GetUtcNow();
        await store.RecordAsync(
            new SandboxReceipt(request.Account.AccountId, request.PublicationKey, request.AttemptId, externalId, permalink,
                request.Content.Text, request.Content.Media.Count, receivedAt),
            cancellationToken);

        if (roll < behaviour.FailureRate + behaviour.RateLimitRate + behaviour.UnknownOutcomeRate)
        {
            return PublishOutcome.Failure(ErrorCategory.UnknownOutcome, "Sandbox: simulated timeout after the post was received.");
        }

        return PublishOutcome.Success(externalId, permalink, receivedAt);
    }

    /// <summary>Sandbox accounts are created directly; there is nothing to authorize.</summary>
    public Uri BuildAuthorizeUrl(AuthorizeRequest request) =>
        throw new NotSupportedException("Sandbox accounts need no connection: create them with POST …/accounts {\"platform\": \"sandbox\"}.");

    public Task<ConnectedAccount> CompleteConnectAsync(CodeExchange exchange, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Sandbox accounts need no connection.");

    public Task<IReadOnlyList<ConnectedAccount>> CompleteConnectChoicesAsync(CodeExchange exchange, CancellationToken cancellationToken) =>
        throw new NotSupportedException("Sandbox accounts need no connection.");

    /// <summary>Sandbox tokens never expire.</summary>
    public Task<TokenRefresh> RefreshTokenAsync(TokenSet current, CancellationToken cancellationToken) => Task.FromResult(TokenRefresh.Ok(current));

    public Task RevokeAsync(TokenSet current, CancellationToken cancellationToken) => Task.CompletedTask;

    public Task<MetricsResult<PostMetrics>> ReadPostMetricsAsync(PostMetricsRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(MetricsResult<PostMetrics>.Ok(Engagement.PostAt(request, time.GetUtcNow())));

    public Task<MetricsResult<AccountMetrics>> ReadAccountMetricsAsync(PublishingIdentity account, CancellationToken cancellationToken) =>
        Task.FromResult(MetricsResult<AccountMetrics>.Ok(Engagement.AccountAt(account, time.GetUtcNow())));

    public async Task<ReconcileResult> FindPublicationAsync(PublishRequest request, CancellationToken cancellationToken)
    {
        await RespondAsync(request.Account, cancellationToken);
        var received = await store.FindAsync(request.Account.AccountId, request.PublicationKey, cancellationToken);
        return received.Count == 0
            ? ReconcileResult.NotFound
            : ReconcileResult.Found(PublishOutcome.Success(received[0].ExternalId, received[0].Permalink, received[0].ReceivedAt));
    }

    /// <summary>Sandbox posts take no options, so no thread replies or first comments either.</summary>
    public Task<PublishOutcome> PublishFollowUpAsync(FollowUpRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(PublishOutcome.Failure(ErrorCategory.InvalidContent, "Sandbox posts take no thread replies or first comments."));

    public Task<ReconcileResult> FindFollowUpAsync(FollowUpRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(ReconcileResult.Unknown("Sandbox posts take no thread replies or first comments."));

    /// <summary>What every call does before it answers: waits the account's latency.</summary>
    private async Task<SandboxBehaviour> RespondAsync(PublishingIdentity account, CancellationToken cancellationToken)
    {
        var behaviour = account.Sandbox ?? new SandboxBehaviour();
        if (behaviour.LatencyMs > 0)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(behaviour.LatencyMs), time, cancellationToken);
        }

        return behaviour;
    }

    /// <summary>The budget a publish reports spent (as x-rate-limit-remaining: 0 would), when the account simulates one.</summary>
    private PlatformLimit? SpentBudget(SandboxBehaviour behaviour)
    {
        if (behaviour.BudgetSpentResetSeconds is not { } reset)
        {
            return null;
        }

        var resetAt = time.GetUtcNow().AddSeconds(reset);
        return new PlatformLimit(null, 0, resetAt, resetAt);
    }
}
