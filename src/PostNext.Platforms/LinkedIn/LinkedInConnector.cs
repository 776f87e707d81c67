using System.Globalization;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Platforms;
using PostNext.Abstractions.Posts;
using PostNext.Content.Options;
using PostNext.Platforms.Common;

namespace PostNext.Platforms.LinkedIn;

/// <summary>
/// LinkedIn Posts API (Community Management): authorization code with the client secret (no PKCE for web apps),
/// 60-day tokens refreshed only for partner apps, <c>POST /rest/posts</c> with images and videos uploaded through the
/// Images and Videos APIs, the post URN from <c>x-restli-id</c>. Every /rest call carries <c>LinkedIn-Version</c>
/// (<see cref="PlatformOptions.ApiVersion"/>) and <c>X-Restli-Protocol-Version: 2.0.0</c>. The account's external id
/// is the author URN: <c>urn:li:person:{sub}</c> when connected, or an organization URN for a Company Page.
/// </summary>
public sealed partial class LinkedInConnector(
    IHttpClientFactory httpClients, IOptionsMonitor<PlatformOptions> options, TimeProvider time, MediaFetcher media)
    : PlatformConnectorBase(httpClients, options, time)
{
    /// <summary>Checkpoint: when the create request was sent (ISO 8601); reconciliation searches the author's posts from there.</summary>
    public const string CreateSentCheckpoint = "linkedin.create_sent_at";

    /// <summary>Checkpoint: the uploaded image/video URNs (comma-separated), saved before the create.</summary>
    public const string MediaCheckpoint = "linkedin.media_urns";

    /// <summary>The LinkedIn-Version sent when none is configured (versions sunset about a year after release).</summary>
    public const string DefaultApiVersion = "202601";

    /// <summary>
    /// The real LinkedIn endpoints. Scopes: sign-in (openid profile → /v2/userinfo) and member posting (w_member_social),
    /// which every app gets with the "Share on LinkedIn" and "Sign In with LinkedIn" products. The analytics scopes
    /// (r_member_postAnalytics, r_member_profileAnalytics) belong to the Community Management API, which LinkedIn grants
    /// to vetted organisations only: an app that has it adds them to PostNext:Platforms:linkedin:Scopes, and without them
    /// metrics are simply not read. Company Pages need the organization scopes (<see cref="OrganizationScopes"/>), also a
    /// Community Management product: an app that has them adds them to the Scopes, and connecting then offers the member's
    /// organizations too.
    /// </summary>
    public static PlatformOptions Defaults => new()
    {
        ApiBaseUrl = new Uri("https://api.linkedin.com/"),
        AuthorizeUrl = new Uri("https://www.linkedin.com/oauth/v2/authorization"),
        TokenUrl = new Uri("https://www.linkedin.com/oauth/v2/accessToken"),
        RevokeUrl = new Uri("https://www.linkedin.com/oauth/v2/revoke"),
        Scopes = ["openid", "profile", "w_member_social"],
        ApiVersion = DefaultApiVersion,
    };

    public override string Platform => PlatformIds.LinkedIn;

    /// <summary>The member the person signed in as (see <see cref="CompleteConnectChoicesAsync"/> for their organizations too).</summary>
    public override async Task<ConnectedAccount> CompleteConnectAsync(CodeExchange exchange, CancellationToken cancellationToken) =>
        (await CompleteConnectChoicesAsync(exchange, cancellationToken))[0];

    /// <summary>
    /// The member (from <c>/v2/userinfo</c>), then — when the grant carries <see cref="OrganizationPostingScope"/> — each
    /// organization they administer (<see cref="OrganizationsAsync"/>). Every candidate shares the member's token; an
    /// organization account posts with its organization URN as author.
    /// </summary>
    public override async Task<IReadOnlyList<ConnectedAccount>> CompleteConnectChoicesAsync(CodeExchange exchange, CancellationToken cancellationToken)
    {
        var tokens = await PostTokenFormAsync(new Dictionary<string, string>
        {
            ["grant_type"] = "authorization_code",
            ["code"] = exchange.Code,
            ["redirect_uri"] = exchange.RedirectUri.ToString(),
        }, cancellationToken);
        using var request = new HttpRequestMessage(HttpMethod.Get, Api("v2/userinfo"));
        using var response = await SendTimedAsync(request, tokens.AccessToken, null, cancellationToken);
        var user = await ReadOrThrowAsync(response, cancellationToken);
        var sub = user?["sub"]?.GetValue<string>() ?? throw new PlatformException(
            new PlatformError(ErrorCategory.Auth, "LinkedIn's /v2/userinfo answered without a sub (is the openid scope granted?)."));
        var name = user["name"]?.GetValue<string>();
        List<ConnectedAccount> accounts = [new("urn:li:person:" + sub, name ?? sub, name, tokens, ConnectCandidateKinds.Member)];
        if (tokens.Scopes?.Contains(OrganizationPostingScope) == true)
        {
            accounts.AddRange(await OrganizationsAsync(tokens, cancellationToken));
        }

        return accounts;
    }

    /// <summary>LinkedIn's revoke takes client_id, client_secret and the token in a form.</summary>
    public override async Task RevokeAsync(TokenSet current, CancellationToken cancellationToken)
    {
        if (Options.RevokeUrl is { } url)
        {
            using var response = await Http.PostAsync(url, ClientForm(new Dictionary<string, string> { ["token"] = current.AccessToken.Reveal() }), cancellationToken);
        }
    }

    /// <summary>
    /// Who sees the post: the target's choice, PUBLIC by default. CONNECTIONS is a member's audience; a page has none,
    /// so a page post asking for it is refused before anything is sent.
    /// </summary>
    private string Visibility(PostOptions options, string author) =>
        OptionRules.CheckAccount(Platform, author, options).FirstOrDefault() is { } refused
            ? throw new PlatformException(new PlatformError(ErrorCategory.InvalidContent, refused.Message))
            : options.LinkedIn?.Visibility ?? "PUBLIC";

    public override Task<PublishOutcome> PublishAsync(PublishRequest request, CancellationToken cancellationToken) =>
        AttemptAsync(request.Limits, async irreversible =>
        {
            var author = request.Account.ExternalId;
            var visibility = Visibility(request.Options, author);
            var (content, urns) = await UploadMediaAsync(request, cancellationToken);
            if (urns.Count > 0)
            {
                await request.SaveCheckpointAsync(MediaCheckpoint, string.Join(',', urns));
            }

            var body = new JsonObject
            {
                ["author"] = author,
                ["commentary"] = LittleText.Escape(request.Content.Text),
                ["visibility"] = visibility,
                ["distribution"] = new JsonObject
                {
                    ["feedDistribution"] = "MAIN_FEED",
                    ["targetEntities"] = new JsonArray(),
                    ["thirdPartyDistributionChannels"] = new JsonArray(),
                },
                ["lifecycleState"] = "PUBLISHED",
                ["isReshareDisabledByAuthor"] = false,
            };
            if (content is not null)
            {
                body["content"] = content;
            }

            await request.SaveCheckpointAsync(CreateSentCheckpoint, Time.GetUtcNow().ToString("O", CultureInfo.InvariantCulture));
            using var message = Rest(HttpMethod.Post, "rest/posts", body);
            irreversible.Reach();
            using var response = await SendAsync(message, request.Account, request.Limits, cancellationToken);
            if (await ReadCreateAsync(response, sentBefore: request.Checkpoint(CreateSentCheckpoint) is not null, cancellationToken) is { } earlier)
            {
                return PublishOutcome.Success(earlier, Permalink(earlier), Time.GetUtcNow());
            }

            var urn = response.Headers.TryGetValues("x-restli-id", out var ids) ? ids.FirstOrDefault() : null;
            return string.IsNullOrEmpty(urn)
                ? PublishOutcome.Failure(ErrorCategory.UnknownOutcome, "LinkedIn accepted the post but sent no x-restli-id.")
                : PublishOutcome.Success(urn, Permalink(urn), Time.GetUtcNow());
        });

    /// <summary>
    /// The first comment: <c>POST /rest/socialActions/{post urn}/comments</c> with the author as <c>actor</c>, the post as
    /// <c>object</c> and the text in <c>message.text</c> (Community Management API "Comments"); its id comes back in
    /// <c>x-restli-id</c> (or the body's <c>id</c>).
    /// </summary>
    public override Task<PublishOutcome> PublishFollowUpAsync(FollowUpRequest request, CancellationToken cancellationToken) =>
        AttemptAsync(request.Limits, async irreversible =>
        {
            var body = new JsonObject
            {
                ["actor"] = request.Account.ExternalId,
                ["object"] = request.ParentId,
                ["message"] = new JsonObject { ["text"] = request.Part.Text },
            };
            using var message = Rest(HttpMethod.Post, $"rest/socialActions/{Encoded(request.ParentId)}/comments", body);
            irreversible.Reach();
            using var response = await SendAsync(message, request.Account, request.Limits, cancellationToken);
            var created = await ReadCommentAsync(response, cancellationToken);
            var id = response.Headers.TryGetValues("x-restli-id", out var ids) ? ids.FirstOrDefault() : created?["id"]?.ToString();
            return string.IsNullOrEmpty(id)
                ? PublishOutcome.Failure(ErrorCategory.UnknownOutcome, "LinkedIn accepted the comment but sent no id.")
                : PublishOutcome.Success(id, null, Time.GetUtcNow());
        });

    /// <summary>A comment in doubt: the post's comments (<c>GET /rest/socialActions/{urn}/comments</c>) with the same text by this author.</summary>
    public override Task<ReconcileResult> FindFollowUpAsync(FollowUpRequest request, CancellationToken cancellationToken) =>
        ReconcileAsync("LinkedIn's comments", async () =>
        {
            var json = await SendRestAsync(Rest(HttpMethod.Get, $"rest/socialActions/{Encoded(request.ParentId)}/comments?count=100"), request.Account, cancellationToken);
            var elements = json?["elements"] as JsonArray ?? [];
            foreach (var comment in elements)
            {
                if (comment?["actor"]?.ToString() == request.Account.ExternalId && comment["message"]?["text"]?.ToString() == request.Part.Text &&
                    (comment["id"] ?? comment["commentUrn"])?.ToString() is { Length: > 0 } id)
                {
                    return ReconcileResult.Found(PublishOutcome.Success(id, null, Time.GetUtcNow()));
                }
            }

            return Number(json?["paging"]?["total"]) is { } total && total > elements.Count
                ? ReconcileResult.Unknown("The post has more than 100 comments; the first comment was not among the first 100.")
                : ReconcileResult.NotFound;
        });

    /// <summary>A comment create's answer: a 5xx other than 503 may hide a created comment.</summary>
    private async Task<JsonNode?> ReadCommentAsync(HttpResponseMessage response, CancellationToken cancellationToken)
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

    /// <summary>Documented as https://www.linkedin.com/feed/update/{urn}.</summary>
    public static string Permalink(string urn) => "https://www.linkedin.com/feed/update/" + urn;

    protected override PlatformError Classify(HttpResponseMessage response, string body) =>
        LinkedInErrors.Classify(response, body, Time.GetUtcNow()) ?? base.Classify(response, body);

    /// <summary>A /rest request with the version headers LinkedIn requires on every call.</summary>
    private HttpRequestMessage Rest(HttpMethod method, string relative, JsonObject? body = null, bool finder = false)
    {
        var request = new HttpRequestMessage(method, Api(relative)) { Content = body is null ? null : Json(body) };
        request.Headers.Add("LinkedIn-Version", string.IsNullOrWhiteSpace(Options.ApiVersion) ? DefaultApiVersion : Options.ApiVersion);
        request.Headers.Add("X-Restli-Protocol-Version", "2.0.0");
        if (finder)
        {
            request.Headers.Add("X-RestLi-Method", "FINDER");
        }

        return request;
    }

    private Task<JsonNode?> SendRestAsync(HttpRequestMessage request, PublishingIdentity account, CancellationToken cancellationToken) =>
        SendRestAsync(request, account, null, cancellationToken);

    private async Task<JsonNode?> SendRestAsync(HttpRequestMessage request, PublishingIdentity account, RateLimitCollector? limits, CancellationToken cancellationToken)
    {
        using (request)
        {
            using var response = await SendAsync(request, account, limits, cancellationToken);
            return await ReadOrThrowAsync(response, cancellationToken);
        }
    }

    /// <summary>
    /// Reads the create's answer. Only a 503 says the create was not processed; another 5xx may hide a created post.
    /// A DUPLICATE_POST answer names the post it duplicates: when an earlier attempt of this publication already sent its
    /// create, that post is the earlier attempt's, and its URN is returned as this publication's post.
    /// </summary>
    private async Task<string?> ReadCreateAsync(HttpResponseMessage response, bool sentBefore, CancellationToken cancellationToken)
    {
        try
        {
            await ReadOrThrowAsync(response, cancellationToken);
            return null;
        }
        catch (PlatformException ex) when (ex.Error is { Category: ErrorCategory.Transient, HttpStatus: >= 500 and not 503 })
        {
            throw new PlatformException(ex.Error with { Category = ErrorCategory.UnknownOutcome });
        }
        catch (PlatformException ex) when (sentBefore && ex.Error.Category == ErrorCategory.Duplicate && LinkedInErrors.DuplicateOf(ex.Error.Message) is { } earlier)
        {
            return earlier;
        }
    }

    /// <summary>A URN as a path segment or Rest.li value: URL-encoded, as LinkedIn requires.</summary>
    private static string Encoded(string urn) => Uri.EscapeDataString(urn);

    private static StringContent Json(JsonObject body) => new(body.ToJsonString(), Encoding.UTF8, "application/json");

    private static long? Number(JsonNode? node) =>
        node is JsonValue value && (value.TryGetValue<long>(out var n) || (value.TryGetValue<string>(out var s) &&
            long.TryParse(s, NumberStyles.Integer, CultureInfo.InvariantCulture, out n))) ? n : null;
}
