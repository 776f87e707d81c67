using PostNext.Abstractions.Posts;
using PostNext.Platforms;

namespace PostNext.Grains.Posts.Publishing;

/// <summary>
/// Publishes a post's chain exactly once: the post (part 0), then each thread reply (in reply to the part before it) or
/// the first comment (under the post). Each part is checkpointed: its lease before the call, its id after it. A new
/// attempt skips the parts already confirmed and resumes at the first one that is not; a part whose lease has no known
/// outcome is never sent again until a reconciliation has settled it (found, or certainly not there).
/// </summary>
public static class ChainPublisher
{
    /// <summary>
    /// Publishes what is left of the chain; the outcome is the post's once every part is out, else the failure that
    /// stopped it, and it carries the tightest limit any part's calls reported (<see cref="PublishOutcome.Limit"/>).
    /// </summary>
    public static async Task<PublishOutcome> PublishAsync(IPlatformConnector connector, PublishRequest request, TimeProvider time, CancellationToken cancellationToken)
    {
        var followUps = FollowUps.Of(connector.Platform, request.Content);
        if (followUps.Count == 0)
        {
            return await connector.PublishAsync(request, cancellationToken);
        }

        PlatformLimit? limit = null;
        PublishOutcome Reported(PublishOutcome outcome) => outcome with { Limit = PlatformLimit.Tighter(limit, outcome.Limit) };

        var post = ChainCheckpoints.Post(request.Checkpoints);
        if (post is null)
        {
            post = await connector.PublishAsync(request, cancellationToken);
            limit = post.Limit;
            if (!post.Succeeded)
            {
                return post;
            }

            await request.SaveCheckpointAsync(ChainCheckpoints.Key(0), ChainCheckpoints.Sent(post));
        }

        var parent = post.ExternalId!;
        foreach (var part in followUps)
        {
            var saved = ChainCheckpoints.Read(request.Checkpoints, part.Index);
            if (saved is { State: PartState.Sent, ExternalId: { } confirmed })
            {
                parent = Next(part, parent, confirmed);
                continue;
            }

            if (saved is { State: PartState.Sending })
            {
                return Reported(PublishOutcome.Failure(ErrorCategory.UnknownOutcome,
                    $"{What(part)} was sent by an earlier attempt with no known outcome; the platform is asked before anything more is sent."));
            }

            var sentAt = time.GetUtcNow();
            await request.SaveCheckpointAsync(ChainCheckpoints.Key(part.Index), ChainCheckpoints.Sending(request.AttemptId, sentAt));
            var outcome = await connector.PublishFollowUpAsync(new FollowUpRequest(request.Account, part, parent, sentAt), cancellationToken);
            limit = PlatformLimit.Tighter(limit, outcome.Limit);
            if (outcome.Succeeded && outcome.ExternalId is { } id)
            {
                await request.SaveCheckpointAsync(ChainCheckpoints.Key(part.Index), ChainCheckpoints.Sent(outcome));
                parent = Next(part, parent, id);
                continue;
            }

            var message = $"{What(part)}: {outcome.Message}";
            if (outcome.ErrorCategory is not ErrorCategory.UnknownOutcome and not null)
            {
                // Refused: it did not take effect, so a later attempt may send it again.
                await request.SaveCheckpointAsync(ChainCheckpoints.Key(part.Index), ChainCheckpoints.Unsent(message));
            }

            return Reported(outcome.Succeeded ? PublishOutcome.Failure(ErrorCategory.UnknownOutcome, $"{What(part)} was accepted without an id.") : outcome with { Message = message });
        }

        return Reported(post);
    }

    /// <summary>
    /// Asks the platform about an unconfirmed attempt, part by part: the post, then each follow-up whose lease has no
    /// known outcome. Everything there → found; some parts there and none in doubt → partial (resume); a part the
    /// platform cannot tell about → unknown (it is never sent blindly).
    /// </summary>
    public static async Task<ReconcileResult> FindAsync(IPlatformConnector connector, PublishRequest request, CancellationToken cancellationToken)
    {
        var followUps = FollowUps.Of(connector.Platform, request.Content);
        if (followUps.Count == 0)
        {
            return await connector.FindPublicationAsync(request, cancellationToken);
        }

        var post = ChainCheckpoints.Post(request.Checkpoints);
        if (post is null)
        {
            var found = await connector.FindPublicationAsync(request, cancellationToken);
            if (found is not { State: ReconcileState.Found, Publication: { ExternalId: not null } publication })
            {
                return found;
            }

            post = publication;
            await request.SaveCheckpointAsync(ChainCheckpoints.Key(0), ChainCheckpoints.Sent(post));
        }

        var parent = post.ExternalId!;
        foreach (var part in followUps)
        {
            switch (ChainCheckpoints.Read(request.Checkpoints, part.Index))
            {
                case { State: PartState.Sent, ExternalId: { } confirmed }:
                    parent = Next(part, parent, confirmed);
                    continue;

                case { State: PartState.Sending } sending:
                    var result = await connector.FindFollowUpAsync(new FollowUpRequest(request.Account, part, parent, sending.At ?? post.PublishedAt ?? DateTimeOffset.UnixEpoch), cancellationToken);
                    if (result is { State: ReconcileState.Found, Publication: { ExternalId: { } id } reply })
                    {
                        await request.SaveCheckpointAsync(ChainCheckpoints.Key(part.Index), ChainCheckpoints.Sent(reply));
                        parent = Next(part, parent, id);
                        continue;
                    }

                    if (result.State == ReconcileState.NotFound)
                    {
                        await request.SaveCheckpointAsync(ChainCheckpoints.Key(part.Index), ChainCheckpoints.Unsent($"{What(part)} never reached the platform."));
                        return ReconcileResult.Partial($"{What(part)} never reached the platform; resuming there.");
                    }

                    return ReconcileResult.Unknown($"{What(part)}: {result.Detail ?? "the platform could not tell"}");

                default:
                    return ReconcileResult.Partial($"The chain stopped before {What(part).ToLowerInvariant()}; resuming there.");
            }
        }

        return ReconcileResult.Found(post);
    }

    /// <summary>A thread's next reply answers the part just sent; a comment goes under the post.</summary>
    private static string Next(FollowUp part, string parent, string id) => part.Kind == FollowUpKind.Reply ? id : parent;

    private static string What(FollowUp part) => part.Kind == FollowUpKind.Reply ? $"Thread part {part.Index + 1}" : "The first comment";
}
