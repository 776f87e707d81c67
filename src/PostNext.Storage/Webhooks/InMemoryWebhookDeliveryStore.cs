using PostNext.Abstractions.Webhooks;

namespace PostNext.Storage.Webhooks;

/// <summary>Webhook deliveries in process memory (embedded mode and single-process tests), one ordered bucket per webhook.</summary>
public sealed class InMemoryWebhookDeliveryStore : IWebhookDeliveryStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<(string Workspace, string Webhook), SortedDictionary<long, WebhookDelivery>> _byWebhook = [];
    private readonly Dictionary<string, long> _seqById = new(StringComparer.Ordinal);
    private long _seq;

    public Task<int> AddAsync(IReadOnlyList<WebhookDelivery> deliveries, CancellationToken cancellationToken = default)
    {
        var added = 0;
        lock (_gate)
        {
            foreach (var delivery in deliveries)
            {
                if (_seqById.TryAdd(delivery.Id, _seq + 1))
                {
                    _seq++;
                    Bucket(delivery.WorkspaceId, delivery.WebhookId, create: true)![_seq] = delivery;
                    added++;
                }
            }
        }

        return Task.FromResult(added);
    }

    public Task<IReadOnlyList<WebhookDelivery>> DueAsync(string workspaceId, string webhookId, DateTimeOffset now, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<WebhookDelivery> due = Deliveries(workspaceId, webhookId)
                .Where(d => d.Status == WebhookDeliveryStatus.Pending && d.NextAttemptAt <= now)
                .Take(limit)
                .ToList();
            return Task.FromResult(due);
        }
    }

    public Task<DateTimeOffset?> NextDueAsync(string workspaceId, string webhookId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var next = Deliveries(workspaceId, webhookId).Where(d => d.Status == WebhookDeliveryStatus.Pending).Min(d => d.NextAttemptAt);
            return Task.FromResult(next);
        }
    }

    public Task<WebhookBacklog> BacklogAsync(CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var pending = _byWebhook.Values.SelectMany(d => d.Values).Where(d => d.Status == WebhookDeliveryStatus.Pending).ToList();
            return Task.FromResult(new WebhookBacklog(pending.Count, pending.Count == 0 ? null : pending.Min(d => d.CreatedAt)));
        }
    }

    public Task UpdateAsync(WebhookDelivery delivery, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_seqById.TryGetValue(delivery.Id, out var seq) && Bucket(delivery.WorkspaceId, delivery.WebhookId, create: false) is { } bucket &&
                bucket.TryGetValue(seq, out var existing))
            {
                bucket[seq] = existing with
                {
                    Status = delivery.Status,
                    AttemptCount = delivery.AttemptCount,
                    NextAttemptAt = delivery.NextAttemptAt,
                    DeliveredAt = delivery.DeliveredAt,
                    Attempts = [.. delivery.Attempts],
                    FirstAttemptAt = delivery.FirstAttemptAt,
                };
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<WebhookDelivery>> PendingAsync(string workspaceId, string webhookId, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<WebhookDelivery> pending = Deliveries(workspaceId, webhookId).Where(d => d.Status == WebhookDeliveryStatus.Pending).Take(limit).ToList();
            return Task.FromResult(pending);
        }
    }

    public Task<WebhookDelivery?> GetAsync(string workspaceId, string webhookId, string deliveryId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(Deliveries(workspaceId, webhookId).FirstOrDefault(d => d.Id == deliveryId));
        }
    }

    public Task ResumeAsync(string workspaceId, string webhookId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (Bucket(workspaceId, webhookId, create: false) is { } bucket)
            {
                foreach (var (seq, delivery) in bucket.ToList())
                {
                    if (delivery.Status == WebhookDeliveryStatus.Pending && delivery.NextAttemptAt > now)
                    {
                        bucket[seq] = delivery with { NextAttemptAt = now };
                    }
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task PostponeAsync(string workspaceId, string webhookId, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (Bucket(workspaceId, webhookId, create: false) is { } bucket)
            {
                foreach (var (seq, delivery) in bucket.ToList())
                {
                    if (delivery.Status == WebhookDeliveryStatus.Pending && delivery.NextAttemptAt < until)
                    {
                        bucket[seq] = delivery with { NextAttemptAt = until };
                    }
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task<IReadOnlyList<WebhookDelivery>> ListAsync(string workspaceId, string webhookId, int limit, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            IReadOnlyList<WebhookDelivery> list = Deliveries(workspaceId, webhookId).Reverse().Take(limit).ToList();
            return Task.FromResult(list);
        }
    }

    public Task RemoveWebhookAsync(string workspaceId, string webhookId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (_byWebhook.Remove((workspaceId, webhookId), out var bucket))
            {
                foreach (var delivery in bucket.Values)
                {
                    _seqById.Remove(delivery.Id);
                }
            }
        }

        return Task.CompletedTask;
    }

    public Task PruneAsync(string workspaceId, string webhookId, DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            if (Bucket(workspaceId, webhookId, create: false) is { } bucket)
            {
                foreach (var (seq, delivery) in bucket.ToList())
                {
                    if (delivery.Status != WebhookDeliveryStatus.Pending && delivery.CreatedAt < before)
                    {
                        bucket.Remove(seq);
                        _seqById.Remove(delivery.Id);
                    }
                }
            }
        }

        return Task.CompletedTask;
    }

    private IEnumerable<WebhookDelivery> Deliveries(string workspaceId, string webhookId) =>
        Bucket(workspaceId, webhookId, create: false)?.Values ?? Enumerable.Empty<WebhookDelivery>();

    private SortedDictionary<long, WebhookDelivery>? Bucket(string workspaceId, string webhookId, bool create)
    {
        if (!_byWebhook.TryGetValue((workspaceId, webhookId), out var bucket) && create)
        {
            bucket = [];
            _byWebhook[(workspaceId, webhookId)] = bucket;
        }

        return bucket;
    }
}
