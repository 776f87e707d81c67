namespace PostNext.Api.Contracts;

public sealed record ConnectAccountRequest(string? Platform, string? Handle, string? DisplayName, string? ExternalId, SandboxSettings? Sandbox);

/// <summary>Sandbox behaviour: latency per publish, the share of publishes that fail transiently, and the share whose answer is lost after the post was received.</summary>
public sealed record SandboxSettings(int? LatencyMs, double? FailureRate, double? UnknownOutcomeRate);

public sealed record AccountResponse(
    string Id, string Platform, string Handle, string? DisplayName, string ExternalId, string Status, DateTimeOffset CreatedAt, SandboxSettings? Sandbox);

public sealed record AccountListResponse(IReadOnlyList<AccountResponse> Accounts);

public sealed record QueueRequest(IReadOnlyList<QueueSlotDto>? Slots);

public sealed record QueueSlotDto(string? Day, string? Time);

/// <summary>An account's queue and, for convenience, its next free slots as instants.</summary>
public sealed record QueueResponse(string AccountId, string TimeZone, IReadOnlyList<QueueSlotDto> Slots);

public sealed record SandboxReceivedResponse(string AccountId, IReadOnlyList<SandboxReceiptResponse> Received);

public sealed record SandboxReceiptResponse(
    string PublicationKey, string PostId, string AttemptId, string ExternalId, string Permalink, string Text, int MediaCount, DateTimeOffset ReceivedAt);
