using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PostNext.Abstractions;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Platforms;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;

namespace PostNext.Platforms.TikTok;

/// <summary>
/// TikTok: Login Kit v2 (client_key, comma-separated scopes, rotating refresh tokens), the Content Posting API (direct post
/// of one video by FILE_UPLOAD or of photos by PULL_FROM_URL, then status polling) and the Display API for metrics.
/// The irreversible step is the init call (it creates the post request); its publish_id is the reconcile handle.
/// </summary>
public sealed partial class TikTokConnector(
    IHttpClientFactory httpClients, IOptionsMonitor<PlatformOptions> options, TimeProvider time, MediaFetcher media)
    : PlatformConnectorBase(httpClients, options, time)
{
    /// <summary>Saved right before init: <c>video:{bytes}</c> or <c>photo</c> (so a lost init answer can be judged).</summary>
    public const string InitCheckpoint = "tiktok.init";

    /// <summary>Saved as soon as init answers: the handle of the post request for status fetch.</summary>
    public const string PublishIdCheckpoint = "tiktok.publish_id";

    /// <summary>The real TikTok endpoints (overlaid by <c>PostNext:Platforms:tiktok</c>).</summary>
    public static PlatformOptions Defaults => new()
    {
        ApiBaseUrl = new Uri("https://open.tiktokapis.com/"),
        AuthorizeUrl = new Uri("https://www.tiktok.com/v2/auth/authorize/"),
        TokenUrl = new Uri("https://open.tiktokapis.com/v2/oauth/token/"),
        RevokeUrl = new Uri("https://open.tiktokapis.com/v2/oauth/revoke/"),
        Scopes = ["user.info.basic", "user.info.profile", "user.info.stats", "video.list", "video.publish"],
        ChunkSizeBytes = 10 * 1024 * 1024,
    };

    public override string Platform => PlatformIds.TikTok;

    /// <summary>PKCE is for TikTok's desktop and mobile flows only; the web flow (a server with a client secret) goes without.</summary>
    protected override bool SupportsPkce => false;

    protected override string ScopeSeparator => ",";

    protected override string ClientIdParameter => "client_key";

    public override async Task<ConnectedAccount> CompleteConnectAsync(CodeExchange exchange, CancellationToken cancellationToken)
    {
        var tokens = await PostTokenFormAsync(new Dictionary<string, string>
        {
            ["code"] = exchange.Code,
            ["grant_type"] = "authorization_code",
            ["redirect_uri"] = exchange.RedirectUri.ToString(),
        }, cancellationToken);
        var user = (await CallAsync(HttpMethod.Get, Api("v2/user/info/?fields=open_id,union_id,avatar_url,display_name,username"), tokens.AccessToken, null, null, cancellationToken))["data"]?["user"];
        var openId = user?["open_id"]?.ToString() ?? throw new PlatformException(new PlatformError(ErrorCategory.Auth, "TikTok's user info carried no open_id."));
        var displayName = user["display_name"]?.ToString();
        return new ConnectedAccount(openId, user["username"]?.ToString() ?? displayName ?? openId, displayName, tokens);
    }

    /// <summary>TikTok may answer an OAuth error with HTTP 200, so the body decides, not only the status.</summary>
    protected override async Task<TokenSet> PostTokenFormAsync(Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        var o = RequireConfigured();
        using var response = await Http.PostAsync(o.TokenUrl, ClientForm(form), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        var json = response.IsSuccessStatusCode ? JsonNode.Parse(body) as JsonObject : null;
        if (json?["access_token"] is null)
        {
            throw new PlatformException(ClassifyTokenError(response.StatusCode, body));
        }

        return ReadTokenResponse(json);
    }

    protected override PlatformError ClassifyTokenError(HttpStatusCode status, string body) =>
        TikTokErrors.FromOAuth(status, body) ?? base.ClassifyTokenError(status, body);

    /// <summary><c>POST /v2/oauth/revoke/</c> with client_key, client_secret and the access token; best effort.</summary>
    public override async Task RevokeAsync(TokenSet current, CancellationToken cancellationToken)
    {
        if (Options.RevokeUrl is null)
        {
            return;
        }

        using var response = await Http.PostAsync(Options.RevokeUrl, ClientForm(new Dictionary<string, string>
        {
            ["token"] = current.AccessToken.Reveal(),
        }), cancellationToken);
    }

    public override Task<PublishOutcome> PublishAsync(PublishRequest request, CancellationToken cancellationToken) => AttemptAsync(request.Limits, async marker =>
    {
        var post = TikTokPost.From(request.Content);
        var account = request.Account;
        var limits = request.Limits;
        var creator = await ReadCreatorAsync(account, limits, cancellationToken);

        // TikTok's content-sharing guidelines: the creator makes every choice from what creator_info offers now; none is
        // made for them. Checked before anything is created.
        var choices = TikTokChoices.Check(request.Options.TikTok, creator);

        string publishId;
        if (post.IsVideo)
        {
            var video = await media.FetchAsync(post.Video!, cancellationToken);
            var plan = TikTokChunkPlan.For(video.Bytes.LongLength, Options.ChunkSizeBytes);
            await SaveInitAsync(request, $"video:{plan.VideoSize}");
            marker.Reach();
            var init = (await CallAsync(HttpMethod.Post, Api("v2/post/publish/video/init/"), account.AccessToken, Json(post.VideoInitBody(choices, plan)), limits, cancellationToken))["data"];
            publishId = await SavePublishIdAsync(request, init);
            var uploadUrl = init?["upload_url"]?.ToString() ?? throw new JsonException("TikTok's video init answer carried no upload_url.");
            await UploadAsync(new Uri(uploadUrl), video, plan, limits, cancellationToken);
        }
        else
        {
            await SaveInitAsync(request, "photo");
            marker.Reach();
            var init = (await CallAsync(HttpMethod.Post, Api("v2/post/publish/content/init/"), account.AccessToken, Json(post.PhotoInitBody(choices)), limits, cancellationToken))["data"];
            publishId = await SavePublishIdAsync(request, init);
        }

        return await AwaitPublishedAsync(account, publishId, choices.PrivacyLevel, limits, cancellationToken);
    });

    /// <summary>
    /// Reconciles from the checkpoints. With a publish_id, TikTok's status says it: published → found, FAILED → certainly
    /// not, an upload that stopped short of the saved size → certainly not (only this connector holds the upload URL, and
    /// its attempt is over), still processing → unknown. Without a publish_id: no init checkpoint means init was never
    /// sent; a video init whose answer was lost cannot have published anything, because the bytes only ever go to the
    /// upload URL that answer carried; a photo init may have been pulled and published, and with no handle to ask about
    /// it, that stays unknown.
    /// </summary>
    public override async Task<ReconcileResult> FindPublicationAsync(PublishRequest request, CancellationToken cancellationToken)
    {
        var init = request.Checkpoint(InitCheckpoint);
        if (request.Checkpoint(PublishIdCheckpoint) is not { Length: > 0 } publishId)
        {
            return init is null || init.StartsWith("video", StringComparison.Ordinal)
                ? ReconcileResult.NotFound
                : ReconcileResult.Unknown("TikTok's answer to the photo init was lost, so there is no publish_id to check; look at the account's profile.");
        }

        return await ReconcileAsync($"TikTok's status of {publishId}", async () =>
        {
            var status = await FetchStatusAsync(request.Account, publishId, null, cancellationToken);
            return Judge(request, init, publishId, status);
        });
    }

    /// <summary>What a publish's status says about the attempt (see <see cref="FindPublicationAsync"/>).</summary>
    private ReconcileResult Judge(PublishRequest request, string? init, string publishId, TikTokStatus status)
    {
        var expectedBytes = init is not null && init.StartsWith("video:", StringComparison.Ordinal) && long.TryParse(init.AsSpan(6), out var size) ? size : (long?)null;
        return status switch
        {
            { IsPublished: true } => ReconcileResult.Found(Published(request.Account, publishId, status)),
            { State: TikTokStatus.Failed } => ReconcileResult.NotFound,
            { State: TikTokStatus.ProcessingUpload, UploadedBytes: { } uploaded } when expectedBytes is { } total && uploaded < total => ReconcileResult.NotFound,
            _ => ReconcileResult.Unknown($"TikTok is still processing {publishId} ({status.State})."),
        };
    }

    /// <summary>creator_info: the privacy levels on offer and the interactions the creator turned off.</summary>
    public override async Task<PublishingChoices?> ReadPublishingChoicesAsync(PublishingIdentity account, CancellationToken cancellationToken) =>
        (await ReadCreatorAsync(account, null, cancellationToken)).Choices;

    private async Task<TikTokCreator> ReadCreatorAsync(PublishingIdentity account, RateLimitCollector? limits, CancellationToken cancellationToken) =>
        TikTokCreator.Read((await CallAsync(HttpMethod.Post, Api("v2/post/publish/creator_info/query/"), account.AccessToken, Json(null), limits, cancellationToken))["data"]);

    public override Task<MetricsResult<PostMetrics>> ReadPostMetricsAsync(PostMetricsRequest request, CancellationToken cancellationToken) =>
        ReadMetricsAsync(() => ReadVideoMetricsAsync(request, cancellationToken));

    public override Task<MetricsResult<AccountMetrics>> ReadAccountMetricsAsync(PublishingIdentity account, CancellationToken cancellationToken) =>
        ReadMetricsAsync(() => ReadUserMetricsAsync(account, cancellationToken));

    /// <summary>TikTok's error envelope first (its codes are documented), then the shared HTTP semantics.</summary>
    protected override PlatformError Classify(HttpResponseMessage response, string body) =>
        TikTokErrors.Classify(response.StatusCode, body, Time.GetUtcNow(), RateLimitedUntil(response), () => base.Classify(response, body));

    /// <summary>
    /// Marks an init as about to be sent, and forgets an earlier attempt's publish_id: checkpoints belong to the
    /// publication, and a stale (failed) handle must not answer for this attempt's init.
    /// </summary>
    private static async Task SaveInitAsync(PublishRequest request, string kind)
    {
        await request.SaveCheckpointAsync(PublishIdCheckpoint, "");
        await request.SaveCheckpointAsync(InitCheckpoint, kind);
    }

    private async Task<string> SavePublishIdAsync(PublishRequest request, JsonNode? data)
    {
        var publishId = data?["publish_id"]?.ToString() ?? throw new JsonException("TikTok's init answer carried no publish_id.");
        await request.SaveCheckpointAsync(PublishIdCheckpoint, publishId);
        return publishId;
    }

    /// <summary>
    /// One TikTok API call within <see cref="PlatformOptions.RequestTimeout"/>: a bearer token, the envelope checked (an
    /// error code is an error even under HTTP 200), the JSON returned, the limits its headers report recorded into
    /// <paramref name="limits"/> (a publish's). A timeout surfaces as <see cref="TaskCanceledException"/>.
    /// </summary>
    private async Task<JsonObject> CallAsync(HttpMethod method, Uri url, Secret? token, HttpContent? content, RateLimitCollector? limits, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(method, url) { Content = content };
        using var response = await SendTimedAsync(request, token, limits, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode || TikTokErrors.ErrorCode(body) is not null)
        {
            throw new PlatformException(Classify(response, body));
        }

        return JsonNode.Parse(body) as JsonObject ?? throw new JsonException("TikTok answered with no JSON object.");
    }

    /// <summary>Joins a relative path onto the configured API base, whether or not the base ends in '/'.</summary>
    private new Uri Api(string relative)
    {
        var root = Options.ApiBaseUrl!;
        return new Uri(root.AbsoluteUri.EndsWith('/') ? root : new Uri(root.AbsoluteUri + "/"), relative);
    }

    /// <summary>A JSON body as TikTok documents it (<c>application/json; charset=UTF-8</c>); creator_info takes an empty one.</summary>
    private static StringContent Json(JsonNode? body)
    {
        var content = new StringContent(body?.ToJsonString() ?? "", Encoding.UTF8);
        content.Headers.ContentType = MediaTypeHeaderValue.Parse("application/json; charset=UTF-8");
        return content;
    }
}
