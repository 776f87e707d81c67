using PostNext.Abstractions.Webhooks;
using PostNext.Storage.Webhooks;

namespace PostNext.Grains.Tests.Webhooks;

/// <summary>A deliveries store that counts the writes that touch many rows at once, and the reads of pending deliveries.</summary>
public sealed class CountingDeliveryStore(IWebhookDeliveryStore inner) : IWebhookDeliveryStore
{
    private int _postponed;
    private int _reads;

    /// <summary>Calls that rewrote every pending row of a webhook.</summary>
    public int Postponed => _postponed;

    /// <summary>Calls that read a webhook's pending deliveries or its next due time.</summary>
    public int Reads => Volatile.Read(ref _reads);

    public Task<int> AddAsync(IReadOnlyList<WebhookDelivery> deliveries, CancellationToken cancellationToken = default) => inner.AddAsync(deliveries, cancellationToken);

    public Task<IReadOnlyList<WebhookDelivery>> DueAsync(string workspaceId, string webhookId, DateTimeOffset now, int limit, CancellationToken cancellationToken = default) =>
        inner.DueAsync(workspaceId, webhookId, now, limit, cancellationToken);

    public Task<DateTimeOffset?> NextDueAsync(string workspaceId, string webhookId, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        return inner.NextDueAsync(workspaceId, webhookId, cancellationToken);
    }

    public Task UpdateAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default) => inner.UpdateAsync(delivery, cancellationToken);

    public Task<IReadOnlyList<WebhookDelivery>> PendingAsync(string workspaceId, string webhookId, int limit, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _reads);
        return inner.PendingAsync(workspaceId, webhookId, limit, cancellationToken);
    }

    public Task<WebhookDelivery?> GetAsync(string workspaceId, string webhookId, string deliveryId, CancellationToken cancellationToken = default) =>
        inner.GetAsync(workspaceId, webhookId, deliveryId, cancellationToken);

    public Task ResumeAsync(string workspaceId, string webhookId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        inner.ResumeAsync(workspaceId, webhookId, now, cancellationToken);

    public Task PostponeAsync(string workspaceId, string webhookId, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        Interlocked.Increment(ref _postponed);
        return inner.PostponeAsync(workspaceId, webhookId, until, cancellationToken);
    }

    public Task<IReadOnlyList<WebhookDelivery>> ListAsync(string workspaceId, string webhookId, int limit, CancellationToken cancellationToken = default) =>
        inner.ListAsync(workspaceId, webhookId, limit, cancellationToken);

    public Task RemoveWebhookAsync(string workspaceId, string webhookId, CancellationToken cancellationToken = default) =>
        inner.RemoveWebhookAsync(workspaceId, webhookId, cancellationToken);

    public Task PruneAsync(string workspaceId, string webhookId, DateTimeOffset before, CancellationToken cancellationToken = default) =>
        inner.PruneAsync(workspaceId, webhookId, before, cancellationToken);

    public Task<WebhookBacklog> BacklogAsync(CancellationToken cancellationToken = default) => inner.BacklogAsync(cancellationToken);
}
