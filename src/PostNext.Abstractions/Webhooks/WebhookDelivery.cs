namespace PostNext.Abstractions.Webhooks;

/// <summary>Where one delivery stands.</summary>
[GenerateSerializer, Alias("PostNext.WebhookDeliveryStatus")]
public enum WebhookDeliveryStatus
{
    /// <summary>Not yet answered with a 2xx; the next attempt is at <c>NextAttemptAt</c>.</summary>
    Pending = 0,

    Delivered = 1,

    /// <summary>Still not delivered when the retry window (<c>PostNext:Webhooks:RetryFor</c>) ran out.</summary>
    Failed = 2,
}

/// <summary>
/// One event to one webhook: the exact body sent on every attempt (<see cref="Payload"/>), where it stands, and its
/// most recent attempts (bounded; <see cref="AttemptCount"/> counts them all).
/// </summary>
[GenerateSerializer, Immutable, Alias("PostNext.WebhookDelivery")]
public sealed record WebhookDelivery(
    [property: Id(0)] string Id,
    [property: Id(1)] string WorkspaceId,
    [property: Id(2)] string WebhookId,
    [property: Id(3)] string EventId,
    [property: Id(4)] string EventType,
    [property: Id(5)] string Payload,
    [property: Id(6)] DateTimeOffset CreatedAt,
    [property: Id(7)] WebhookDeliveryStatus Status,
    [property: Id(8)] int AttemptCount,
    [property: Id(9)] DateTimeOffset? NextAttemptAt,
    [property: Id(10)] DateTimeOffset? DeliveredAt,
    [property: Id(11)] IReadOnlyList<WebhookAttempt> Attempts,
    [property: Id(12)] DateTimeOffset? FirstAttemptAt = null);

/// <summary>One HTTP attempt: when, the receiver's status code (none if it was not reached), what went wrong, how long it took.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.WebhookAttempt")]
public sealed record WebhookAttempt(
    [property: Id(0)] DateTimeOffset At,
    [property: Id(1)] int? StatusCode,
    [property: Id(2)] string? Error,
    [property: Id(3)] long DurationMs);
