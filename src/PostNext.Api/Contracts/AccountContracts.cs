namespace PostNext.Api.Contracts;

/// <summary>
/// A sandbox account (<c>platform: "sandbox"</c>), or an account whose tokens an operator already holds
/// (<c>accessToken</c>, <c>refreshToken?</c>, <c>expiresAt?</c> and the platform's <c>externalId</c> for it).
/// </summary>
public sealed record ConnectAccountRequest(
    string? Platform, string? Handle, string? DisplayName, string? ExternalId, SandboxSettings? Sandbox,
    string? AccessToken, string? RefreshToken, DateTimeOffset? ExpiresAt);

/// <summary>Start connecting through the platform's OAuth page; the platform sends the person back to <c>redirectUri</c>.</summary>
public sealed record StartConnectRequest(string? Platform, string? RedirectUri);

/// <summary>
/// Where to send the person, the single-use state that binds the callback to this workspace, and the one-time
/// <c>completionSecret</c>: keep it on your server and send it as <c>PostNext-Connect-Secret</c> with the callback.
/// </summary>
public sealed record StartConnectResponse(string AuthorizeUrl, string State, DateTimeOffset ExpiresAt, string CompletionSecret);

public sealed record ConnectedAccountResponse(AccountResponse Account, bool Reconnected);

/// <summary>
/// Sandbox behaviour: latency per publish; the share of publishes answered 503 (transient, nothing received), the
/// share answered 429 with a reset of rateLimitResetSeconds (nothing received), and the share whose answer is lost
/// after the post was received (the three shares add up to at most 1); and its simulated audience: followers and the
/// weekly activity peak (peakDay like "tue", peakHour 0–23, local time in timeZone); unset ones are derived from the
/// account id.
/// </summary>
public sealed record SandboxSettings(
    int? LatencyMs, double? FailureRate, double? UnknownOutcomeRate,
    long? Followers = null, string? PeakDay = null, int? PeakHour = null, string? TimeZone = null,
    double? RateLimitRate = null, int? RateLimitResetSeconds = null);

public sealed record AccountResponse(
    string Id, string Platform, string Handle, string? DisplayName, string ExternalId, string Status, DateTimeOffset CreatedAt, SandboxSettings? Sandbox,
    DateTimeOffset? TokenExpiresAt, string? StatusReason);

public sealed record AccountListResponse(IReadOnlyList<AccountResponse> Accounts);

public sealed record QueueRequest(IReadOnlyList<QueueSlotDto>? Slots);

public sealed record QueueSlotDto(string? Day, string? Time);

/// <summary>An account's queue and, for convenience, its next free slots as instants.</summary>
public sealed record QueueResponse(string AccountId, string TimeZone, IReadOnlyList<QueueSlotDto> Slots);

public sealed record SandboxReceivedResponse(string AccountId, IReadOnlyList<SandboxReceiptResponse> Received);

public sealed record SandboxReceiptResponse(
    string PublicationKey, string PostId, string AttemptId, string ExternalId, string Permalink, string Text, int MediaCount, DateTimeOffset ReceivedAt);

/// <summary>An account's rate limits: its own windows and its platform app's, blocks reported by the platform, and what waits.</summary>
public sealed record AccountLimitsResponse(string AccountId, string Platform, IReadOnlyList<LimitScopeResponse> Scopes, int Deferred);

public sealed record LimitScopeResponse(
    string Scope, IReadOnlyList<LimitWindowResponse> Windows, DateTimeOffset? BlockedUntil, string? BlockedReason, int Waiting);

public sealed record LimitWindowResponse(string Name, int Limit, double PeriodSeconds, int Used, int Remaining, DateTimeOffset? ResetAt);

/// <summary>
/// A consent that offered several accounts to publish as (Facebook Pages; a LinkedIn member and its organizations): the
/// callback answers it with 202 and creates nothing. Choose some of <c>candidates</c> by id before <c>chooseBy</c> with
/// <c>POST /v1/workspaces/{ws}/connections/{state}/choose</c>; once chosen, <c>accounts</c> lists what was connected.
/// </summary>
public sealed record ConnectChoiceResponse(
    string State, string Platform, DateTimeOffset ChooseBy, IReadOnlyList<ConnectCandidateResponse> Candidates, IReadOnlyList<ConnectedAccountResponse> Accounts);

/// <summary>One account a consent offered: the platform's id for it (a Page id, an organization URN), its name, handle and kind (page, member, organization, profile).</summary>
public sealed record ConnectCandidateResponse(string Id, string Name, string Handle, string Kind);

/// <summary>The candidates to connect, by their <c>id</c>.</summary>
public sealed record ChooseAccountsRequest(List<string>? Ids);

/// <summary>One account per chosen candidate (created, or reconnected when the workspace had it).</summary>
public sealed record ChosenAccountsResponse(IReadOnlyList<ConnectedAccountResponse> Accounts);
