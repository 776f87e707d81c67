using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Platforms;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;

namespace PostNext.Platforms.X;

/// <summary>
/// X API v2: OAuth 2 with PKCE (confidential client, rotating refresh tokens), <c>POST /2/tweets</c> with media from
/// the v2 chunked upload, reconciliation against the user's timeline, public metrics.
/// </summary>
public sealed partial class XConnector(
    IHttpClientFactory httpClients, IOptionsMonitor<PlatformOptions> options, TimeProvider time, MediaFetcher media)
    : PlatformConnectorBase(httpClients, options, time)
{
    /// <summary>Checkpoint: when the create request was sent (ISO 8601); reconciliation searches the timeline from there.</summary>
    public const string CreateSentCheckpoint = "x.create_sent_at";

    /// <summary>Checkpoint: the uploaded media ids (comma-separated), saved before the create.</summary>
    public const string MediaIdsCheckpoint = "x.media_ids";

    /// <summary>The real X endpoints and the scopes publishing needs (offline.access for a refresh token, media.write for uploads).</summary>
    public static PlatformOptions Defaults => new()
    {
        ApiBaseUrl = new Uri("https://api.x.com/"),
        UploadBaseUrl = new Uri("https://api.x.com/"),
        AuthorizeUrl = new Uri("https://x.com/i/oauth2/authorize"),
        TokenUrl = new Uri("https://api.x.com/2/oauth2/token"),
        RevokeUrl = new Uri("https://api.x.com/2/oauth2/revoke"),
        Scopes = ["tweet.read", "tweet.write", "users.read", "offline.access", "media.write"],
    };

    public override string Platform => PlatformIds.X;

    protected override bool SupportsPkce => true;

    public override async Task<ConnectedAccount> CompleteConnectAsync(CodeExchange exchange, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = exchange.Code,
            ["redirect_uri"] = exchange.RedirectUri.ToString(),
        };
        if (exchange.CodeVerifier is not null)
        {
            form["code_verifier"] = exchange.CodeVerifier;
        }

        var tokens = await PostTokenFormAsync(form, cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, Api("2/users/me"));
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", tokens.AccessToken.Reveal());
        using var response = await Http.SendAsync(request, cancellationToken);
        var user = (await ReadOrThrowAsync(response, cancellationToken))?["data"];
        var id = user?["id"]?.GetValue<string>() ?? throw new PlatformException(
            new PlatformError(ErrorCategory.Auth, "X's /2/users/me answered without a user id."));
        return new ConnectedAccount(id, user["username"]?.GetValue<string>() ?? id, user["name"]?.GetValue<string>(), tokens);
    }

    public override async Task RevokeAsync(TokenSet current, CancellationToken cancellationToken)
    {
        if (Options.RevokeUrl is not { } url)
        {
            return;
        }

        // The refresh token outlives the access token, so it is revoked too.
        foreach (var (token, hint) in new[] { (current.RefreshToken, "refresh_token"), (current.AccessToken, "access_token") })
        {
            if (token is null)
            {
                continue;
            }

            using var request = new HttpRequestMessage(HttpMethod.Post, url)
            {
                Content = ClientForm(new Dictionary<string, string> { ["token"] = token.Reveal(), ["token_type_hint"] = hint }),
            };
            AddClientAuthentication(request);
            using var response = await Http.SendAsync(request, cancellationToken);
        }
    }

    public override Task<PublishOutcome> PublishAsync(PublishRequest request, CancellationToken cancellationToken) =>
        AttemptAsync(request.Limits, async irreversible =>
        {
            var mediaIds = await UploadMediaAsync(request.Content.Media, request.Account, request.Limits, cancellationToken);
            if (mediaIds.Count > 0)
            {
                await request.SaveCheckpointAsync(MediaIdsCheckpoint, string.Join(',', mediaIds));
            }

            await request.SaveCheckpointAsync(CreateSentCheckpoint, Time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            return await CreateAsync(request.Content.Text, mediaIds, null, request.Account, request.Limits, irreversible, cancellationToken);
        });

    /// <summary>A thread's part: a post in reply to the part before it (<c>reply.in_reply_to_tweet_id</c>), with its own media.</summary>
    public override Task<PublishOutcome> PublishFollowUpAsync(FollowUpRequest request, CancellationToken cancellationToken) =>
        AttemptAsync(request.Limits, async irreversible =>
        {
            if (request.Part.Kind != FollowUpKind.Reply)
            {
                return PublishOutcome.Failure(ErrorCategory.InvalidContent, "X takes a thread (replies), not a first comment.");
            }

            var mediaIds = await UploadMediaAsync(request.Part.Media, request.Account, request.Limits, cancellationToken);
            return await CreateAsync(request.Part.Text, mediaIds, request.ParentId, request.Account, request.Limits, irreversible, cancellationToken);
        });

    /// <summary>POST /2/tweets: the irreversible step.</summary>
    private async Task<PublishOutcome> CreateAsync(
        string text, IReadOnlyList<string> mediaIds, string? inReplyTo, PublishingIdentity account, RateLimitCollector limits, IrreversibleMarker irreversible, CancellationToken cancellationToken)
    {
        var body = new JsonObject();
        if (!string.IsNullOrEmpty(text))
        {
            body["text"] = text;
        }

        if (mediaIds.Count > 0)
        {
            body["media"] = new JsonObject { ["media_ids"] = new JsonArray([.. mediaIds.Select(id => JsonValue.Create(id))]) };
        }

        if (inReplyTo is not null)
        {
            body["reply"] = new JsonObject { ["in_reply_to_tweet_id"] = inReplyTo };
        }

        using var message = new HttpRequestMessage(HttpMethod.Post, Api("2/tweets")) { Content = Json(body) };
        irreversible.Reach();
        using var response = await SendAsync(message, account, limits, cancellationToken);
        var created = await ReadCreateAsync(response, cancellationToken);
        var id = created?["data"]?["id"]?.GetValue<string>() ?? throw new PlatformException(new PlatformError(
            ErrorCategory.UnknownOutcome, "X accepted the post but its answer carried no id.", null, (int)response.StatusCode));
        return PublishOutcome.Success(id, Permalink(account.Handle, id), Time.GetUtcNow());
    }

    /// <summary>Documented as https://x.com/{username}/status/{id}; without a handle, X's handle-less form.</summary>
    public static string Permalink(string? handle, string id) => string.IsNullOrWhiteSpace(handle)
        ? $"https://x.com/i/web/status/{id}"
        : $"https://x.com/{Uri.EscapeDataString(handle.TrimStart('@'))}/status/{id}";

    protected override PlatformError Classify(HttpResponseMessage response, string body) =>
        XErrors.Classify(response, body, Time.GetUtcNow()) ?? base.Classify(response, body);

    /// <summary>Confidential clients authenticate with HTTP Basic (added per request); public clients send client_id in the form.</summary>
    protected override FormUrlEncodedContent ClientForm(Dictionary<string, string> form)
    {
        if (string.IsNullOrEmpty(Options.ClientSecret))
        {
            form["client_id"] = Options.ClientId ?? "";
        }

        return new FormUrlEncodedContent(form);
    }

    protected override async Task<TokenSet> PostTokenFormAsync(Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        var o = RequireConfigured();
        using var request = new HttpRequestMessage(HttpMethod.Post, o.TokenUrl) { Content = ClientForm(form) };
        AddClientAuthentication(request);
        using var response = await Http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new PlatformException(ClassifyTokenError(response.StatusCode, body));
        }

        return ReadTokenResponse(JsonNode.Parse(body)!.AsObject());
    }

    /// <summary>HTTP Basic with the form-encoded client id and secret (RFC 6749 §2.3.1), when the app has a secret.</summary>
    private void AddClientAuthentication(HttpRequestMessage request)
    {
        var o = Options;
        if (!string.IsNullOrEmpty(o.ClientSecret))
        {
            var pair = $"{Uri.EscapeDataString(o.ClientId ?? "")}:{Uri.EscapeDataString(o.ClientSecret)}";
            request.Headers.Authorization = new AuthenticationHeaderValue("Basic", Convert.ToBase64String(Encoding.UTF8.GetBytes(pair)));
        }
    }

    /// <summary>Reads the create's answer. Only a 503 says the create was not processed; another 5xx may hide a created post.</summary>
    private async Task<JsonNode?> ReadCreateAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        try
        {
            return await ReadOrThrowAsync(response, cancellationToken);
        }
        catch (PlatformException ex) when (ex.Error is { Category: ErrorCategory.Transient, HttpStatus: >= 500 and not 503 })
        {
            throw new PlatformException(ex.Error with { Category = ErrorCategory.UnknownOutcome });
        }
    }

    private async Task<JsonNode?> GetAsync(string relative, PublishingIdentity account, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, Api(relative));
        using var response = await SendAsync(request, account, cancellationToken);
        return await ReadOrThrowAsync(response, cancellationToken);
    }

    private async Task<JsonNode?> PostJsonAsync(Uri url, JsonObject? body, PublishingIdentity account, RateLimitCollector limits, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = body is null ? null : Json(body) };
        using var response = await SendAsync(request, account, limits, cancellationToken);
        return await ReadOrThrowAsync(response, cancellationToken);
    }

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private static long? Number(JsonNode? node) =>
        node is JsonValue value && (value.TryGetValue<long>(out var n) || (value.TryGetValue<string>(out var s) &&
            long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out n))) ? n : null;
}
