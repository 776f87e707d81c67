using System.Globalization;
using System.Text.Json;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Posts;

namespace PostNext.Abstractions.Webhooks;

/// <summary>
/// Builds the events the rest of the system emits, with ids derived from the fact itself: the same publication
/// revision or the same account status change always gives the same event id.
/// </summary>
public static class WebhookEvents
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    /// <summary>
    /// <c>post.published</c>, <c>post.failed</c> or <c>post.deferred</c> for a publication that just reached that
    /// status (null for any other status). <paramref name="revision"/> is the publication's revision after the change.
    /// </summary>
    public static WebhookEvent? ForPublication(string workspaceId, PublicationView publication, long revision, DateTimeOffset occurredAt)
    {
        var type = publication.Status switch
        {
            PublicationStatus.Published => WebhookEventTypes.PostPublished,
            PublicationStatus.Failed => WebhookEventTypes.PostFailed,
            PublicationStatus.Deferred => WebhookEventTypes.PostDeferred,
            _ => null,
        };
        if (type is null)
        {
            return null;
        }

        var key = PublicationKey.For(publication.PostId, publication.AccountId);
        var data = new
        {
            workspaceId,
            postId = publication.PostId,
            accountId = publication.AccountId,
            platform = publication.Platform,
            status = Name(publication.Status),
            scheduledAt = publication.ScheduledAt,
            publishedAt = publication.PublishedAt,
            externalId = publication.ExternalId,
            permalink = publication.Permalink,
            deferredUntil = publication.DeferredUntil,
            deferReason = publication.DeferReason,
            error = publication.Error is { } e ? new { category = Name(e.Category), message = e.Message } : null,
            attempts = publication.Attempts,
            late = publication.Late,
        };
        // A publication is published or fails once: that event's id is stable, so emitting it again (a retried
        // transition, a second activation) adds nothing. A deferral can recur, so its id carries the revision.
        var identity = publication.Status.IsFinal() ? $"{key}|{type}" : $"{key}|{type}|{revision.ToString(CultureInfo.InvariantCulture)}";
        return new WebhookEvent(Ids.Derived(WebhookIds.Event, identity), type, occurredAt, JsonSerializer.Serialize(data, Json));
    }

    /// <summary><c>account.reconnect_required</c>; <paramref name="occurredAt"/> is when the account changed status (part of the id).</summary>
    public static WebhookEvent AccountReconnectRequired(AccountView account, DateTimeOffset occurredAt)
    {
        var type = WebhookEventTypes.AccountReconnectRequired;
        var data = new
        {
            workspaceId = account.WorkspaceId,
            accountId = account.Id,
            platform = account.Platform,
            handle = account.Handle,
            status = Name(account.Status),
            reason = account.StatusReason,
        };
        return new WebhookEvent(
            Ids.Derived(WebhookIds.Event, $"{account.Id}|{type}|{occurredAt.UtcTicks.ToString(CultureInfo.InvariantCulture)}"),
            type, occurredAt, JsonSerializer.Serialize(data, Json));
    }

    private static string Name<TEnum>(TEnum value)
        where TEnum : struct, Enum => JsonNamingPolicy.SnakeCaseLower.ConvertName(value.ToString());
}
