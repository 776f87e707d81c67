using System.Text.Json.Nodes;
using PostNext.Abstractions;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;

namespace PostNext.Platforms.Instagram;

/// <summary>
/// Containers: one per item (<c>image_url</c>, or <c>media_type=REELS</c> + <c>video_url</c>), or carousel children
/// (<c>is_carousel_item=true</c>) and a <c>CAROUSEL</c> container; their status polled; the publishing limit read first.
/// </summary>
public sealed partial class InstagramConnector
{
    /// <summary>The container a previous attempt saved, when it can still be used (or was published); null to start over.</summary>
    private async Task<ContainerStatus?> SavedContainerAsync(PublishRequest request, Secret token, CancellationToken cancellationToken)
    {
        if (request.Checkpoint(ContainerCheckpoint) is not { } saved)
        {
            return null;
        }

        try
        {
            var status = await ContainerStatusAsync(saved, token, request.Limits, cancellationToken);
            return status.Code is ContainerStatus.Error or ContainerStatus.Expired ? null : status;
        }
        catch (PlatformException ex) when (ex.Error.Category == ErrorCategory.InvalidContent)
        {
            // The container is gone (expired and purged): it was never published, start over.
            return null;
        }
    }

    /// <summary>Creates the container to publish and checkpoints its id (before anything can publish it).</summary>
    private async Task<string> CreateContainerAsync(PublishRequest request, Secret token, CancellationToken cancellationToken)
    {
        var media = request.Content.Media;
        var options = request.Options.Instagram;
        string containerId;
        if (options?.Type == PostTypes.Story)
        {
            // A story takes no caption and no collaborators.
            containerId = await CreateAsync(request, [new("media_type", "STORIES"), new(media[0].Type == MediaType.Video ? "video_url" : "image_url", media[0].Url)], token, cancellationToken);
        }
        else if (media.Count == 1)
        {
            containerId = await CreateAsync(request, [.. ItemFields(media[0], carouselItem: false), .. Caption(request), .. Extras(options, media[0])], token, cancellationToken);
        }
        else
        {
            var children = new List<string>();
            foreach (var item in media)
            {
                children.Add(await CreateAsync(request, ItemFields(item, carouselItem: true), token, cancellationToken));
            }

            foreach (var child in children)
            {
                await WaitUntilFinishedAsync(child, token, request.Limits, cancellationToken);
            }

            containerId = await CreateAsync(request, [new("media_type", "CAROUSEL"), new("children", string.Join(',', children)), .. Caption(request), .. Extras(options, null)],
                token, cancellationToken);
        }

        await request.SaveCheckpointAsync(ContainerCheckpoint, containerId);
        return containerId;
    }

    private async Task<string> CreateAsync(PublishRequest request, KeyValuePair<string, string>[] fields, Secret token, CancellationToken cancellationToken)
    {
        var created = await PostFormAsync(Graph($"{request.Account.ExternalId}/media"), fields, token, request.Limits, cancellationToken);
        return Text(created["id"]) ?? throw new PlatformException(
            new PlatformError(ErrorCategory.Transient, "Instagram accepted a container but sent no id."));
    }

    /// <summary>A single video is a Reel (all feed videos are since 2023); a carousel video is VIDEO.</summary>
    private static KeyValuePair<string, string>[] ItemFields(MediaItem item, bool carouselItem)
    {
        var fields = item.Type == MediaType.Video
            ? new List<KeyValuePair<string, string>> { new("media_type", carouselItem ? "VIDEO" : "REELS"), new("video_url", item.Url) }
            : [new("image_url", item.Url)];
        if (carouselItem)
        {
            fields.Add(new("is_carousel_item", "true"));
        }

        return [.. fields];
    }

    /// <summary>
    /// The target's choices on the container that is published: collaborators (a JSON list of usernames), whether a reel
    /// also shows in the feed, and the alt text of a single image.
    /// </summary>
    private static IEnumerable<KeyValuePair<string, string>> Extras(InstagramPostOptions? options, MediaItem? single)
    {
        if (options?.Collaborators is { Count: > 0 } collaborators)
        {
            yield return new("collaborators", new JsonArray([.. collaborators.Select(c => (JsonNode)JsonValue.Create(c))]).ToJsonString());
        }

        if (options?.ShareToFeed is { } share && single?.Type == MediaType.Video)
        {
            yield return new("share_to_feed", share ? "true" : "false");
        }

        if (options?.AltText is { } alt && single?.Type == MediaType.Image)
        {
            yield return new("alt_text", alt);
        }
    }

    private static KeyValuePair<string, string>[] Caption(PublishRequest request) =>
        string.IsNullOrEmpty(request.Content.Text) ? [] : [new("caption", request.Content.Text)];

    private async Task<ContainerStatus> ContainerStatusAsync(string containerId, Secret token, RateLimitCollector? limits, CancellationToken cancellationToken)
    {
        var container = await GetAsync(Graph(containerId, ("fields", "status_code,status")), token, limits, cancellationToken);
        return new ContainerStatus(containerId, Text(container["status_code"]) ?? ContainerStatus.InProgress, Text(container["status"]));
    }

    /// <summary>
    /// Polls until FINISHED. ERROR is the media's fault (its 2207xxx code kept); EXPIRED, or still processing at
    /// <see cref="PlatformOptions.ProcessingTimeout"/>, is transient: the next attempt starts over or resumes the same container.
    /// </summary>
    private async Task WaitUntilFinishedAsync(string containerId, Secret token, RateLimitCollector limits, CancellationToken cancellationToken)
    {
        var deadline = Time.GetUtcNow() + Options.ProcessingTimeout;
        while (true)
        {
            var status = await ContainerStatusAsync(containerId, token, limits, cancellationToken);
            switch (status.Code)
            {
                case ContainerStatus.Finished:
                    return;
                case ContainerStatus.Error:
                    throw new PlatformException(InstagramErrors.ForFailedContainer(containerId, status.Detail));
                case ContainerStatus.Expired or ContainerStatus.Published:
                    throw new PlatformException(new PlatformError(ErrorCategory.Transient,
                        $"Instagram: container {containerId} is {status.Code} and cannot be published; the next attempt makes a new one."));
            }

            if (Time.GetUtcNow() >= deadline)
            {
                throw new PlatformException(new PlatformError(ErrorCategory.Transient,
                    $"Instagram: container {containerId} is still processing after {Options.ProcessingTimeout}; the next attempt resumes it."));
            }

            await PollDelayAsync(cancellationToken);
        }
    }

    /// <summary>
    /// <c>GET /{ig-user}/content_publishing_limit?fields=quota_usage,config</c>: with the quota spent, the post waits for
    /// the window (<c>config.quota_duration</c>, 24 h) rather than failing at media_publish. The window moves, so the
    /// earliest slot may come sooner; waiting the whole window never publishes over the limit.
    /// </summary>
    private async Task EnsurePublishingQuotaAsync(string igUserId, Secret token, RateLimitCollector limits, CancellationToken cancellationToken)
    {
        JsonObject limit;
        try
        {
            limit = await GetAsync(Graph($"{igUserId}/content_publishing_limit", ("fields", "quota_usage,config")), token, limits, cancellationToken);
        }
        catch (PlatformException ex) when (ex.Error.Category == ErrorCategory.InvalidContent)
        {
            return; // Unreadable here; media_publish still enforces the limit (2207042).
        }

        if ((limit["data"] as JsonArray)?.FirstOrDefault() is not JsonObject usage)
        {
            return;
        }

        var used = Count(usage["quota_usage"]);
        var total = OptionalCount(usage["config"]?["quota_total"]) ?? 100;
        var window = OptionalCount(usage["config"]?["quota_duration"]) is { } seconds and > 0 ? TimeSpan.FromSeconds(seconds) : InstagramErrors.PublishingWindow;
        if (used >= total)
        {
            throw new PlatformException(new PlatformError(ErrorCategory.RateLimited,
                $"Instagram: the publishing limit is used up ({used} of {total} posts in {window.TotalHours:0.#} h).",
                Time.GetUtcNow() + window, null, "content_publishing_limit"));
        }
    }

    private sealed record ContainerStatus(string Id, string Code, string? Detail)
    {
        public const string InProgress = "IN_PROGRESS";
        public const string Finished = "FINISHED";
        public const string Published = "PUBLISHED";
        public const string Error = "ERROR";
        public const string Expired = "EXPIRED";
    }
}
