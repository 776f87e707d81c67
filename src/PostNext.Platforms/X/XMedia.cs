using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json.Nodes;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;

namespace PostNext.Platforms.X;

/// <summary>
/// X's v2 chunked media upload: initialize (type, size, category) → append each segment (multipart, segment_index in
/// order) → finalize → poll the status while <c>processing_info</c> says pending/in_progress.
/// </summary>
public sealed partial class XConnector
{
    private Uri Upload(string relative) => new(Options.UploadBaseUrl ?? Options.ApiBaseUrl!, relative);

    private async Task<IReadOnlyList<string>> UploadMediaAsync(IReadOnlyList<MediaItem> items, PublishingIdentity account, RateLimitCollector limits, CancellationToken cancellationToken)
    {
        var ids = new List<string>();
        foreach (var item in items)
        {
            var file = await media.FetchAsync(item, cancellationToken);
            var type = ContentTypeOf(item, file.ContentType);
            ids.Add(await UploadAsync(file.Bytes, type, Category(item.Type, type), account, limits, cancellationToken));
        }

        return ids;
    }

    private async Task<string> UploadAsync(byte[] bytes, string mediaType, string category, PublishingIdentity account, RateLimitCollector limits, CancellationToken cancellationToken)
    {
        var init = await PostJsonAsync(Upload("2/media/upload/initialize"), new JsonObject
        {
            ["media_type"] = mediaType,
            ["total_bytes"] = bytes.Length,
            ["media_category"] = category,
        }, account, limits, cancellationToken);
        var id = init?["data"]?["id"]?.GetValue<string>() ?? throw new PlatformException(
            new PlatformError(ErrorCategory.Transient, "X's media initialize answered without a media id."));

        var chunk = Math.Max(1, Options.ChunkSizeBytes);
        for (int offset = 0, index = 0; offset < bytes.Length; offset += chunk, index++)
        {
            var part = new ByteArrayContent(bytes, offset, Math.Min(chunk, bytes.Length - offset));
            part.Headers.ContentType = new MediaTypeHeaderValue("application/octet-stream");
            var form = new MultipartFormDataContent
            {
                { new StringContent(index.ToString(CultureInfo.InvariantCulture)), "segment_index" },
                { part, "media", "media" },
            };
            using var append = new HttpRequestMessage(HttpMethod.Post, Upload($"2/media/upload/{id}/append")) { Content = form };
            using var response = await SendAsync(append, account, limits, cancellationToken);
            await ReadOrThrowAsync(response, cancellationToken);
        }

        var finalized = await PostJsonAsync(Upload($"2/media/upload/{id}/finalize"), null, account, limits, cancellationToken);
        await AwaitProcessingAsync(id, finalized?["data"]?["processing_info"], account, limits, cancellationToken);
        return id;
    }

    /// <summary>No processing_info means ready; otherwise wait check_after_secs (or the poll interval) and ask again.</summary>
    private async Task AwaitProcessingAsync(string id, JsonNode? info, PublishingIdentity account, RateLimitCollector limits, CancellationToken cancellationToken)
    {
        var deadline = Time.GetUtcNow() + Options.ProcessingTimeout;
        while (info is not null)
        {
            switch (info["state"]?.GetValue<string>())
            {
                case "succeeded":
                    return;
                case "failed":
                    var error = info["error"];
                    throw new PlatformException(new PlatformError(
                        ErrorCategory.InvalidContent,
                        $"X could not process media {id}: {error?["name"]?.GetValue<string>()} {error?["message"]?.GetValue<string>()}".TrimEnd(),
                        null, null, error?["name"]?.GetValue<string>()));
            }

            if (Time.GetUtcNow() >= deadline)
            {
                throw new PlatformException(new PlatformError(
                    ErrorCategory.Transient, $"X was still processing media {id} after {Options.ProcessingTimeout}; nothing was posted."));
            }

            var wait = Number(info["check_after_secs"]) is > 0 and var seconds ? TimeSpan.FromSeconds(seconds) : Options.PollInterval;
            await Task.Delay(wait, Time, cancellationToken);
            using var status = new HttpRequestMessage(HttpMethod.Get, Upload($"2/media/upload?command=STATUS&media_id={id}"));
            using var response = await SendAsync(status, account, limits, cancellationToken);
            info = (await ReadOrThrowAsync(response, cancellationToken))?["data"]?["processing_info"];
        }
    }

    private static string Category(MediaType type, string mediaType) => type switch
    {
        MediaType.Video => "tweet_video",
        _ when mediaType == "image/gif" => "tweet_gif",
        _ => "tweet_image",
    };

    /// <summary>The served content type, else one guessed from the URL's extension, else the usual type of the kind.</summary>
    private static string ContentTypeOf(MediaItem item, string served)
    {
        if (!string.IsNullOrEmpty(served) && served != "application/octet-stream")
        {
            return served;
        }

        var path = Uri.TryCreate(item.Url, UriKind.Absolute, out var url) ? url.AbsolutePath : item.Url;
        return Path.GetExtension(path).ToUpperInvariant() switch
        {
            ".PNG" => "image/png",
            ".GIF" => "image/gif",
            ".WEBP" => "image/webp",
            ".MOV" => "video/quicktime",
            ".JPG" or ".JPEG" => "image/jpeg",
            _ => item.Type == MediaType.Video ? "video/mp4" : "image/jpeg",
        };
    }
}
