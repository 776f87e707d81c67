using System.Text;
using System.Text.Json;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PostNext.Abstractions;
using PostNext.Abstractions.Webhooks;
using PostNext.Storage.Webhooks;

namespace PostNext.Grains.Webhooks;

/// <summary>
/// A workspace's webhooks: the subscriptions (their secrets encrypted with Data Protection) and the entry point for
/// events. Emitting stores one delivery per subscribed webhook and wakes that webhook's delivery grain; it never
/// waits for a receiver. Only create and delete write the state; everything else interleaves freely.
/// </summary>
public sealed partial class WebhooksGrain(
    [PersistentState("webhooks", StorageNames.Grains)] IPersistentState<WebhooksState> state,
    IWebhookDeliveryStore deliveries,
    WebhookSecretVault vault,
    WebhookUrlPolicy policy,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhooksGrain> logger) : Grain, IWebhooksGrain
{
    public const int MinSecretLength = 16;
    public const int MaxSecretLength = 256;
    public const int MaxDataBytes = 64 * 1024;
    public const int MaxDeliveriesListed = 1000;

    /// <summary>Most entries in a webhook's <c>events</c> list.</summary>
    public const int MaxEventsListed = 20;

    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    private string WorkspaceId => this.GetPrimaryKeyString();

    private List<WebhookSubscription> Subscriptions => state.State.Subscriptions;

    public async Task<WebhookCreation> CreateAsync(CreateWebhook command)
    {
        var problems = new List<WebhookProblem>();
        if (await policy.ValidateAsync(command.Url) is { } urlProblem)
        {
            problems.Add(new WebhookProblem("url", urlProblem));
        }

        var events = ReadEvents(command.Events, problems);
        if (SecretProblem(command.Secret) is { } secretProblem)
        {
            problems.Add(new WebhookProblem("secret", secretProblem));
        }

        if (problems.Count > 0)
        {
            return new WebhookCreation(null, null, problems, null);
        }

        var max = options.Value.MaxPerWorkspace;
        if (Subscriptions.Count >= max)
        {
            return new WebhookCreation(null, null, [], $"A workspace has at most {max} webhooks; delete one first.");
        }

        var generated = command.Secret is null ? WebhookSecretVault.Generate() : null;
        var subscription = new WebhookSubscription
        {
            Id = Ids.New(WebhookIds.Webhook),
            Url = command.Url!.Trim(),
            Events = events,
            ProtectedSecret = vault.Protect(command.Secret ?? generated!),
            CreatedAt = time.GetUtcNow(),
        };
        Subscriptions.Add(subscription);
        await state.WriteStateAsync();
        LogCreated(WorkspaceId, subscription.Id, string.Join(",", events));
        return new WebhookCreation(View(subscription), generated, [], null);
    }

    public Task<IReadOnlyList<WebhookView>> ListAsync() =>
        Task.FromResult<IReadOnlyList<WebhookView>>(Subscriptions.Select(View).ToList());

    public Task<WebhookView?> GetAsync(string webhookId) => Task.FromResult(Find(webhookId) is { } s ? View(s) : null);

    public async Task<bool> DeleteAsync(string webhookId)
    {
        if (Find(webhookId) is not { } subscription)
        {
            return false;
        }

        Subscriptions.Remove(subscription);
        await state.WriteStateAsync();
        await deliveries.RemoveWebhookAsync(WorkspaceId, webhookId);
        return true;
    }

    public async Task EmitAsync(WebhookEvent webhookEvent)
    {
        ArgumentNullException.ThrowIfNull(webhookEvent);
        var to = Subscriptions.Where(s => s.Events.Contains(webhookEvent.Type, StringComparer.Ordinal)).ToList();
        if (to.Count > 0)
        {
            await DeliverAsync(webhookEvent, to);
        }
    }

    public async Task<WebhookDelivery?> SendTestAsync(string webhookId)
    {
        if (Find(webhookId) is not { } subscription)
        {
            return null;
        }

        var data = JsonSerializer.Serialize(new { webhookId, message = "A test event from PostNext: if you can read this, the webhook works." }, Json);
        var test = new WebhookEvent(Ids.New(WebhookIds.Event), WebhookEventTypes.Test, time.GetUtcNow(), data);
        return (await DeliverAsync(test, [subscription]))[0];
    }

    public async Task<IReadOnlyList<WebhookDelivery>?> GetDeliveriesAsync(string webhookId, int limit) =>
        Find(webhookId) is null ? null : await deliveries.ListAsync(WorkspaceId, webhookId, Math.Clamp(limit, 1, MaxDeliveriesListed));

    public Task<WebhookTarget?> GetTargetAsync(string webhookId) =>
        Task.FromResult(Find(webhookId) is { } s
            ? new WebhookTarget(s.Id, s.Url, vault.Unprotect(s.ProtectedSecret),
                s.PreviousProtectedSecret is { } previous && s.PreviousSecretExpiresAt > time.GetUtcNow() ? vault.Unprotect(previous) : null)
            : null);

    public async Task<WebhookDelivery?> RedeliverAsync(string webhookId, string deliveryId)
    {
        if (Find(webhookId) is null || await deliveries.GetAsync(WorkspaceId, webhookId, deliveryId) is not { } delivery)
        {
            return null;
        }

        // Pending now, with a fresh retry window; its attempts so far stay listed.
        var again = delivery with { Status = WebhookDeliveryStatus.Pending, NextAttemptAt = time.GetUtcNow(), DeliveredAt = null, FirstAttemptAt = null };
        await deliveries.UpdateAsync(again);
        await GrainFactory.GetGrain<IWebhookDeliveryGrain>(WebhookDeliveryKey.For(WorkspaceId, webhookId)).KickAsync();
        return again;
    }

    public async Task<WebhookSecretRotation?> RotateSecretAsync(string webhookId, Secret? secret, TimeSpan grace)
    {
        if (Find(webhookId) is not { } subscription)
        {
            return null;
        }

        if (SecretProblem(secret) is { } problem)
        {
            return new WebhookSecretRotation(null, default, problem);
        }

        var generated = secret is null ? WebhookSecretVault.Generate() : null;
        var expires = time.GetUtcNow() + (grace < TimeSpan.Zero ? TimeSpan.Zero : grace);
        subscription.PreviousProtectedSecret = subscription.ProtectedSecret;
        subscription.PreviousSecretExpiresAt = expires;
        subscription.ProtectedSecret = vault.Protect(secret ?? generated!);
        await state.WriteStateAsync();
        return new WebhookSecretRotation(generated, expires, null);
    }

    private static string? SecretProblem(Secret? secret) =>
        secret?.Reveal() is { } supplied &&
        (supplied.Length is < MinSecretLength or > MaxSecretLength || supplied.Trim().Length != supplied.Length || supplied.Any(char.IsControl))
            ? $"A secret is {MinSecretLength} to {MaxSecretLength} characters with no surrounding spaces or control characters (or leave it out and one is generated)."
            : null;

    /// <summary>Stores the deliveries (a re-emitted event adds nothing), then wakes each webhook's delivery grain.</summary>
    private async Task<IReadOnlyList<WebhookDelivery>> DeliverAsync(WebhookEvent webhookEvent, IReadOnlyList<WebhookSubscription> to)
    {
        var payload = Payload(webhookEvent);
        var now = time.GetUtcNow();
        var rows = to
            .Select(s => new WebhookDelivery(
                WebhookIds.DeliveryFor(s.Id, webhookEvent.Id), WorkspaceId, s.Id, webhookEvent.Id, webhookEvent.Type, payload, now,
                WebhookDeliveryStatus.Pending, 0, now, null, []))
            .ToList();
        await deliveries.AddAsync(rows);
        await Task.WhenAll(to.Select(s => GrainFactory.GetGrain<IWebhookDeliveryGrain>(WebhookDeliveryKey.For(WorkspaceId, s.Id)).KickAsync()));
        return rows;
    }

    /// <summary>The body every attempt sends: <c>{"id", "type", "createdAt", "workspaceId", "data"}</c>.</summary>
    private string Payload(WebhookEvent webhookEvent)
    {
        if (string.IsNullOrWhiteSpace(webhookEvent.Id) || string.IsNullOrWhiteSpace(webhookEvent.Type))
        {
            throw new ArgumentException("A webhook event needs an id and a type.", nameof(webhookEvent));
        }

        if (Encoding.UTF8.GetByteCount(webhookEvent.DataJson) > MaxDataBytes)
        {
            throw new ArgumentException($"A webhook event's data is at most {MaxDataBytes} bytes.", nameof(webhookEvent));
        }

        using var buffer = new MemoryStream();
        using (var writer = new Utf8JsonWriter(buffer))
        {
            writer.WriteStartObject();
            writer.WriteString("id", webhookEvent.Id);
            writer.WriteString("type", webhookEvent.Type);
            writer.WriteString("createdAt", webhookEvent.OccurredAt.ToUniversalTime());
            writer.WriteString("workspaceId", WorkspaceId);
            writer.WritePropertyName("data");
            try
            {
                writer.WriteRawValue(webhookEvent.DataJson);
            }
            catch (JsonException ex)
            {
                throw new ArgumentException($"A webhook event's data must be JSON: {ex.Message}", nameof(webhookEvent), ex);
            }

            writer.WriteEndObject();
        }

        return Encoding.UTF8.GetString(buffer.ToArray());
    }

    private static List<string> ReadEvents(IReadOnlyList<string?>? requested, List<WebhookProblem> problems)
    {
        var known = string.Join(", ", WebhookEventTypes.Subscribable);
        if (requested is null || requested.Count == 0)
        {
            problems.Add(new WebhookProblem("events", $"List at least one event type: {known}."));
            return [];
        }

        if (requested.Count > MaxEventsListed)
        {
            problems.Add(new WebhookProblem("events", $"List at most {MaxEventsListed} event types: {known}."));
            return [];
        }

        var events = new List<string>();
        for (var i = 0; i < requested.Count; i++)
        {
            var type = requested[i]?.Trim();
            if (!WebhookEventTypes.IsSubscribable(type))
            {
                problems.Add(new WebhookProblem($"events[{i}]", $"Unknown event type '{requested[i]}'; use one of: {known}."));
            }
            else if (!events.Contains(type!))
            {
                events.Add(type!);
            }
        }

        return events;
    }

    private WebhookSubscription? Find(string webhookId) => Subscriptions.Find(s => s.Id == webhookId);

    private WebhookView View(WebhookSubscription s) => new(s.Id, WorkspaceId, s.Url, [.. s.Events], s.CreatedAt);

    [LoggerMessage(Level = LogLevel.Information, Message = "Workspace {WorkspaceId}: webhook {WebhookId} created for {Events}")]
    private partial void LogCreated(string workspaceId, string webhookId, string events);
}
