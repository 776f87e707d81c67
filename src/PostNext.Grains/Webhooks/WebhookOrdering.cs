using System.Text.Json;
using PostNext.Abstractions.Webhooks;

namespace PostNext.Grains.Webhooks;

/// <summary>
/// Which deliveries must arrive in order: those about the same resource (one post's target, or one account). Events
/// about different resources may overtake each other, so one that its receiver refuses holds back only its own.
/// </summary>
public static class WebhookOrdering
{
    /// <summary>The resource a delivery is about, read from its payload's <c>data</c>; its own event id when it names none.</summary>
    public static string ResourceOf(WebhookDelivery delivery)
    {
        try
        {
            using var document = JsonDocument.Parse(delivery.Payload);
            if (document.RootElement.TryGetProperty("data", out var data) && data.ValueKind == JsonValueKind.Object)
            {
                var post = data.TryGetProperty("postId", out var p) && p.ValueKind == JsonValueKind.String ? p.GetString() : null;
                var account = data.TryGetProperty("accountId", out var a) && a.ValueKind == JsonValueKind.String ? a.GetString() : null;
                if (post is not null || account is not null)
                {
                    return $"{post}/{account}";
                }
            }
        }
        catch (JsonException)
        {
            // Not ours to judge here; it stands alone.
        }

        return "event:" + delivery.EventId;
    }
}
