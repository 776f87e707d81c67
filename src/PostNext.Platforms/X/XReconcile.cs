using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;

namespace PostNext.Platforms.X;

/// <summary>
/// X has no idempotency key, so an unknown outcome is settled on the user's own timeline
/// (<c>GET /2/users/{id}/tweets</c>) from the moment the create was sent: a post with the same media ids, or the same
/// text once X's rewriting (t.co links, HTML entities) is undone, is the one the attempt created. A post longer than 280
/// comes back cut short in <c>text</c> with its whole text in <c>note_tweet.text</c>, which is what is compared then.
/// A post is not on the timeline the moment it is created, so "not found" is answered only once
/// <see cref="TimelineVisibilityGrace"/> has passed since the create was sent; before that X cannot tell yet.
/// </summary>
public sealed partial class XConnector
{
    /// <summary>Clock difference allowed between this server and X when searching from the checkpoint.</summary>
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);

    /// <summary>Timeline pages read at most (100 posts each) before the answer is "could not tell".</summary>
    private const int MaxPages = 5;

    /// <summary>How long after its create a post may take to show on the author's timeline.</summary>
    public static readonly TimeSpan TimelineVisibilityGrace = TimeSpan.FromMinutes(5);

    public override async Task<ReconcileResult> FindPublicationAsync(PublishRequest request, CancellationToken cancellationToken)
    {
        var sentAt = request.Checkpoint(CreateSentCheckpoint) is { } saved &&
            DateTimeOffset.TryParse(saved, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : (DateTimeOffset?)null;
        if (sentAt is null && request.Checkpoints is not null)
        {
            return ReconcileResult.NotFound; // The journal is kept and the create was never sent.
        }

        var mediaIds = request.Checkpoint(MediaIdsCheckpoint)?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [];
        return await ReconcileAsync("X's timeline", () => SearchTimelineAsync(request, sentAt, mediaIds, cancellationToken));
    }

    private async Task<ReconcileResult> SearchTimelineAsync(
        PublishRequest request, DateTimeOffset? sentAt, IReadOnlyCollection<string> mediaIds, CancellationToken cancellationToken)
    {
        var query = "max_results=100&tweet.fields=created_at,attachments,note_tweet&exclude=retweets,replies";
        if (sentAt is { } at)
        {
            query += "&start_time=" + Uri.EscapeDataString((at - ClockSkew).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
        }

        string? next = null;
        for (var page = 0; page < MaxPages; page++)
        {
            var json = await GetAsync(
                $"2/users/{Uri.EscapeDataString(request.Account.ExternalId)}/tweets?{query}" + (next is null ? "" : "&pagination_token=" + Uri.EscapeDataString(next)),
                request.Account, cancellationToken);
            foreach (var tweet in json?["data"] as JsonArray ?? [])
            {
                if (tweet is not null && IsTheAttempt(tweet, request.Content.Text, mediaIds))
                {
                    var id = tweet["id"]!.GetValue<string>();
                    var created = DateTimeOffset.TryParse(tweet["created_at"]?.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var c)
                        ? c : Time.GetUtcNow();
                    return ReconcileResult.Found(PublishOutcome.Success(id, Permalink(request.Account.Handle, id), created));
                }
            }

            next = json?["meta"]?["next_token"]?.ToString();
            if (next is null)
            {
                return sentAt switch
                {
                    null => ReconcileResult.Unknown("No checkpoint says when the post was sent, and it is not among the recent posts."),
                    { } sent when Time.GetUtcNow() < sent + TimelineVisibilityGrace => ReconcileResult.Unknown(
                        $"The post is not on the timeline yet, but X may take up to {TimelineVisibilityGrace.TotalMinutes:0} minutes to show it."),
                    _ => ReconcileResult.NotFound,
                };
            }
        }

        return ReconcileResult.Unknown($"More than {MaxPages * 100} posts since the attempt; the post was not among them.");
    }

    /// <summary>
    /// A thread's reply in doubt: on the user's timeline, replies included, from when it was sent, a post that replies to
    /// the part before it with the same text (or, without text, any reply to that part) is the one.
    /// </summary>
    public override Task<ReconcileResult> FindFollowUpAsync(FollowUpRequest request, CancellationToken cancellationToken) =>
        ReconcileAsync("X's timeline", async () =>
        {
            var query = "max_results=100&tweet.fields=created_at,attachments,note_tweet,referenced_tweets&exclude=retweets&start_time=" +
                        Uri.EscapeDataString((request.SentAt - ClockSkew).UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture));
            var expected = Comparable(request.Part.Text);
            string? next = null;
            for (var page = 0; page < MaxPages; page++)
            {
                var json = await GetAsync(
                    $"2/users/{Uri.EscapeDataString(request.Account.ExternalId)}/tweets?{query}" + (next is null ? "" : "&pagination_token=" + Uri.EscapeDataString(next)),
                    request.Account, cancellationToken);
                foreach (var tweet in json?["data"] as JsonArray ?? [])
                {
                    var repliesToParent = (tweet?["referenced_tweets"] as JsonArray ?? [])
                        .Any(r => r?["type"]?.ToString() == "replied_to" && r["id"]?.ToString() == request.ParentId);
                    var shown = Comparable(tweet?["note_tweet"]?["text"]?.ToString() ?? tweet?["text"]?.ToString() ?? "");
                    if (repliesToParent && (expected.Length == 0 || expected == shown))
                    {
                        var id = tweet!["id"]!.GetValue<string>();
                        var created = DateTimeOffset.TryParse(tweet["created_at"]?.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var c)
                            ? c : Time.GetUtcNow();
                        return ReconcileResult.Found(PublishOutcome.Success(id, Permalink(request.Account.Handle, id), created));
                    }
                }

                next = json?["meta"]?["next_token"]?.ToString();
                if (next is null)
                {
                    return Time.GetUtcNow() < request.SentAt + TimelineVisibilityGrace
                        ? ReconcileResult.Unknown($"The reply is not on the timeline yet, but X may take up to {TimelineVisibilityGrace.TotalMinutes:0} minutes to show it.")
                        : ReconcileResult.NotFound;
                }
            }

            return ReconcileResult.Unknown($"More than {MaxPages * 100} posts since the reply was sent; it was not among them.");
        });

    private static bool IsTheAttempt(JsonNode tweet, string text, IReadOnlyCollection<string> mediaIds)
    {
        if (mediaIds.Count > 0)
        {
            var keys = (tweet["attachments"]?["media_keys"] as JsonArray ?? []).Select(k => k?.ToString() ?? "").ToList();
            if (mediaIds.All(id => keys.Any(k => k.EndsWith("_" + id, StringComparison.Ordinal))))
            {
                return true; // A media key is "<type>_<media id>".
            }
        }

        var expected = Comparable(text);
        var shown = tweet["note_tweet"]?["text"]?.ToString() ?? tweet["text"]?.ToString() ?? "";
        return expected.Length > 0 && expected == Comparable(shown);
    }

    /// <summary>The text as X would echo it, made comparable: entities decoded, links (rewritten to t.co) dropped, spaces collapsed.</summary>
    internal static string Comparable(string text)
    {
        var decoded = WebUtility.HtmlDecode(text).Normalize(NormalizationForm.FormC);
        return Spaces().Replace(Links().Replace(decoded, " "), " ").Trim();
    }

    [GeneratedRegex(@"https?://\S+", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Links();

    [GeneratedRegex(@"\s+", RegexOptions.CultureInvariant)]
    private static partial Regex Spaces();
}
