using System.Text.Json.Nodes;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;

namespace PostNext.Platforms.YouTube;

/// <summary>
/// After the last byte YouTube still processes the video, and may reject it or fail to process it then; only
/// <c>videos.list part=status,processingDetails</c> (cost 1) tells. So a publish is a success once the video is processed,
/// a failure when YouTube rejected it or could not process it, and still pending (an unknown outcome, checked again by
/// reconciliation) while processing outlasts <see cref="PlatformOptions.ProcessingTimeout"/>.
/// </summary>
public sealed partial class YouTubeConnector
{
    /// <summary>Waits for the uploaded video's processing; the outcome is the upload's, a failure, or pending.</summary>
    private async Task<PublishOutcome> AwaitProcessedAsync(PublishingIdentity account, RateLimitCollector limits, PublishOutcome uploaded, CancellationToken cancellationToken)
    {
        var id = uploaded.ExternalId!;
        var deadline = Time.GetUtcNow() + Options.ProcessingTimeout;
        while (true)
        {
            Processing processing;
            try
            {
                processing = await ProcessingAsync(account, limits, id, cancellationToken);
            }
            catch (PlatformException ex)
            {
                return PublishOutcome.Failure(ErrorCategory.UnknownOutcome,
                    $"YouTube received video {id}, but its processing could not be read: {ex.Error.Message}");
            }

            switch (processing)
            {
                case { State: VideoProcessing.Processed }:
                    return uploaded;
                case { Failure: { } failure }:
                    return failure;
            }

            if (Time.GetUtcNow() >= deadline)
            {
                return PublishOutcome.Failure(ErrorCategory.UnknownOutcome,
                    $"YouTube received video {id} and was still processing it after {Options.ProcessingTimeout}; it is checked again later.");
            }

            await Task.Delay(Options.PollInterval, Time, cancellationToken);
        }
    }

    /// <summary>Where the video's processing stands, from <c>status.uploadStatus</c> and <c>processingDetails.processingStatus</c>.</summary>
    private async Task<Processing> ProcessingAsync(PublishingIdentity account, RateLimitCollector? limits, string id, CancellationToken cancellationToken)
    {
        var json = await GetAsync(Api($"videos?part=status,processingDetails&id={Uri.EscapeDataString(id)}"), account.AccessToken, limits, cancellationToken);
        if (json["items"]?[0] is not JsonObject video)
        {
            return new Processing(VideoProcessing.Pending, null); // Not listed yet right after the upload.
        }

        var status = video["status"];
        var details = video["processingDetails"];
        var reason = status?["rejectionReason"]?.ToString();
        return (status?["uploadStatus"]?.ToString(), details?["processingStatus"]?.ToString()) switch
        {
            ("rejected", _) when reason == "duplicate" => Failed(ErrorCategory.Duplicate, $"YouTube rejected video {id} as a duplicate of an earlier upload."),
            ("rejected", _) => Failed(ErrorCategory.InvalidContent, $"YouTube rejected video {id}: {reason}."),
            ("failed", _) or (_, "failed" or "terminated") => Failed(ErrorCategory.InvalidContent,
                $"YouTube could not process video {id}: {status?["failureReason"]?.ToString() ?? details?["processingFailureReason"]?.ToString() ?? "no reason given"}."),
            ("processed", _) or (_, "succeeded") => new Processing(VideoProcessing.Processed, null),
            _ => new Processing(VideoProcessing.Pending, null),
        };

        static Processing Failed(ErrorCategory category, string message) => new(VideoProcessing.Failed, PublishOutcome.Failure(category, message));
    }

    private enum VideoProcessing
    {
        Pending,
        Processed,
        Failed,
    }

    private sealed record Processing(VideoProcessing State, PublishOutcome? Failure);
}
