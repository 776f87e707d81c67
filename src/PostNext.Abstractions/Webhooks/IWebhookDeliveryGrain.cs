using Orleans.Concurrency;

namespace PostNext.Abstractions.Webhooks;

/// <summary>
/// Delivers one webhook's pending deliveries, several at once but each resource's events in order, and retries them
/// with backoff: a timer for the next attempt, a reminder as the durable wake-up while anything is pending. Holds no
/// state of its own (the deliveries store does). Key: <see cref="WebhookDeliveryKey"/>.
/// </summary>
[Alias("PostNext.IWebhookDeliveryGrain")]
public interface IWebhookDeliveryGrain : IGrainWithStringKey
{
    /// <summary>New deliveries are stored: make sure the durable wake-up exists and start delivering now.</summary>
    [Alias("Kick"), AlwaysInterleave]
    Task KickAsync();
}

/// <summary>Builds and reads delivery grain keys: <c>{workspaceId}~{webhookId}</c>.</summary>
public static class WebhookDeliveryKey
{
    public static string For(string workspaceId, string webhookId) => $"{workspaceId}~{webhookId}";

    public static (string WorkspaceId, string WebhookId) Parse(string key)
    {
        var parts = key.Split('~');
        return parts.Length == 2 ? (parts[0], parts[1]) : throw new ArgumentException($"'{key}' is not a webhook delivery key.", nameof(key));
    }
}
