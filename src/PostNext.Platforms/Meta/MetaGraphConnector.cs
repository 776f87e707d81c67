using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Net.Http.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using Microsoft.Extensions.Options;
using PostNext.Abstractions;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;

namespace PostNext.Platforms.Meta;

/// <summary>
/// What the Facebook and Instagram connectors share: versioned Graph URLs (<c>{base}/{ApiVersion}/{path}</c>), calls
/// with a bearer token and a per-call timeout, Meta's error envelope classified into the taxonomy (the platform's own
/// codes first), token-endpoint errors, and the irreversible create (a 5xx answer to it is an unknown outcome).
/// </summary>
public abstract class MetaGraphConnector(IHttpClientFactory httpClients, IOptionsMonitor<PlatformOptions> options, TimeProvider time)
    : PlatformConnectorBase(httpClients, options, time)
{
    /// <summary>
    /// The Graph API version used when none is configured: v23.0+ is needed for the media-view insights that replaced
    /// impressions (platforms.md §3 "Metrics"); v25.0 is what postiz runs today.
    /// </summary>
    public const string DefaultApiVersion = "v25.0";

    /// <summary>Meta's authorize dialogs take comma-separated scopes.</summary>
    protected override string ScopeSeparator => ",";

    /// <summary>The Graph API version in every path, e.g. "v25.0".</summary>
    protected string Version => Options.ApiVersion is { Length: > 0 } v ? v : DefaultApiVersion;

    /// <summary><c>{ApiBaseUrl}/{version}/{path}?{query}</c>.</summary>
    protected Uri Graph(string path, params (string Name, string? Value)[] query) => WithQuery(Api($"{Version}/{path}"), query);

    protected static Uri WithQuery(Uri url, params (string Name, string? Value)[] query) =>
        new(QueryHelpers.AddQueryString(url.AbsoluteUri, query.Where(q => q.Value is not null).Select(q => new KeyValuePair<string, string?>(q.Name, q.Value))));

    protected Task<JsonObject> GetAsync(Uri url, Secret? token, RateLimitCollector? limits, CancellationToken cancellationToken) =>
        SendGraphAsync(new HttpRequestMessage(HttpMethod.Get, url), token, limits, cancellationToken);

    protected Task<JsonObject> PostJsonAsync(Uri url, JsonObject body, Secret? token, RateLimitCollector? limits, CancellationToken cancellationToken) =>
        SendGraphAsync(new HttpRequestMessage(HttpMethod.Post, url) { Content = JsonContent.Create(body) }, token, limits, cancellationToken);

    protected Task<JsonObject> PostFormAsync(
        Uri url, IEnumerable<KeyValuePair<string, string>> form, Secret? token, RateLimitCollector? limits, CancellationToken cancellationToken) =>
        SendGraphAsync(new HttpRequestMessage(HttpMethod.Post, url) { Content = new FormUrlEncodedContent(form) }, token, limits, cancellationToken);

    /// <summary>
    /// Sends one Graph call with the bearer token, bounded by <see cref="PlatformOptions.RequestTimeout"/>, and reads its
    /// JSON object or throws the classified error; the usage its headers report is recorded into <paramref name="limits"/>
    /// (a publish's or follow-up's; null for reads). A timeout surfaces as <see cref="TaskCanceledException"/>, which
    /// <see cref="PlatformConnectorBase.AttemptAsync"/> turns into transient (before the create) or unknown outcome (after).
    /// </summary>
    protected Task<JsonObject> SendGraphAsync(HttpRequestMessage request, Secret? token, RateLimitCollector? limits, CancellationToken cancellationToken) =>
        CallAsync(request, token, limits, async (response, ct) => await ReadOrThrowAsync(response, ct) as JsonObject ?? [], cancellationToken);

    /// <summary>Sends a request without a token (token endpoints) and reads its answer.</summary>
    protected Task<T> CallAsync<T>(
        HttpRequestMessage request, Func<HttpResponseMessage, CancellationToken, Task<T>> read, CancellationToken cancellationToken) =>
        CallAsync(request, null, null, read, cancellationToken);

    /// <summary>Sends a request through the connector base's timed send and reads its answer.</summary>
    private async Task<T> CallAsync<T>(
        HttpRequestMessage request, Secret? token, RateLimitCollector? limits, Func<HttpResponseMessage, CancellationToken, Task<T>> read, CancellationToken cancellationToken)
    {
        using (request)
        {
            using var response = await SendTimedAsync(request, token, limits, cancellationToken);
            return await read(response, cancellationToken);
        }
    }

    /// <summary>
    /// Sends the irreversible create: marks it reached first, and reports a 5xx answer as an unknown outcome (Meta may
    /// have created the post before failing), so it is reconciled rather than blindly sent again.
    /// </summary>
    protected static async Task<JsonObject> IrreversibleAsync(IrreversibleMarker marker, Func<Task<JsonObject>> create)
    {
        marker.Reach();
        try
        {
            return await create();
        }
        catch (PlatformException ex) when (ex.Error is { Category: ErrorCategory.Transient, HttpStatus: >= 500 })
        {
            throw new PlatformException(ex.Error with
            {
                Category = ErrorCategory.UnknownOutcome,
                Message = "The create failed on the server's side and may have taken effect: " + ex.Error.Message,
            });
        }
    }

    /// <summary>The field a comment's text comes back in when comments are listed (Facebook <c>message</c>, Instagram <c>text</c>).</summary>
    protected abstract string CommentTextField { get; }

    /// <summary>The first comment: <c>POST /{post-or-media-id}/comments</c> with <c>message</c> (Graph API "Comments" edge).</summary>
    public override Task<PublishOutcome> PublishFollowUpAsync(FollowUpRequest request, CancellationToken cancellationToken) => AttemptAsync(request.Limits, async marker =>
    {
        var token = RequireToken(request.Account);
        var created = await IrreversibleAsync(marker, () => PostFormAsync(
            Graph($"{Uri.EscapeDataString(request.ParentId)}/comments"), [new("message", request.Part.Text)], token, request.Limits, cancellationToken));
        var id = created["id"]?.ToString();
        return string.IsNullOrEmpty(id)
            ? PublishOutcome.Failure(ErrorCategory.UnknownOutcome, $"{Platform} accepted the comment but its answer carried no id.")
            : PublishOutcome.Success(id, null, Time.GetUtcNow());
    });

    /// <summary>A comment in doubt: the post's comments (newest pages first) with the same text by this account; a full list without it is "not found".</summary>
    public override Task<ReconcileResult> FindFollowUpAsync(FollowUpRequest request, CancellationToken cancellationToken) =>
        ReconcileAsync($"{Platform}'s comments", async () =>
        {
            var token = RequireToken(request.Account);
            var json = await GetAsync(Graph($"{Uri.EscapeDataString(request.ParentId)}/comments", ("fields", $"id,{CommentTextField}"), ("limit", "100")), token, null, cancellationToken);
            foreach (var comment in json["data"] as JsonArray ?? [])
            {
                if (comment?[CommentTextField]?.ToString() == request.Part.Text && comment["id"]?.ToString() is { Length: > 0 } id)
                {
                    return ReconcileResult.Found(PublishOutcome.Success(id, null, Time.GetUtcNow()));
                }
            }

            return json["paging"]?["next"] is null
                ? ReconcileResult.NotFound
                : ReconcileResult.Unknown("The post has more than 100 comments; the first comment was not among the first 100.");
        });

    /// <summary>The account's token, or an auth failure when it has none.</summary>
    protected Secret RequireToken(Abstractions.Accounts.PublishingIdentity account) =>
        account.AccessToken ?? throw new PlatformException(new PlatformError(ErrorCategory.Auth, $"The {Platform} account has no access token: reconnect it."));

    /// <summary>Waits one poll interval (on the connector's clock).</summary>
    protected Task PollDelayAsync(CancellationToken cancellationToken) => Task.Delay(Options.PollInterval, Time, cancellationToken);

    /// <summary>
    /// Reads a state every <see cref="PlatformOptions.PollInterval"/> until it has <paramref name="settled"/> or
    /// <see cref="PlatformOptions.ProcessingTimeout"/> has passed, and returns the last one read.
    /// </summary>
    protected async Task<T> PollUntilSettledAsync<T>(Func<Task<T>> read, Func<T, bool> settled, CancellationToken cancellationToken)
    {
        var deadline = Time.GetUtcNow() + Options.ProcessingTimeout;
        while (true)
        {
            var state = await read();
            if (settled(state) || Time.GetUtcNow() >= deadline)
            {
                return state;
            }

            await PollDelayAsync(cancellationToken);
        }
    }

    /// <summary>The platform's own codes, read before Meta's (override per platform).</summary>
    protected virtual PlatformError? ClassifySpecific(MetaGraphError error, HttpResponseMessage response) => null;

    protected override PlatformError Classify(HttpResponseMessage response, string body) =>
        MetaGraphError.Parse(body) is { } error
            ? MetaErrors.Classify(Platform, error, (int)response.StatusCode, response.Headers, Time.GetUtcNow(), e => ClassifySpecific(e, response))
            : base.Classify(response, body);

    /// <summary>
    /// A failed token call: throttling and server trouble pass; anything else — a used code, a dead token, a wrong client
    /// secret (code 1 with a 400) — means the grant cannot be had.
    /// </summary>
    protected override PlatformError ClassifyTokenError(HttpStatusCode status, string body)
    {
        if (MetaGraphError.Parse(body) is not { } error)
        {
            return base.ClassifyTokenError(status, body);
        }

        var message = error.Describe(Platform);
        if (MetaErrors.IsRateLimit(error) || status == HttpStatusCode.TooManyRequests)
        {
            return new PlatformError(ErrorCategory.RateLimited, message, Time.GetUtcNow() + MetaErrors.DefaultThrottle, (int)status, error.PlatformCode);
        }

        return (int)status >= 500 || error.IsTransient
            ? new PlatformError(ErrorCategory.Transient, message, null, (int)status, error.PlatformCode)
            : new PlatformError(ErrorCategory.Auth, message, null, (int)status, error.PlatformCode);
    }

    /// <summary>Calls a token endpoint with GET and its parameters in the query (as Meta documents them).</summary>
    protected Task<TokenSet> GetTokenAsync(Uri url, CancellationToken cancellationToken, params (string Name, string? Value)[] query) =>
        CallAsync(new HttpRequestMessage(HttpMethod.Get, WithQuery(url, query)), ReadTokenAsync, cancellationToken);

    /// <summary>Reads a token response, or throws its classified error.</summary>
    protected async Task<TokenSet> ReadTokenAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var body = await response.Content.ReadAsStringAsync(cancellationToken);
        if (!response.IsSuccessStatusCode)
        {
            throw new PlatformException(ClassifyTokenError(response.StatusCode, body));
        }

        var json = JsonNode.Parse(body) as JsonObject ?? throw new PlatformException(
            new PlatformError(ErrorCategory.Auth, $"{Platform}: the token response was not a JSON object."));

        // Business Login for Instagram wraps the code exchange's answer in {"data":[{...}]} and names the granted
        // scopes "permissions".
        var token = json["data"] is JsonArray { Count: > 0 } data && data[0] is JsonObject first ? first : json;
        if (token["scope"] is null && Text(token["permissions"]) is { } permissions)
        {
            token["scope"] = permissions;
        }

        return ReadTokenResponse(token);
    }

    /// <summary>Meta's timestamps ("2026-12-01T09:00:00+0000") or unix seconds.</summary>
    protected static DateTimeOffset? ParseTime(JsonNode? node)
    {
        if (node is not JsonValue value)
        {
            return null;
        }

        if (value.TryGetValue<long>(out var unix))
        {
            return DateTimeOffset.FromUnixTimeSeconds(unix);
        }

        var text = value.ToString();
        return DateTimeOffset.TryParseExact(text, ["yyyy-MM-dd'T'HH:mm:sszzz", "yyyy-MM-dd'T'HH:mm:ssK", "yyyy-MM-dd'T'HH:mm:ss.FFFFFFFK"],
                   CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
               || DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out parsed)
            ? parsed
            : TryCompactOffset(text);
    }

    /// <summary>"+0000" offsets (no colon), which the standard patterns may refuse.</summary>
    private static DateTimeOffset? TryCompactOffset(string text) =>
        text.Length > 5 && (text[^5] is '+' or '-') &&
        DateTimeOffset.TryParse(text[..^2] + ":" + text[^2..], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed)
            ? parsed
            : null;

    protected static string? Text(JsonNode? node) => node is JsonValue v ? v.ToString() : null;

    protected static long Count(JsonNode? node) =>
        node is JsonValue v && (v.TryGetValue<long>(out var n) || (v.TryGetValue<string>(out var s) && long.TryParse(s, out n))) ? n : 0;

    protected static long? OptionalCount(JsonNode? node) => node is JsonValue ? Count(node) : null;

    protected static string UnixSeconds(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    protected static DateTimeOffset? FromUnixSeconds(string? value) =>
        long.TryParse(value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var s) ? DateTimeOffset.FromUnixTimeSeconds(s) : null;
}
