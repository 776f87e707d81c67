using System.Net;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;

namespace PostNext.Platforms.LinkedIn;

/// <summary>
/// LinkedIn media: an image is initialized (<c>/rest/images?action=initializeUpload</c>) and PUT whole to its upload URL;
/// a video is initialized with its size, PUT in the parts LinkedIn assigns (collecting each part's ETag), finalized,
/// and polled until AVAILABLE. The post then carries <c>content.media</c> (one image or the video) or
/// <c>content.multiImage</c> (several images).
/// </summary>
public sealed partial class LinkedInConnector
{
    private async Task<(JsonObject? Content, IReadOnlyList<string> Urns)> UploadMediaAsync(PublishRequest request, CancellationToken cancellationToken)
    {
        var items = request.Content.Media;
        if (items.Count == 0)
        {
            return (null, []);
        }

        var videos = items.Where(m => m.Type == MediaType.Video).ToList();
        if (videos.Count > 0)
        {
            if (items.Count > 1)
            {
                throw new PlatformException(new PlatformError(ErrorCategory.InvalidContent, "A LinkedIn post carries one video and nothing else."));
            }

            var video = await UploadVideoAsync(videos[0], request.Account, request.Limits, cancellationToken);
            var media = new JsonObject { ["id"] = video };
            if (!string.IsNullOrWhiteSpace(request.Content.Title))
            {
                media["title"] = request.Content.Title;
            }

            return (new JsonObject { ["media"] = media }, [video]);
        }

        var images = new List<string>();
        foreach (var item in items)
        {
            images.Add(await UploadImageAsync(item, request.Account, request.Limits, cancellationToken));
        }

        var content = images.Count == 1
            ? new JsonObject { ["media"] = new JsonObject { ["id"] = images[0] } }
            : new JsonObject { ["multiImage"] = new JsonObject { ["images"] = new JsonArray([.. images.Select(i => new JsonObject { ["id"] = i })]) } };
        return (content, images);
    }

    private async Task<string> UploadImageAsync(MediaItem item, PublishingIdentity account, RateLimitCollector limits, CancellationToken cancellationToken)
    {
        var file = await media.FetchAsync(item, cancellationToken);
        var init = await SendRestAsync(Rest(HttpMethod.Post, "rest/images?action=initializeUpload", new JsonObject
        {
            ["initializeUploadRequest"] = new JsonObject { ["owner"] = account.ExternalId },
        }), account, limits, cancellationToken);
        var uploadUrl = init?["value"]?["uploadUrl"]?.GetValue<string>();
        var image = init?["value"]?["image"]?.GetValue<string>();
        if (uploadUrl is null || image is null)
        {
            throw new PlatformException(new PlatformError(ErrorCategory.Transient, "LinkedIn's image initializeUpload answered without uploadUrl/image."));
        }

        await PutAsync(new Uri(uploadUrl), file.Bytes, 0, file.Bytes.Length, account, limits, cancellationToken);
        return image;
    }

    private async Task<string> UploadVideoAsync(MediaItem item, PublishingIdentity account, RateLimitCollector limits, CancellationToken cancellationToken)
    {
        var file = await media.FetchAsync(item, cancellationToken);
        var init = (await SendRestAsync(Rest(HttpMethod.Post, "rest/videos?action=initializeUpload", new JsonObject
        {
            ["initializeUploadRequest"] = new JsonObject
            {
                ["owner"] = account.ExternalId,
                ["fileSizeBytes"] = file.Bytes.LongLength,
                ["uploadCaptions"] = false,
                ["uploadThumbnail"] = false,
            },
        }), account, limits, cancellationToken))?["value"];
        var video = init?["video"]?.GetValue<string>() ?? throw new PlatformException(
            new PlatformError(ErrorCategory.Transient, "LinkedIn's video initializeUpload answered without a video URN."));

        var etags = new List<string>();
        foreach (var part in init["uploadInstructions"] as JsonArray ?? [])
        {
            var first = Number(part?["firstByte"]) ?? 0;
            var last = Number(part?["lastByte"]) ?? file.Bytes.LongLength - 1;
            var url = new Uri(part?["uploadUrl"]?.GetValue<string>() ?? throw new PlatformException(
                new PlatformError(ErrorCategory.Transient, "LinkedIn's upload instruction carried no uploadUrl.")));
            etags.Add(await PutAsync(url, file.Bytes, (int)first, (int)(last - first + 1), account, limits, cancellationToken) ?? "");
        }

        await SendRestAsync(Rest(HttpMethod.Post, "rest/videos?action=finalizeUpload", new JsonObject
        {
            ["finalizeUploadRequest"] = new JsonObject
            {
                ["video"] = video,
                ["uploadToken"] = init["uploadToken"]?.GetValue<string>() ?? "",
                ["uploadedPartIds"] = new JsonArray([.. etags.Select(e => JsonValue.Create(e))]),
            },
        }), account, limits, cancellationToken);
        await AwaitVideoAsync(video, account, limits, cancellationToken);
        return video;
    }

    /// <summary>PUTs bytes to an upload URL LinkedIn handed out; returns the part's ETag.</summary>
    private async Task<string?> PutAsync(Uri url, byte[] bytes, int offset, int count, PublishingIdentity account, RateLimitCollector limits, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(bytes, offset, count);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
        using var request = new HttpRequestMessage(HttpMethod.Put, url) { Content = content };
        using var response = await SendAsync(request, account, limits, cancellationToken);
        await ReadOrThrowAsync(response, cancellationToken);
        // The raw value: LinkedIn's ETags are opaque ids, not always quoted as RFC 9110 wants.
        return response.Headers.TryGetValues("ETag", out var etag) ? etag.FirstOrDefault() : null;
    }

    /// <summary>Waits until the video is AVAILABLE; PROCESSING_FAILED is invalid content; too long is transient (nothing posted).</summary>
    private async Task AwaitVideoAsync(string video, PublishingIdentity account, RateLimitCollector limits, CancellationToken cancellationToken)
    {
        var deadline = Time.GetUtcNow() + Options.ProcessingTimeout;
        while (true)
        {
            JsonNode? status;
            try
            {
                status = await SendRestAsync(Rest(HttpMethod.Get, "rest/videos/" + Encoded(video)), account, limits, cancellationToken);
            }
            catch (PlatformException ex) when (ex.Error.HttpStatus == (int)HttpStatusCode.Forbidden)
            {
                return; // Some member tokens may not read media status [postiz]; the post is created and LinkedIn finishes processing.
            }

            switch (status?["status"]?.GetValue<string>())
            {
                case "AVAILABLE":
                    return;
                case "PROCESSING_FAILED":
                    throw new PlatformException(new PlatformError(ErrorCategory.InvalidContent,
                        $"LinkedIn could not process the video: {status["processingFailureReason"]?.ToString() ?? "no reason given"}",
                        null, null, "PROCESSING_FAILED"));
            }

            if (Time.GetUtcNow() >= deadline)
            {
                throw new PlatformException(new PlatformError(
                    ErrorCategory.Transient, $"LinkedIn was still processing {video} after {Options.ProcessingTimeout}; nothing was posted."));
            }

            await Task.Delay(Options.PollInterval, Time, cancellationToken);
        }
    }
}
