using System.Globalization;
using System.Text.Json;
using System.Text.Json.Nodes;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;

namespace PostNext.Platforms.LinkedIn;

/// <summary>
/// An unknown outcome is settled on the author's posts (<c>GET /rest/posts?q=author</c>, newest created first) from the
/// moment the create was sent: a post with the same commentary or the same uploaded media is the attempt's. Listing
/// posts needs r_organization_social for an organization (part of the organization scopes) and the restricted
/// r_member_social for a member, which LinkedIn grants to partners only: a member's posts are listed only when the app
/// is configured with that scope, and otherwise LinkedIn offers no way to ask, so the outcome stays unknown for a person
/// to check. A later create of the same publication that LinkedIn refuses as DUPLICATE_POST names the earlier attempt's
/// post, which is then taken as this publication's (see <c>ReadCreateAsync</c>).
/// </summary>
public sealed partial class LinkedInConnector
{
    private static readonly TimeSpan ClockSkew = TimeSpan.FromMinutes(2);

    private const int PageSize = 20;

    private const int MaxPages = 5;

    /// <summary>The restricted scope that lets an app list a member's posts.</summary>
    public const string MemberPostsScope = "r_member_social";

    public override async Task<ReconcileResult> FindPublicationAsync(PublishRequest request, CancellationToken cancellationToken)
    {
        var sentAt = request.Checkpoint(CreateSentCheckpoint) is { } saved &&
            DateTimeOffset.TryParse(saved, CultureInfo.InvariantCulture, DateTimeStyles.RoundtripKind, out var at) ? at : (DateTimeOffset?)null;
        if (sentAt is null && request.Checkpoints is not null)
        {
            return ReconcileResult.NotFound; // The journal is kept and the create was never sent.
        }

        if (!IsOrganization(request.Account.ExternalId) && !Options.Scopes.Contains(MemberPostsScope, StringComparer.Ordinal))
        {
            return ReconcileResult.Unknown(
                $"LinkedIn lists a member's posts only to apps granted the restricted {MemberPostsScope} scope; check the member's profile for the post.");
        }

        return await ReconcileAsync("LinkedIn's posts", () => SearchPostsAsync(request, sentAt, cancellationToken));
    }

    private async Task<ReconcileResult> SearchPostsAsync(PublishRequest request, DateTimeOffset? sentAt, CancellationToken cancellationToken)
    {
        var commentary = LittleText.Escape(request.Content.Text);
        var media = request.Checkpoint(MediaCheckpoint)?.Split(',', StringSplitOptions.RemoveEmptyEntries) ?? [];
        var since = sentAt - ClockSkew;
        for (var page = 0; page < MaxPages; page++)
        {
            var json = await SendRestAsync(Rest(HttpMethod.Get,
                $"rest/posts?author={Encoded(request.Account.ExternalId)}&q=author&count={PageSize}&start={page * PageSize}&sortBy=CREATED",
                finder: true), request.Account, cancellationToken);
            var posts = (json?["elements"] as JsonArray ?? []).OfType<JsonObject>().ToList();
            foreach (var post in posts)
            {
                var created = Number(post["createdAt"]) is { } ms ? DateTimeOffset.FromUnixTimeMilliseconds(ms) : (DateTimeOffset?)null;
                if (created < since)
                {
                    return ReconcileResult.NotFound; // Newest first: everything from here on is older than the attempt.
                }

                if (IsTheAttempt(post, commentary, media))
                {
                    var urn = post["id"]!.GetValue<string>();
                    return ReconcileResult.Found(PublishOutcome.Success(urn, Permalink(urn), created ?? Time.GetUtcNow()));
                }
            }

            if (posts.Count < PageSize)
            {
                return sentAt is null
                    ? ReconcileResult.Unknown("No checkpoint says when the post was sent, and it is not among the author's posts.")
                    : ReconcileResult.NotFound;
            }
        }

        return ReconcileResult.Unknown($"More than {MaxPages * PageSize} posts since the attempt; the post was not among them.");
    }

    private static bool IsTheAttempt(JsonObject post, string commentary, IReadOnlyCollection<string> media)
    {
        var content = post["content"];
        var ids = new[] { content?["media"]?["id"]?.ToString() }
            .Concat((content?["multiImage"]?["images"] as JsonArray ?? []).Select(i => i?["id"]?.ToString()))
            .OfType<string>()
            .ToList();
        if (media.Count > 0 && media.All(ids.Contains))
        {
            return true;
        }

        return commentary.Length > 0 && post["commentary"]?.ToString() == commentary;
    }
}
