using Orleans.Concurrency;

namespace PostNext.Abstractions.Webhooks;

/// <summary>
/// A workspace's webhooks: its subscriptions (bounded, secrets encrypted at rest) and the entry point for events.
/// Emitting stores one delivery per matching webhook and returns; delivery runs in the background. Key: the workspace id.
/// </summary>
[Alias("PostNext.IWebhooksGrain")]
public interface IWebhooksGrain : IGrainWithStringKey
{
    /// <summary>Validates and adds a webhook; answers the problems found, or a conflict when the workspace has too many.</summary>
    [Alias("Create")]
    Task<WebhookCreation> CreateAsync(CreateWebhook command);

    /// <summary>The workspace's webhooks, oldest first (never their secrets).</summary>
    [Alias("List"), AlwaysInterleave]
    Task<IReadOnlyList<WebhookView>> ListAsync();

    /// <summary>One webhook, or null when it does not exist.</summary>
    [Alias("Get"), AlwaysInterleave]
    Task<WebhookView?> GetAsync(string webhookId);

    /// <summary>Removes a webhook and its deliveries (pending ones are dropped); false when it did not exist.</summary>
    [Alias("Delete")]
    Task<bool> DeleteAsync(string webhookId);

    /// <summary>Stores a delivery of the event for every webhook subscribed to its type, then starts delivering them.</summary>
    [Alias("Emit"), AlwaysInterleave]
    Task EmitAsync(WebhookEvent webhookEvent);

    /// <summary>Sends a <c>webhook.test</c> event to one webhook; null when it does not exist.</summary>
    [Alias("SendTest"), AlwaysInterleave]
    Task<WebhookDelivery?> SendTestAsync(string webhookId);

    /// <summary>A webhook's deliveries, newest first, at most <paramref name="limit"/>; null when the webhook does not exist.</summary>
    [Alias("GetDeliveries"), AlwaysInterleave]
    Task<IReadOnlyList<WebhookDelivery>?> GetDeliveriesAsync(string webhookId, int limit);

    /// <summary>Sends one delivery again (pending now, with a fresh retry window); null when the webhook or delivery does not exist.</summary>
    [Alias("Redeliver")]
    Task<WebhookDelivery?> RedeliverAsync(string webhookId, string deliveryId);

    /// <summary>
    /// Replaces a webhook's signing secret (the given one, or a generated one shown once); the previous secret keeps
    /// signing too for <paramref name="grace"/>, so receivers can switch without losing events. Null when the webhook does not exist.
    /// </summary>
    [Alias("RotateSecret")]
    Task<WebhookSecretRotation?> RotateSecretAsync(string webhookId, Secret? secret, TimeSpan grace);

    /// <summary>Where and how to deliver to a webhook (its decrypted secret); null when it does not exist. For the delivery grain.</summary>
    [Alias("GetTarget"), AlwaysInterleave]
    Task<WebhookTarget?> GetTargetAsync(string webhookId);
}

/// <summary>A new webhook as the API received it: nothing is trusted yet.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.CreateWebhook")]
public sealed record CreateWebhook(
    [property: Id(0)] string? Url,
    [property: Id(1)] IReadOnlyList<string?>? Events,
    [property: Id(2)] Secret? Secret);

/// <summary>
/// The result of <see cref="IWebhooksGrain.CreateAsync"/>: the webhook, or the problems by field, or a conflict.
/// <see cref="GeneratedSecret"/> is set only when the server made the secret (it is shown this once).
/// </summary>
[GenerateSerializer, Immutable, Alias("PostNext.WebhookCreation")]
public sealed record WebhookCreation(
    [property: Id(0)] WebhookView? Webhook,
    [property: Id(1)] Secret? GeneratedSecret,
    [property: Id(2)] IReadOnlyList<WebhookProblem> Problems,
    [property: Id(3)] string? Conflict);

/// <summary>One invalid field (<c>url</c>, <c>events</c>, <c>events[1]</c>, <c>secret</c>) and what is wrong with it.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.WebhookProblem")]
public sealed record WebhookProblem(
    [property: Id(0)] string Field,
    [property: Id(1)] string Message);

[GenerateSerializer, Immutable, Alias("PostNext.WebhookView")]
public sealed record WebhookView(
    [property: Id(0)] string Id,
    [property: Id(1)] string WorkspaceId,
    [property: Id(2)] string Url,
    [property: Id(3)] IReadOnlyList<string> Events,
    [property: Id(4)] DateTimeOffset CreatedAt);

/// <summary>What the delivery grain needs to send: the URL and the signing secret, and during a rotation's grace period the previous one (redacted in logs).</summary>
[GenerateSerializer, Immutable, Alias("PostNext.WebhookTarget")]
public sealed record WebhookTarget(
    [property: Id(0)] string WebhookId,
    [property: Id(1)] string Url,
    [property: Id(2)] Secret Secret,
    [property: Id(3)] Secret? PreviousSecret = null);

/// <summary>A rotated secret: the generated one (shown once; null when the caller gave it), or the problem with the one given.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.WebhookSecretRotation")]
public sealed record WebhookSecretRotation(
    [property: Id(0)] Secret? GeneratedSecret,
    [property: Id(1)] DateTimeOffset PreviousSecretExpiresAt,
    [property: Id(2)] string? Problem);
