using System.Text.Json.Serialization;

namespace PostNext.Api.Contracts;

/// <summary>
/// A new webhook: the receiver <c>url</c> (https), the <c>events</c> to send it, and optionally the signing
/// <c>secret</c> (16 to 256 characters); without one, a secret is generated and shown once in the answer.
/// </summary>
public sealed record CreateWebhookRequest(string? Url, IReadOnlyList<string?>? Events, string? Secret);

public sealed record WebhookResponse(string Id, string Url, IReadOnlyList<string> Events, DateTimeOffset CreatedAt);

/// <summary>The created webhook; <c>secret</c> is present only when the server generated it, and is never shown again.</summary>
public sealed record CreatedWebhookResponse(
    string Id, string Url, IReadOnlyList<string> Events, DateTimeOffset CreatedAt,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret);

public sealed record WebhookListResponse(IReadOnlyList<WebhookResponse> Webhooks);

/// <summary>One event to the webhook: <c>pending</c> (with its next attempt), <c>delivered</c> or <c>failed</c>, and its most recent attempts.</summary>
public sealed record WebhookDeliveryResponse(
    string Id, string EventId, string EventType, string Status, DateTimeOffset CreatedAt, int AttemptCount,
    DateTimeOffset? NextAttemptAt, DateTimeOffset? DeliveredAt, IReadOnlyList<WebhookAttemptResponse> Attempts);

/// <summary>One HTTP attempt: the receiver's status code (null when it was not reached) or what went wrong, and how long it took.</summary>
public sealed record WebhookAttemptResponse(DateTimeOffset At, int? StatusCode, string? Error, long DurationMs);

/// <summary>A new signing secret (or none, to generate one) and how many hours the previous one keeps signing too (0–168, default 24).</summary>
public sealed record RotateWebhookSecretRequest(string? Secret, int? GraceHours);

/// <summary>The rotation: <c>secret</c> only when the server generated it (shown this once), and when the previous secret stops signing.</summary>
public sealed record RotatedWebhookSecretResponse(
    string WebhookId,
    [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] string? Secret,
    DateTimeOffset PreviousSecretExpiresAt);

public sealed record WebhookDeliveryListResponse(string WebhookId, IReadOnlyList<WebhookDeliveryResponse> Deliveries);
