using Orleans.Concurrency;

namespace PostNext.Abstractions.Accounts;

/// <summary>
/// One connected social account: who it is on which platform and whether it can publish. The home of its tokens,
/// rate-limit state and engagement aggregates as those arrive. Key: the account id.
/// </summary>
[Alias("PostNext.IAccountGrain")]
public interface IAccountGrain : IGrainWithStringKey
{
    /// <summary>Creates the account in a workspace; fails when the id is already taken.</summary>
    [Alias("Connect")]
    Task<AccountView> ConnectAsync(ConnectAccount command);

    /// <summary>The account, or null when it does not exist or was removed.</summary>
    [Alias("Get"), ReadOnly] // asked by every post created for the account: reads never wait for each other
    Task<AccountView?> GetAsync();

    /// <summary>Removes the account; publications still pending for it fail at their time with an auth error.</summary>
    [Alias("Remove")]
    Task RemoveAsync();

    /// <summary>
    /// Whether this live account holds the grant <paramref name="grantFingerprint"/> names (one consent can connect several
    /// accounts: a LinkedIn member and its pages, Facebook Pages); a grant is revoked only with its last account.
    /// </summary>
    [Alias("HoldsGrant"), AlwaysInterleave] // Two accounts of one grant removed at once ask each other.
    Task<bool> HoldsGrantAsync(string platform, string grantFingerprint);

    /// <summary>What a connector needs to publish as this account, or null when it cannot publish (removed).</summary>
    [Alias("GetPublishingIdentity")]
    Task<PublishingIdentity?> GetPublishingIdentityAsync();

    /// <summary>New tokens for an existing account (OAuth reconnect or import); a missing refresh token keeps the stored one.</summary>
    [Alias("Reconnect")]
    Task<AccountView> ReconnectAsync(AccountTokens tokens, string handle, string? displayName);

    /// <summary>Refreshes the access token now if it expires within the refresh margin (or <paramref name="force"/>).</summary>
    [Alias("RefreshToken")]
    Task<AccountView?> RefreshTokenAsync(bool force);

    /// <summary>The platform refused the account's token even after a refresh: it must be reconnected by a person.</summary>
    [Alias("MarkReconnectRequired")]
    Task MarkReconnectRequiredAsync(string reason);

    /// <summary>The sandbox's record of what it received for this account, oldest first (sandbox accounts only).</summary>
    [Alias("GetSandboxReceived")]
    Task<IReadOnlyList<SandboxReceipt>> GetSandboxReceivedAsync(int limit);
}

/// <summary>Connection state of an account.</summary>
[GenerateSerializer, Alias("PostNext.AccountStatus")]
public enum AccountStatus
{
    Connected = 0,
    ReconnectRequired = 1,
    Removed = 2,
}

[GenerateSerializer, Immutable, Alias("PostNext.ConnectAccount")]
public sealed record ConnectAccount(
    [property: Id(0)] string WorkspaceId,
    [property: Id(1)] string Platform,
    [property: Id(2)] string Handle,
    [property: Id(3)] string? DisplayName,
    [property: Id(4)] string? ExternalId,
    [property: Id(5)] SandboxBehaviour? Sandbox,
    [property: Id(6)] AccountTokens? Tokens = null);

/// <summary>An account's OAuth tokens as they cross grain calls (secrets redacted in logs; encrypted at rest by the account grain).</summary>
[GenerateSerializer, Immutable, Alias("PostNext.AccountTokens")]
public sealed record AccountTokens(
    [property: Id(0)] Secret AccessToken,
    [property: Id(1)] Secret? RefreshToken,
    [property: Id(2)] DateTimeOffset? ExpiresAt,
    [property: Id(3)] IReadOnlyList<string>? Scopes,
    [property: Id(4)] string? GrantOwner = null);

[GenerateSerializer, Immutable, Alias("PostNext.AccountView")]
public sealed record AccountView(
    [property: Id(0)] string Id,
    [property: Id(1)] string WorkspaceId,
    [property: Id(2)] string Platform,
    [property: Id(3)] string Handle,
    [property: Id(4)] string? DisplayName,
    [property: Id(5)] string ExternalId,
    [property: Id(6)] AccountStatus Status,
    [property: Id(7)] DateTimeOffset CreatedAt,
    [property: Id(8)] SandboxBehaviour? Sandbox,
    [property: Id(9)] DateTimeOffset? TokenExpiresAt = null,
    [property: Id(10)] string? StatusReason = null);

/// <summary>
/// How a sandbox account behaves, so failure handling can be exercised with no external account; and its simulated
/// audience (unset fields are derived from the account id): followers, and the weekly peak of its activity
/// (day and hour, local time in <see cref="TimeZone"/>, UTC when unset). The fault shares (<see cref="FailureRate"/>,
/// <see cref="RateLimitRate"/>, <see cref="UnknownOutcomeRate"/>) are of all calls and add up to at most 1.
/// </summary>
[GenerateSerializer, Immutable, Alias("PostNext.SandboxBehaviour")]
public sealed record SandboxBehaviour(
    [property: Id(0)] int LatencyMs = 0,
    [property: Id(1)] double FailureRate = 0,
    [property: Id(2)] double UnknownOutcomeRate = 0,
    [property: Id(3)] long? Followers = null,
    [property: Id(4)] DayOfWeek? PeakDay = null,
    [property: Id(5)] int? PeakHour = null,
    [property: Id(6)] string? TimeZone = null,
    [property: Id(7)] double RateLimitRate = 0,
    [property: Id(8)] int RateLimitResetSeconds = SandboxBehaviour.DefaultRateLimitResetSeconds,
    [property: Id(9)] int? BudgetSpentResetSeconds = null)
{
    /// <summary>The reset a simulated 429 reports when none is configured.</summary>
    public const int DefaultRateLimitResetSeconds = 60;
}

/// <summary>
/// Identity handed to a connector for one call: the platform's id for the account (a user id, a page id, a LinkedIn
/// author URN, a channel id), its handle, and a current access token (redacted in logs).
/// </summary>
[GenerateSerializer, Immutable, Alias("PostNext.PublishingIdentity")]
public sealed record PublishingIdentity(
    [property: Id(0)] string AccountId,
    [property: Id(1)] string Platform,
    [property: Id(2)] string ExternalId,
    [property: Id(3)] string Handle,
    [property: Id(4)] AccountStatus Status,
    [property: Id(5)] SandboxBehaviour? Sandbox,
    [property: Id(6)] Secret? AccessToken = null);

/// <summary>One publication as the sandbox received it.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.SandboxReceipt")]
public sealed record SandboxReceipt(
    [property: Id(0)] string AccountId,
    [property: Id(1)] string PublicationKey,
    [property: Id(2)] string AttemptId,
    [property: Id(3)] string ExternalId,
    [property: Id(4)] string Permalink,
    [property: Id(5)] string Text,
    [property: Id(6)] int MediaCount,
    [property: Id(7)] DateTimeOffset ReceivedAt);
