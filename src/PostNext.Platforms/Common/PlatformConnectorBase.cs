using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using Polly.Timeout;
using PostNext.Abstractions;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Posts;

namespace PostNext.Platforms.Common;

/// <summary>
/// What every real connector shares: its options, HTTP client, the OAuth 2 authorization-code flow (PKCE where the
/// platform supports it), token responses, error classification into the taxonomy, and publish-attempt bracketing
/// (a failure before the irreversible step is transient; a broken call during it is an unknown outcome).
/// Platforms override only what differs.
/// </summary>
public abstract class PlatformConnectorBase(IHttpClientFactory httpClients, IOptionsMonitor<PlatformOptions> options, TimeProvider time)
    : IPlatformConnector
{
    public abstract string Platform { get; }

    protected PlatformOptions Options => options.Get(Platform);

    protected TimeProvider Time => time;

    /// <summary>The platform's HTTP client (timeouts and retries of idempotent reads configured once, in DI).</summary>
    protected HttpClient Http => httpClients.CreateClient(HttpClientName(Platform));

    public static string HttpClientName(string platform) => "postnext-platform-" + platform;

    /// <summary>Whether the platform's web flow accepts a PKCE challenge.</summary>
    protected virtual bool SupportsPkce => false;

    /// <summary>How scopes are joined in the authorize URL (some platforms use commas).</summary>
    protected virtual string ScopeSeparator => " ";

    /// <summary>The name of the client id parameter (TikTok: client_key).</summary>
    protected virtual string ClientIdParameter => "client_id";

    /// <summary>Extra authorize parameters (Google: access_type=offline).</summary>
    protected virtual IEnumerable<KeyValuePair<string, string?>> ExtraAuthorizeParameters => [];

    public virtual Uri BuildAuthorizeUrl(AuthorizeRequest request)
    {
        var o = RequireConfigured();
        var query = new List<KeyValuePair<string, string?>>
        {
            new("response_type", "code"),
            new(ClientIdParameter, o.ClientId),
            new("redirect_uri", request.RedirectUri.ToString()),
            new("scope", string.Join(ScopeSeparator, o.Scopes)),
            new("state", request.State),
        };
        if (SupportsPkce && request.CodeChallenge is not null)
        {
            query.Add(new("code_challenge", request.CodeChallenge));
            query.Add(new("code_challenge_method", "S256"));
        }

        query.AddRange(ExtraAuthorizeParameters);
        return new Uri(QueryHelpers.AddQueryString(o.AuthorizeUrl!.ToString(), query));
    }

    /// <summary>Nothing to check unless the platform says otherwise (TikTok's creator_info).</summary>
    public virtual Task<PublishingChoices?> ReadPublishingChoicesAsync(PublishingIdentity account, CancellationToken cancellationToken) =>
        Task.FromResult<PublishingChoices?>(null);

    public abstract Task<ConnectedAccount> CompleteConnectAsync(CodeExchange exchange, CancellationToken cancellationToken);

    /// <summary>One account per consent unless the platform says otherwise (Facebook Pages, LinkedIn organizations).</summary>
    public virtual async Task<IReadOnlyList<ConnectedAccount>> CompleteConnectChoicesAsync(CodeExchange exchange, CancellationToken cancellationToken) =>
        [await CompleteConnectAsync(exchange, cancellationToken)];

    public virtual async Task<TokenRefresh> RefreshTokenAsync(TokenSet current, CancellationToken cancellationToken)
    {
        if (current.RefreshToken is null)
        {
            return TokenRefresh.Failed(new PlatformError(ErrorCategory.Auth, "No refresh token: the account must be reconnected."));
        }

        try
        {
            var tokens = await PostTokenFormAsync(new Dictionary<string, string>
            {
                ["grant_type"] = "refresh_token",
                ["refresh_token"] = current.RefreshToken.Reveal(),
            }, cancellationToken);
            return TokenRefresh.Ok(tokens);
        }
        catch (PlatformException ex)
        {
            return TokenRefresh.Failed(ex.Error);
        }
    }

    public virtual async Task RevokeAsync(TokenSet current, CancellationToken cancellationToken)
    {
        if (Options.RevokeUrl is null)
        {
            return;
        }

        using var response = await Http.PostAsync(Options.RevokeUrl, ClientForm(new Dictionary<string, string>
        {
            ["token"] = current.AccessToken.Reveal(),
            ["token_type_hint"] = "access_token",
        }), cancellationToken);
    }

    public abstract Task<PublishOutcome> PublishAsync(PublishRequest request, CancellationToken cancellationToken);

    public abstract Task<ReconcileResult> FindPublicationAsync(PublishRequest request, CancellationToken cancellationToken);

    /// <summary>Platforms without thread replies or first comments refuse them (the API never lets such a target ask for one).</summary>
    public virtual Task<PublishOutcome> PublishFollowUpAsync(FollowUpRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(PublishOutcome.Failure(ErrorCategory.InvalidContent, $"{Platform} takes no thread replies or first comments."));

    /// <summary>A platform that cannot be asked about a follow-up cannot tell: the follow-up is never sent again.</summary>
    public virtual Task<ReconcileResult> FindFollowUpAsync(FollowUpRequest request, CancellationToken cancellationToken) =>
        Task.FromResult(ReconcileResult.Unknown($"{Platform} cannot be asked whether the reply or comment arrived."));

    public abstract Task<MetricsResult<PostMetrics>> ReadPostMetricsAsync(PostMetricsRequest request, CancellationToken cancellationToken);

    public abstract Task<MetricsResult<AccountMetrics>> ReadAccountMetricsAsync(PublishingIdentity account, CancellationToken cancellationToken);

    /// <summary>The options, or a clear error naming what to configure.</summary>
    protected PlatformOptions RequireConfigured()
    {
        var o = Options;
        if (!o.IsConfigured || o.AuthorizeUrl is null || o.TokenUrl is null)
        {
            throw new PlatformNotConfiguredException(Platform);
        }

        return o;
    }

    /// <summary>POSTs a token request (code or refresh) and reads a standard OAuth token response.</summary>
    protected virtual async Task<TokenSet> PostTokenFormAsync(Dictionary<string, string> form, CancellationToken cancellationToken)
    {
        var o = RequireConfigured();
        using var response = await Http.PostAsync(o.TokenUrl, ClientForm(form), cancellationToken);
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new PlatformException(ClassifyTokenError(response.StatusCode, body));
        }

        return ReadTokenResponse(JsonNode.Parse(body)!.AsObject());
    }

    /// <summary>Adds the client credentials to a token-endpoint form (in the body; override for HTTP Basic).</summary>
    protected virtual FormUrlEncodedContent ClientForm(Dictionary<string, string> form)
    {
        var o = Options;
        form[ClientIdParameter] = o.ClientId ?? "";
        if (!string.IsNullOrEmpty(o.ClientSecret))
        {
            form["client_secret"] = o.ClientSecret;
        }

        return new FormUrlEncodedContent(form);
    }

    /// <summary>Reads access_token / refresh_token / expires_in / scope (as most platforms send them).</summary>
    protected TokenSet ReadTokenResponse(JsonObject json)
    {
        var access = json["access_token"]?.GetValue<string>() ?? throw new PlatformException(
            new PlatformError(ErrorCategory.Auth, "The token response carried no access_token."));
        var refresh = json["refresh_token"]?.GetValue<string>();
        DateTimeOffset? expires = json["expires_in"] is { } e && long.TryParse(e.ToString(), out var seconds) && seconds > 0
            ? time.GetUtcNow().AddSeconds(seconds)
            : null;
        var scopes = json["scope"]?.ToString().Split([' ', ','], StringSplitOptions.RemoveEmptyEntries);
        return new TokenSet(new Secret(access), refresh is null ? null : new Secret(refresh), expires, scopes);
    }

    /// <summary>A failed token call: invalid_grant and 400/401 mean the grant is dead (auth); 5xx and 429 are transient.</summary>
    protected virtual PlatformError ClassifyTokenError(HttpStatusCode status, string body) => (int)status switch
    {
        429 => new PlatformError(ErrorCategory.RateLimited, $"Token endpoint rate limited: {Trim(body)}", null, 429),
        >= 500 => new PlatformError(ErrorCategory.Transient, $"Token endpoint failed ({(int)status}): {Trim(body)}", null, (int)status),
        _ => new PlatformError(ErrorCategory.Auth, $"The platform refused the grant ({(int)status}): {Trim(body)}", null, (int)status),
    };

    /// <summary>Sends a request with the account's bearer token, within <see cref="PlatformOptions.RequestTimeout"/> (reads and reconciliation: no limits collected).</summary>
    protected Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, PublishingIdentity account, CancellationToken cancellationToken) =>
        SendTimedAsync(request, account.AccessToken, null, cancellationToken);

    /// <summary>Sends a request of a publish or follow-up with the account's bearer token, recording the limits its response reports into <paramref name="limits"/>.</summary>
    protected Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, PublishingIdentity account, RateLimitCollector? limits, CancellationToken cancellationToken) =>
        SendTimedAsync(request, account.AccessToken, limits, cancellationToken);

    /// <summary>
    /// The one way a connector calls its platform: the bearer token (when there is one) and
    /// <see cref="PlatformOptions.RequestTimeout"/> for the whole call, body included. The rate limits the response's
    /// headers report are recorded into <paramref name="limits"/> (the publish's or follow-up's collector), whatever its
    /// status, so the attempt's outcome can carry them. A call that did not answer in time —
    /// by this timeout or the HTTP client's — surfaces as <see cref="TaskCanceledException"/>, which
    /// <see cref="AttemptAsync"/> classifies as transient before the irreversible step and as an unknown outcome after it.
    /// </summary>
    protected async Task<HttpResponseMessage> SendTimedAsync(HttpRequestMessage request, Secret? bearer, RateLimitCollector? limits, CancellationToken cancellationToken)
    {
        if (bearer is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", bearer.Reveal());
        }

        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Options.RequestTimeout);
        try
        {
            var response = await Http.SendAsync(request, timeout.Token);
            limits?.Record(response.Headers, time.GetUtcNow());
            return response;
        }
        catch (Exception ex) when (ex is OperationCanceledException or TimeoutRejectedException && !cancellationToken.IsCancellationRequested)
        {
            throw new TaskCanceledException($"{Platform} did not answer {request.Method} {request.RequestUri?.AbsolutePath} within {Options.RequestTimeout}.", ex);
        }
    }

    /// <summary>
    /// Runs a reconciliation: whatever the platform answers that is not a finding — a classified error, a call that broke
    /// off, an answer that cannot be read — means it could not tell, never "not found".
    /// </summary>
    protected async Task<ReconcileResult> ReconcileAsync(string what, Func<Task<ReconcileResult>> find)
    {
        try
        {
            return await find();
        }
        catch (PlatformException ex)
        {
            return ReconcileResult.Unknown($"{what} could not be read: {ex.Error.Message}");
        }
        catch (Exception ex) when (IsBrokenCall(ex))
        {
            return ReconcileResult.Unknown($"{what} could not be read: {ex.Message}");
        }
    }

    /// <summary>A call that broke off or an answer that could not be read (as opposed to a bug).</summary>
    protected static bool IsBrokenCall(Exception ex) =>
        ex is HttpRequestException or OperationCanceledException or TimeoutRejectedException or IOException or JsonException;

    /// <summary>Reads a JSON body, or throws the response classified into the taxonomy.</summary>
    protected async Task<JsonNode?> ReadOrThrowAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new PlatformException(Classify(response, body));
        }

        return string.IsNullOrWhiteSpace(body) ? null : JsonNode.Parse(body);
    }

    /// <summary>
    /// Classifies an error response. The default covers HTTP semantics (401 auth, 429 limited until the headers say,
    /// 5xx/408 transient, other 4xx invalid content); platforms override to read their documented codes first.
    /// </summary>
    protected virtual PlatformError Classify(HttpResponseMessage response, string body)
    {
        var status = (int)response.StatusCode;
        var message = $"{Platform} answered {status}: {Trim(body)}";
        return status switch
        {
            401 => new PlatformError(ErrorCategory.Auth, message, null, status),
            429 => new PlatformError(ErrorCategory.RateLimited, message, RateLimitedUntil(response), status),
            408 or >= 500 => new PlatformError(ErrorCategory.Transient, message, null, status),
            _ => new PlatformError(ErrorCategory.InvalidContent, message, null, status),
        };
    }

    /// <summary>When a limited call may be tried again: from the headers, else a conservative minute.</summary>
    protected DateTimeOffset RateLimitedUntil(HttpResponseMessage response)
    {
        var now = time.GetUtcNow();
        return RateLimitHeaders.Read(response.Headers, now)?.ResetAt ?? now.AddMinutes(1);
    }

    /// <summary>
    /// Runs a publish: classified failures become outcomes; a broken call before the <see cref="IrreversibleMarker"/> is reached
    /// is transient (nothing was created), after it the outcome is unknown and must be reconciled. Whatever the outcome,
    /// it carries the tightest limit its calls' responses reported into <paramref name="limits"/>.
    /// </summary>
    protected async Task<PublishOutcome> AttemptAsync(RateLimitCollector limits, Func<IrreversibleMarker, Task<PublishOutcome>> publish)
    {
        var outcome = await OutcomeAsync(publish);
        return outcome with { Limit = PlatformLimit.Tighter(outcome.Limit, limits.Tightest) };
    }

    private async Task<PublishOutcome> OutcomeAsync(Func<IrreversibleMarker, Task<PublishOutcome>> publish)
    {
        var irreversible = new IrreversibleMarker();
        try
        {
            return await publish(irreversible);
        }
        catch (PlatformException ex)
        {
            return ex.Error.ToOutcome();
        }
        catch (Exception ex) when (IsBrokenCall(ex))
        {
            return irreversible.Reached
                ? PublishOutcome.Failure(ErrorCategory.UnknownOutcome, $"The call to {Platform} broke off after the post may have been created: {ex.Message}")
                : PublishOutcome.Failure(ErrorCategory.Transient, $"The call to {Platform} failed before anything was created: {ex.Message}");
        }
    }

    /// <summary>Reads metrics, classifying failures.</summary>
    protected static async Task<MetricsResult<T>> ReadMetricsAsync<T>(Func<Task<T>> read)
        where T : class
    {
        try
        {
            return MetricsResult<T>.Ok(await read());
        }
        catch (PlatformException ex)
        {
            return MetricsResult<T>.Failed(ex.Error);
        }
        catch (Exception ex) when (IsBrokenCall(ex))
        {
            return MetricsResult<T>.Failed(new PlatformError(ErrorCategory.Transient, ex.Message));
        }
    }

    protected Uri Api(string relative) => new(Options.ApiBaseUrl!, relative);

    protected static string Trim(string body) => body.Length <= 500 ? body : body[..500] + "…";
}

/// <summary>Marks the moment a publish sends its irreversible request.</summary>
public sealed class IrreversibleMarker
{
    public bool Reached { get; private set; }

    public void Reach() => Reached = true;
}

/// <summary>A platform without a client id cannot be connected; the message says what to set.</summary>
public sealed class PlatformNotConfiguredException(string platform) : Exception(
    $"The {platform} platform is not configured: set PostNext:Platforms:{platform}:ClientId and ClientSecret " +
    $"(environment PostNext__Platforms__{platform}__ClientId / __ClientSecret).")
{
    public string Platform { get; } = platform;
}
