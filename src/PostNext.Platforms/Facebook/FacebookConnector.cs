using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PostNext.Abstractions;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Platforms;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;
using PostNext.Platforms.Meta;

namespace PostNext.Platforms.Facebook;

/// <summary>
/// A Facebook Page through the Graph API (platforms.md §3). Connecting logs a person in, trades their short-lived user
/// token for a long-lived one (<c>fb_exchange_token</c>) and lists the Pages they may publish to (<c>GET /me/accounts</c>);
/// each chosen Page is one account: its id is the Page id, its access token the Page token (no expiry), and its
/// refresh token the long-lived user token, kept to re-derive the Page token and to revoke. Text goes to
/// <c>/{page}/feed</c>; photos are uploaded unpublished to <c>/{page}/photos</c> and attached to one feed post; a video
/// goes to <c>/{page}/videos</c> by <c>file_url</c>. A reel (<see cref="PostTypes.Reel"/>) or a story
/// (<see cref="PostTypes.Story"/>) chosen in the target's options goes its own way (FacebookReels.cs, FacebookStories.cs).
/// </summary>
public sealed partial class FacebookConnector(IHttpClientFactory httpClients, IOptionsMonitor<PlatformOptions> options, TimeProvider time)
    : MetaGraphConnector(httpClients, options, time)
{
    /// <summary>Checkpoint: the created feed post's id ("{page-id}_{post-id}").</summary>
    public const string PostCheckpoint = "facebook.post";

    /// <summary>Checkpoint: the created video's id.</summary>
    public const string VideoCheckpoint = "facebook.video";

    /// <summary>Checkpoint: when the create was sent (unix seconds), saved just before it, to search the Page's posts from.</summary>
    public const string SentAtCheckpoint = "facebook.sent-at";

    /// <summary>The real Graph API and Facebook Login endpoints; configuration overrides any of them.</summary>
    public static PlatformOptions Defaults => new()
    {
        ApiBaseUrl = new Uri("https://graph.facebook.com/"),
        UploadBaseUrl = new Uri("https://graph-video.facebook.com/"),
        AuthorizeUrl = new Uri($"https://www.facebook.com/{DefaultApiVersion}/dialog/oauth"),
        TokenUrl = new Uri($"https://graph.facebook.com/{DefaultApiVersion}/oauth/access_token"),
        Scopes = ["pages_show_list", "pages_manage_posts", "pages_read_engagement", "read_insights"],
        ApiVersion = DefaultApiVersion,
    };

    public override string Platform => PlatformIds.Facebook;

    /// <summary>The first Page the person may publish to (see <see cref="CompleteConnectChoicesAsync"/> for all of them).</summary>
    public override async Task<ConnectedAccount> CompleteConnectAsync(CodeExchange exchange, CancellationToken cancellationToken) =>
        (await CompleteConnectChoicesAsync(exchange, cancellationToken))[0];

    /// <summary>
    /// Every Page the person granted that they may create content on (<c>GET /me/accounts</c>, a Page whose <c>tasks</c>
    /// include CREATE_CONTENT or MANAGE), each with its own Page token; the long-lived user token is kept with each.
    /// </summary>
    public override async Task<IReadOnlyList<ConnectedAccount>> CompleteConnectChoicesAsync(CodeExchange exchange, CancellationToken cancellationToken)
    {
        var o = RequireConfigured();
        var shortLived = await GetTokenAsync(o.TokenUrl!, cancellationToken,
            ("client_id", o.ClientId), ("redirect_uri", exchange.RedirectUri.ToString()), ("client_secret", o.ClientSecret), ("code", exchange.Code));
        var user = await ExchangeForLongLivedAsync(shortLived.AccessToken, cancellationToken);

        // The person's id names the grant every Page shares, whatever user token each Page keeps and refreshes.
        var person = Text((await GetAsync(Graph("me", ("fields", "id")), user.AccessToken, null, cancellationToken))["id"]);
        var pages = (await ManagedPagesAsync(user.AccessToken, cancellationToken)).Where(p => p.CanPublish)
            .Select(page => new ConnectedAccount(
                page.Id, page.Username ?? page.Id, page.Name, new TokenSet(page.Token, user.AccessToken, null, GrantOwner: person), ConnectCandidateKinds.Page))
            .ToList();
        return pages.Count > 0
            ? pages
            : throw new PlatformException(new PlatformError(ErrorCategory.Auth,
                "Facebook: no Page was granted that this person may publish to (pages_show_list and the CREATE_CONTENT task are needed)."));
    }

    /// <summary>
    /// Page tokens derived from a long-lived user token do not expire; a refresh re-exchanges the kept user token (extending
    /// it) and re-derives the Page token from it. Without a kept user token, or when either is dead, the account must be
    /// reconnected.
    /// </summary>
    public override async Task<TokenRefresh> RefreshTokenAsync(TokenSet current, CancellationToken cancellationToken)
    {
        if (current.RefreshToken is null)
        {
            return TokenRefresh.Failed(new PlatformError(ErrorCategory.Auth, "Facebook: no long-lived user token is kept; reconnect the Page."));
        }

        try
        {
            var user = await ExchangeForLongLivedAsync(current.RefreshToken, cancellationToken);
            var me = await GetAsync(Graph("me", ("fields", "id")), current.AccessToken, null, cancellationToken);
            var pageId = Text(me["id"]);
            var page = (await ManagedPagesAsync(user.AccessToken, cancellationToken)).FirstOrDefault(p => p.Id == pageId)
                       ?? throw new PlatformException(new PlatformError(ErrorCategory.Auth, $"Facebook: the person no longer manages Page {pageId}; reconnect it."));
            return TokenRefresh.Ok(new TokenSet(page.Token, user.AccessToken, null, current.Scopes));
        }
        catch (PlatformException ex)
        {
            return TokenRefresh.Failed(ex.Error);
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or JsonException)
        {
            return TokenRefresh.Failed(new PlatformError(ErrorCategory.Transient, $"Facebook: the token refresh broke off: {ex.Message}"));
        }
    }

    /// <summary>
    /// Removes the app's permissions for the person (<c>DELETE /me/permissions</c> with the kept user token). Meta has no
    /// per-Page revoke: this disconnects every Page this person connected through the app. Best effort.
    /// </summary>
    public override async Task RevokeAsync(TokenSet current, CancellationToken cancellationToken)
    {
        if (current.RefreshToken is null)
        {
            return;
        }

        try
        {
            await SendGraphAsync(new HttpRequestMessage(HttpMethod.Delete, Graph("me/permissions")), current.RefreshToken, null, cancellationToken);
        }
        catch (Exception ex) when (ex is PlatformException or HttpRequestException or TaskCanceledException)
        {
            // A dead token is as good as revoked; a broken call leaves nothing to undo on our side.
        }
    }

    protected override string CommentTextField => "message";

    public override Task<PublishOutcome> PublishAsync(PublishRequest request, CancellationToken cancellationToken) => AttemptAsync(request.Limits, async marker =>
    {
        var token = RequireToken(request.Account);

        // An earlier attempt created it: report that post, never create a second one.
        var known = await FromCheckpointsAsync(request, token, cancellationToken);
        if (known is { State: ReconcileState.Found, Publication: { } earlier })
        {
            return earlier;
        }

        switch (request.Options.Facebook?.Type)
        {
            case PostTypes.Reel or PostTypes.Story when known is { State: ReconcileState.Unknown }:
                return PublishOutcome.Failure(ErrorCategory.UnknownOutcome, known.Detail ?? "Facebook: an earlier attempt's outcome is not known yet.");
            case PostTypes.Reel:
                return await PublishReelAsync(request, token, marker, cancellationToken);
            case PostTypes.Story:
                return await PublishStoryAsync(request, token, marker, cancellationToken);
        }

        var media = request.Content.Media;
        var videos = media.Count(m => m.Type == MediaType.Video);
        if (videos > 0 && media.Count > 1)
        {
            return PublishOutcome.Failure(ErrorCategory.InvalidContent, "Facebook: a post carries one video or photos, not several videos or a mix.");
        }

        return videos == 1
            ? await PublishVideoAsync(request, token, marker, cancellationToken)
            : await PublishFeedPostAsync(request, token, marker, cancellationToken);
    });

    private async Task<PublishOutcome> PublishFeedPostAsync(PublishRequest request, Secret token, IrreversibleMarker marker, CancellationToken cancellationToken)
    {
        var pageId = request.Account.ExternalId;
        var text = request.Content.Text;
        var photos = await UploadUnpublishedPhotosAsync(pageId, request.Content.Media, token, request.Limits, cancellationToken);
        if (photos.Count == 0 && string.IsNullOrWhiteSpace(text))
        {
            return PublishOutcome.Failure(ErrorCategory.InvalidContent, "Facebook: nothing to publish (no text and no media).");
        }

        var body = new JsonObject();
        if (!string.IsNullOrWhiteSpace(text))
        {
            body["message"] = text;
        }

        if (photos.Count > 0)
        {
            body["attached_media"] = new JsonArray([.. photos.Select(id => (JsonNode)new JsonObject { ["media_fbid"] = id })]);
        }

        body["published"] = true;
        await request.SaveCheckpointAsync(SentAtCheckpoint, UnixSeconds(Time.GetUtcNow()));
        var created = await IrreversibleAsync(marker, () =>
            PostJsonAsync(Graph($"{pageId}/feed", ("fields", "id,permalink_url")), body, token, request.Limits, cancellationToken));
        var postId = Text(created["id"]) ?? throw new PlatformException(
            new PlatformError(ErrorCategory.UnknownOutcome, "Facebook accepted the post but sent no id."));
        await request.SaveCheckpointAsync(PostCheckpoint, postId);
        return PublishOutcome.Success(postId, Text(created["permalink_url"]) ?? PostPermalink(postId), Time.GetUtcNow());
    }

    protected override PlatformError? ClassifySpecific(MetaGraphError error, HttpResponseMessage response) =>
        FacebookErrors.Classify(error, response, Time.GetUtcNow());

    private Task<TokenSet> ExchangeForLongLivedAsync(Secret token, CancellationToken cancellationToken)
    {
        var o = RequireConfigured();
        return GetTokenAsync(o.TokenUrl!, cancellationToken,
            ("grant_type", "fb_exchange_token"), ("client_id", o.ClientId), ("client_secret", o.ClientSecret), ("fb_exchange_token", token.Reveal()));
    }

    private async Task<IReadOnlyList<ManagedPage>> ManagedPagesAsync(Secret userToken, CancellationToken cancellationToken)
    {
        var accounts = await GetAsync(Graph("me/accounts", ("fields", "id,name,username,access_token,tasks"), ("limit", "100")), userToken, null, cancellationToken);
        return [.. (accounts["data"] as JsonArray ?? []).OfType<JsonObject>()
            .Where(p => Text(p["id"]) is not null && Text(p["access_token"]) is not null)
            .Select(p => new ManagedPage(
                Text(p["id"])!,
                Text(p["name"]) ?? Text(p["id"])!,
                Text(p["username"]),
                new Secret(Text(p["access_token"])!),
                p["tasks"] is not JsonArray tasks || tasks.Any(t => Text(t) is "CREATE_CONTENT" or "MANAGE")))];
    }

    /// <summary>A feed post's permalink: https://www.facebook.com/{page-id}/posts/{post-id}.</summary>
    public static string PostPermalink(string postId) => postId.Split('_') is [var page, var post]
        ? $"https://www.facebook.com/{page}/posts/{post}"
        : $"https://www.facebook.com/{postId}";

    /// <summary>A video's permalink: https://www.facebook.com/{page-id}/videos/{video-id}/.</summary>
    public static string VideoPermalink(string pageId, string videoId) => $"https://www.facebook.com/{pageId}/videos/{videoId}/";

    /// <summary>Video permalinks come relative ("/{page}/videos/{id}/").</summary>
    private static string? Absolute(string? link) => link is null || link.StartsWith("http", StringComparison.Ordinal)
        ? link
        : "https://www.facebook.com" + (link.StartsWith('/') ? link : "/" + link);

    private sealed record ManagedPage(string Id, string Name, string? Username, Secret Token, bool CanPublish);
}
