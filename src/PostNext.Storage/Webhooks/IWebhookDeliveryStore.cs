using PostNext.Abstractions.Webhooks;

namespace PostNext.Storage.Webhooks;

/// <summary>
/// Webhook deliveries: one row per event per webhook, in the order they were added, updated after each attempt by
/// the webhook's delivery grain (its only writer) and listed for the API.
/// </summary>
public interface IWebhookDeliveryStore
{
    /// <summary>Adds the deliveries in order; one whose id already exists (a re-emitted event) is left as it is. Answers how many were new.</summary>
    Task<int> AddAsync(IReadOnlyList<WebhookDelivery> deliveries, CancellationToken cancellationToken = default);

    /// <summary>Pending deliveries of a webhook whose next attempt is due at <paramref name="now"/>, oldest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<WebhookDelivery>> DueAsync(string workspaceId, string webhookId, DateTimeOffset now, int limit, CancellationToken cancellationToken = default);

    /// <summary>The earliest next attempt among a webhook's pending deliveries; null when none is pending.</summary>
    Task<DateTimeOffset?> NextDueAsync(string workspaceId, string webhookId, CancellationToken cancellationToken = default);

    /// <summary>Writes a delivery's status, attempt count, next attempt, delivery time and attempts.</summary>
    Task UpdateAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default);

    /// <summary>A webhook's pending deliveries, due or not, oldest first, at most <paramref name="limit"/> (to keep each resource's events in order).</summary>
    Task<IReadOnlyList<WebhookDelivery>> PendingAsync(string workspaceId, string webhookId, int limit, CancellationToken cancellationToken = default);

    /// <summary>One delivery of a webhook, or null.</summary>
    Task<WebhookDelivery?> GetAsync(string workspaceId, string webhookId, string deliveryId, CancellationToken cancellationToken = default);

    /// <summary>Makes every pending delivery of a webhook due at <paramref name="now"/> (its receiver is back after an outage): one statement.</summary>
    Task ResumeAsync(string workspaceId, string webhookId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Moves every pending delivery of a webhook due before <paramref name="until"/> to <paramref name="until"/> (the receiver is unavailable).</summary>
    Task PostponeAsync(string workspaceId, string webhookId, DateTimeOffset until, CancellationToken cancellationToken = default);

    /// <summary>A webhook's deliveries, newest first, at most <paramref name="limit"/>.</summary>
    Task<IReadOnlyList<WebhookDelivery>> ListAsync(string workspaceId, string webhookId, int limit, CancellationToken cancellationToken = default);

    /// <summary>Forgets every delivery of a webhook (it was deleted).</summary>
    Task RemoveWebhookAsync(string workspaceId, string webhookId, CancellationToken cancellationToken = default);

    /// <summary>Forgets a webhook's finished (delivered or failed) deliveries created before <paramref name="before"/>.</summary>
    Task PruneAsync(string workspaceId, string webhookId, DateTimeOffset before, CancellationToken cancellationToken = default);

    /// <summary>How many deliveries are pending across every webhook, and the creation time of the oldest: one aggregate read (the backlog gauges).</summary>
    Task<WebhookBacklog> BacklogAsync(CancellationToken cancellationToken = default);
}

/// <summary>The pending deliveries of every webhook: their count and the creation time of the oldest (null when none).</summary>
public sealed record WebhookBacklog(long Pending, DateTimeOffset? OldestCreatedAt);
