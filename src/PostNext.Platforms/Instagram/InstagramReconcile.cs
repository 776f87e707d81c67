using System.Text.Json;
using System.Text.Json.Nodes;
using PostNext.Abstractions;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;

namespace PostNext.Platforms.Instagram;

/// <summary>
/// Reconciliation from the container checkpoint: only a PUBLISHED container was published, and its media is found among
/// the account's recent media by caption and time.
/// </summary>
public sealed partial class InstagramConnector
{
    /// <summary>
    /// From the container checkpoint: none means media_publish was never sent (not found); a PUBLISHED container is found
    /// among the account's recent media; FINISHED, IN_PROGRESS, ERROR or EXPIRED were never published (not found — a
    /// FINISHED one is then published by re-using it, never by creating another).
    /// </summary>
    public override async Task<ReconcileResult> FindPublicationAsync(PublishRequest request, CancellationToken cancellationToken)
    {
        return await ReconcileAsync("Instagram's container", async () =>
        {
            var token = RequireToken(request.Account);
            if (request.Checkpoint(ContainerCheckpoint) is not { } containerId)
            {
                return ReconcileResult.NotFound;
            }

            var status = await ContainerStatusAsync(containerId, token, null, cancellationToken);
            if (status.Code != ContainerStatus.Published)
            {
                return ReconcileResult.NotFound;
            }

            return await FindPublishedMediaAsync(request, token, cancellationToken) is { } found
                ? ReconcileResult.Found(found)
                : ReconcileResult.Unknown($"Instagram: container {containerId} is published but its media is not listed yet.");
        });
    }

    /// <summary>The account's recent media since media_publish was sent, matched on the caption.</summary>
    private async Task<PublishOutcome?> FindPublishedMediaAsync(PublishRequest request, Secret token, CancellationToken cancellationToken)
    {
        var since = FromUnixSeconds(request.Checkpoint(SentAtCheckpoint)) is { } sentAt ? sentAt - TimeSpan.FromMinutes(2) : DateTimeOffset.MinValue;
        var recent = await GetAsync(Graph($"{request.Account.ExternalId}/media", ("fields", "id,caption,timestamp,permalink"), ("limit", "25")), token, request.Limits, cancellationToken);
        var caption = request.Content.Text.Trim();
        var match = (recent["data"] as JsonArray ?? []).OfType<JsonObject>()
            .Select(m => (Media: m, At: ParseTime(m["timestamp"])))
            .Where(m => m.At >= since && (Text(m.Media["caption"]) ?? "").Trim() == caption && Text(m.Media["id"]) is not null)
            .OrderBy(m => m.At)
            .FirstOrDefault();
        return match.Media is { } media
            ? PublishOutcome.Success(Text(media["id"])!, Text(media["permalink"]) ?? ProfileLink(request.Account), match.At ?? Time.GetUtcNow())
            : null;
    }

    /// <summary>The published media's permalink and time; the post is live, so a failed read falls back to the profile.</summary>
    private async Task<PublishOutcome> DescribeMediaAsync(string mediaId, PublishingIdentity account, Secret token, RateLimitCollector limits, CancellationToken cancellationToken)
    {
        try
        {
            var media = await GetAsync(Graph(mediaId, ("fields", "id,permalink,timestamp")), token, limits, cancellationToken);
            return PublishOutcome.Success(mediaId, Text(media["permalink"]) ?? ProfileLink(account), ParseTime(media["timestamp"]) ?? Time.GetUtcNow());
        }
        catch (Exception ex) when (ex is PlatformException or HttpRequestException or TaskCanceledException or JsonException)
        {
            return PublishOutcome.Success(mediaId, ProfileLink(account), Time.GetUtcNow());
        }
    }
}
