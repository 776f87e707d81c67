namespace PostNext.Abstractions.Webhooks;

/// <summary>
/// One fact worth telling a workspace's webhooks about. <see cref="Id"/> is stable for the fact (derived from what
/// happened, not from when it was emitted), so emitting the same fact twice delivers it once and a receiver can dedupe.
/// <see cref="DataJson"/> is the event's <c>data</c> object as JSON text.
/// </summary>
[GenerateSerializer, Immutable, Alias("PostNext.WebhookEvent")]
public sealed record WebhookEvent(
    [property: Id(0)] string Id,
    [property: Id(1)] string Type,
    [property: Id(2)] DateTimeOffset OccurredAt,
    [property: Id(3)] string DataJson);

/// <summary>The event types a webhook can subscribe to, as they appear in the <c>type</c> field.</summary>
public static class WebhookEventTypes
{
    public const string PostPublished = "post.published";
    public const string PostFailed = "post.failed";
    public const string PostDeferred = "post.deferred";
    public const string AccountReconnectRequired = "account.reconnect_required";

    /// <summary>Sent by <c>POST …/webhooks/{id}/test</c> to that webhook only, whatever it subscribed to.</summary>
    public const string Test = "webhook.test";

    /// <summary>The types a subscription may list.</summary>
    public static IReadOnlyList<string> Subscribable { get; } = [PostPublished, PostFailed, PostDeferred, AccountReconnectRequired];

    public static bool IsSubscribable(string? type) => type is not null && Subscribable.Contains(type, StringComparer.Ordinal);
}

/// <summary>Id prefixes of the webhook area (shape as <see cref="Ids"/>: prefix + 20 hex characters).</summary>
public static class WebhookIds
{
    public const string Webhook = "wh";
    public const string Event = "evt";
    public const string Delivery = "dlv";

    /// <summary>A delivery is one event to one webhook: the same pair always has the same id, so a re-emit stores nothing new.</summary>
    public static string DeliveryFor(string webhookId, string eventId) => Ids.Derived(Delivery, $"{webhookId}|{eventId}");
}
