using Microsoft.Extensions.Logging;
using PostNext.Abstractions.Webhooks;

namespace PostNext.Grains.Webhooks;

/// <summary>How the rest of the silo emits webhook events: one call, never throws, so a webhook problem never breaks a publication.</summary>
public static partial class WebhookEmitter
{
    /// <summary>Emits the event (if any) to the workspace's webhooks; a failure to store it is logged, not thrown.</summary>
    public static async Task EmitWebhookAsync(this IGrainFactory grains, string workspaceId, WebhookEvent? webhookEvent, ILogger logger)
    {
        if (webhookEvent is null)
        {
            return;
        }

        try
        {
            await grains.GetGrain<IWebhooksGrain>(workspaceId).EmitAsync(webhookEvent);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogEmitFailed(logger, ex, webhookEvent.Type, webhookEvent.Id, workspaceId);
        }
    }

    /// <summary>Emits the event (if any) and lets a failure surface: for outcomes whose event must not be lost, emitted before the outcome is stored.</summary>
    public static async Task EmitWebhookOrThrowAsync(this IGrainFactory grains, string workspaceId, WebhookEvent? webhookEvent)
    {
        if (webhookEvent is not null)
        {
            await grains.GetGrain<IWebhooksGrain>(workspaceId).EmitAsync(webhookEvent);
        }
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Webhook event {EventType} {EventId} of workspace {WorkspaceId} could not be stored; it will not be delivered")]
    private static partial void LogEmitFailed(ILogger logger, Exception exception, string eventType, string eventId, string workspaceId);
}
