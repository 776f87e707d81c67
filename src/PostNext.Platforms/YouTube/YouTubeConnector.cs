using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.Extensions.Options;
using PostNext.Abstractions;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Platforms;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;

namespace PostNext.Platforms.YouTube;

/// <summary>
/// YouTube Data API v3: Google OAuth (offline access, PKCE), a video published by resumable upload, statistics as metrics.
/// The video exists only once its last byte is received, so the session URI saved before any byte is sent is both the
/// way to resume an interrupted upload and the way to reconcile an unknown outcome.
/// </summary>
public sealed partial class YouTubeConnector(
    IHttpClientFactory httpClients, IOptionsMonitor<PlatformOptions> options, TimeProvider time, MediaFetcher media)
    : PlatformConnectorBase(httpClients, options, time)
{
    /// <summary>The resumable session URI, saved before the first byte is sent.</summary>
    public const string SessionCheckpoint = "youtube.session";

    /// <summary>The video's size in bytes, saved with the session (a probe states it: <c>Content-Range: bytes */{size}</c>).</summary>
    public const string LengthCheckpoint = "youtube.upload_length";

    /// <summary>The real Google endpoints (overlaid by <c>PostNext:Platforms:youtube</c>).</summary>
    public static PlatformOptions Defaults => new()
    {
        ApiBaseUrl = new Uri("https://www.googleapis.com/youtube/v3/"),
        UploadBaseUrl = new Uri("https://www.googleapis.com/"),
        AuthorizeUrl = new Uri("https://accounts.google.com/o/oauth2/v2/auth"),
        TokenUrl = new Uri("https://oauth2.googleapis.com/token"),
        RevokeUrl = new Uri("https://oauth2.googleapis.com/revoke"),
        Scopes = ["https://www.googleapis.com/auth/youtube.upload", "https://www.googleapis.com/auth/youtube.readonly"],
        ChunkSizeBytes = 8 * 1024 * 1024,
    };

    public override string Platform => PlatformIds.YouTube;

    protected override bool SupportsPkce => true;

    /// <summary>A refresh token is issued only for offline access, and re-issued on reconnect only with prompt=consent.</summary>
    protected override IEnumerable<KeyValuePair<string, string?>> ExtraAuthorizeParameters =>
        [new("access_type", "offline"), new("prompt", "consent")];

    public override async Task<ConnectedAccount> CompleteConnectAsync(CodeExchange exchange, CancellationToken cancellationToken)
    {
        var form = new Dictionary<string, string>
        {
            ["code"] = exchange.Code,
            ["grant_type"] = "authorization_code",
            ["redirect_uri"] = exchange.RedirectUri.ToString(),
        };
        if (exchange.CodeVerifier is not null)
        {
            form["code_verifier"] = exchange.CodeVerifier;
        }

        var tokens = await PostTokenFormAsync(form, cancellationToken);
        var channel = await GetAsync(Api("channels?part=snippet&mine=true"), tokens.AccessToken, cancellationToken) is var json && json["items"]?[0] is JsonObject item
            ? item
            : throw new PlatformException(new PlatformError(ErrorCategory.Auth, "This Google account has no YouTube channel; create one, then connect again."));
        var id = channel["id"]!.ToString();
        var title = channel["snippet"]?["title"]?.ToString();
        var handle = channel["snippet"]?["customUrl"]?.ToString()?.TrimStart('@');
        return new ConnectedAccount(id, string.IsNullOrEmpty(handle) ? title ?? id : handle, title, tokens);
    }

    /// <summary>Google usually omits refresh_token from a refresh answer: the old one stays valid and is kept.</summary>
    public override async Task<TokenRefresh> RefreshTokenAsync(TokenSet current, CancellationToken cancellationToken)
    {
        var refreshed = await base.RefreshTokenAsync(current, cancellationToken);
        return refreshed.Tokens is { RefreshToken: null } tokens
            ? TokenRefresh.Ok(tokens with { RefreshToken = current.RefreshToken })
            : refreshed;
    }

    /// <summary><c>POST https://oauth2.googleapis.com/revoke</c> with the refresh token (which ends the whole grant), else the access token.</summary>
    public override async Task RevokeAsync(TokenSet current, CancellationToken cancellationToken)
    {
        if (Options.RevokeUrl is null)
        {
            return;
        }

        using var response = await Http.PostAsync(Options.RevokeUrl, new FormUrlEncodedContent(new Dictionary<string, string>
        {
            ["token"] = (current.RefreshToken ?? current.AccessToken).Reveal(),
        }), cancellationToken);
    }

    public override Task<PublishOutcome> PublishAsync(PublishRequest request, CancellationToken cancellationToken) => AttemptAsync(request.Limits, async marker =>
    {
        var video = YouTubeVideo.From(request.Content);
        var thumbnail = video.Thumbnail is { } image ? await FetchThumbnailAsync(image, cancellationToken) : null; // refused before anything is sent
        var file = await media.FetchAsync(video.Media, cancellationToken);
        var contentType = file.ContentType.StartsWith("video/", StringComparison.OrdinalIgnoreCase) ? file.ContentType : "video/*";
        var (session, state) = await ResumeAsync(request, file.Bytes.LongLength, cancellationToken)
                               ?? await StartAsync(request, video, file.Bytes.LongLength, contentType, cancellationToken);
        var resource = state.Video ?? await UploadAsync(request.Account, request.Limits, session, file.Bytes, contentType, state.Received, marker, cancellationToken);
        var uploaded = Finished(resource);
        if (uploaded.Succeeded && thumbnail is not null)
        {
            await SetThumbnailAsync(request.Account, request.Limits, uploaded.ExternalId!, thumbnail, cancellationToken);
        }

        return uploaded.Succeeded ? await AwaitProcessedAsync(request.Account, request.Limits, uploaded, cancellationToken) : uploaded;
    });

    /// <summary>The thumbnail's bytes through the safe fetcher; JPEG or PNG of at most 2 MB, else invalid content.</summary>
    private async Task<FetchedMedia> FetchThumbnailAsync(MediaItem image, CancellationToken cancellationToken)
    {
        var file = await media.FetchAsync(image, cancellationToken);
        if (file.ContentType is not ("image/jpeg" or "image/png") || file.Bytes.LongLength > YouTubeVideo.MaxThumbnailBytes)
        {
            throw new PlatformException(new PlatformError(ErrorCategory.InvalidContent,
                $"A YouTube thumbnail is a JPEG or PNG of at most 2 MB; {image.Url} is {file.ContentType} of {file.Bytes.LongLength:N0} bytes."));
        }

        return file;
    }

    /// <summary>
    /// <c>POST /upload/youtube/v3/thumbnails/set?videoId=…</c> with the image. The video is published by now, so a refused
    /// thumbnail does not make the publication fail (it would never be sent again); the video keeps YouTube's own.
    /// </summary>
    private async Task SetThumbnailAsync(PublishingIdentity account, RateLimitCollector limits, string videoId, FetchedMedia thumbnail, CancellationToken cancellationToken)
    {
        try
        {
            using var set = new HttpRequestMessage(HttpMethod.Post, Upload($"upload/youtube/v3/thumbnails/set?videoId={Uri.EscapeDataString(videoId)}&uploadType=media"))
            {
                Content = new ByteArrayContent(thumbnail.Bytes),
            };
            set.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(thumbnail.ContentType);
            using var response = await SendTimedAsync(set, account.AccessToken, limits, cancellationToken);
            await ReadOrThrowAsync(response, cancellationToken);
        }
        catch (Exception ex) when (ex is PlatformException || IsBrokenCall(ex))
        {
            // Best effort: see above.
        }
    }

    /// <summary>
    /// Probes the saved session: complete (200/201) → found, with the video's id; incomplete (308) → certainly not yet
    /// published, and the next attempt resumes the same session from where it stopped; expired (404/410) → not published.
    /// No session saved → no byte was ever sent → not published.
    /// </summary>
    public override async Task<ReconcileResult> FindPublicationAsync(PublishRequest request, CancellationToken cancellationToken)
    {
        if (request.Checkpoint(SessionCheckpoint) is not { } session)
        {
            return ReconcileResult.NotFound;
        }

        if (!long.TryParse(request.Checkpoint(LengthCheckpoint), out var total))
        {
            return ReconcileResult.Unknown("The upload session was saved without its size, so it cannot be probed.");
        }

        return await ReconcileAsync("The upload session", async () =>
        {
            var state = await ProbeAsync(request.Account, null, new Uri(session), total, cancellationToken);
            if (state.Video is null)
            {
                return ReconcileResult.NotFound;
            }

            var outcome = Finished(state.Video);
            if (!outcome.Succeeded)
            {
                return ReconcileResult.Unknown(outcome.Message ?? "YouTube refused the uploaded video.");
            }

            var processing = await ProcessingAsync(request.Account, null, outcome.ExternalId!, cancellationToken);
            return processing switch
            {
                { State: VideoProcessing.Processed } => ReconcileResult.Found(outcome),
                { Failure: { } failure } => ReconcileResult.Unknown(failure.Message ?? "YouTube refused the uploaded video."),
                _ => ReconcileResult.Unknown($"YouTube is still processing video {outcome.ExternalId}."),
            };
        });
    }

    public override Task<MetricsResult<PostMetrics>> ReadPostMetricsAsync(PostMetricsRequest request, CancellationToken cancellationToken) =>
        ReadMetricsAsync(() => ReadVideoMetricsAsync(request, cancellationToken));

    public override Task<MetricsResult<AccountMetrics>> ReadAccountMetricsAsync(PublishingIdentity account, CancellationToken cancellationToken) =>
        ReadMetricsAsync(() => ReadChannelMetricsAsync(account, cancellationToken));

    /// <summary>Google's error reason first (quota, limits, auth), then the shared HTTP semantics.</summary>
    protected override PlatformError Classify(HttpResponseMessage response, string body) =>
        YouTubeErrors.Classify((int)response.StatusCode, body, Time.GetUtcNow(), RateLimitedUntil(response), () => base.Classify(response, body));

    /// <summary>
    /// The uploaded video resource as an outcome: its id and <c>https://www.youtube.com/watch?v={id}</c>, unless YouTube
    /// already rejected it (a duplicate upload is <see cref="ErrorCategory.Duplicate"/>) or failed to process it.
    /// </summary>
    private PublishOutcome Finished(JsonObject video)
    {
        var id = video["id"]?.ToString() ?? throw new JsonException("YouTube's upload answer carried no video id.");
        var status = video["status"];
        return status?["uploadStatus"]?.ToString() switch
        {
            "rejected" when status["rejectionReason"]?.ToString() == "duplicate" =>
                PublishOutcome.Failure(ErrorCategory.Duplicate, $"YouTube rejected video {id} as a duplicate of an earlier upload."),
            "rejected" => PublishOutcome.Failure(ErrorCategory.InvalidContent, $"YouTube rejected video {id}: {status["rejectionReason"]}."),
            "failed" => PublishOutcome.Failure(ErrorCategory.InvalidContent, $"YouTube could not process video {id}: {status["failureReason"]}."),
            _ => PublishOutcome.Success(id, $"https://www.youtube.com/watch?v={Uri.EscapeDataString(id)}", Time.GetUtcNow()),
        };
    }

    /// <summary>
    /// The first comment: <c>POST commentThreads?part=snippet</c> with <c>snippet.videoId</c> and the text in
    /// <c>snippet.topLevelComment.snippet.textOriginal</c> (Data API "CommentThreads: insert").
    /// </summary>
    public override Task<PublishOutcome> PublishFollowUpAsync(FollowUpRequest request, CancellationToken cancellationToken) =>
        AttemptAsync(request.Limits, async irreversible =>
        {
            var body = new JsonObject
            {
                ["snippet"] = new JsonObject
                {
                    ["videoId"] = request.ParentId,
                    ["topLevelComment"] = new JsonObject { ["snippet"] = new JsonObject { ["textOriginal"] = request.Part.Text } },
                },
            };
            using var message = new HttpRequestMessage(HttpMethod.Post, Api("commentThreads?part=snippet"))
            {
                Content = new StringContent(body.ToJsonString(), System.Text.Encoding.UTF8, "application/json"),
            };
            irreversible.Reach();
            using var response = await SendAsync(message, request.Account, request.Limits, cancellationToken);
            JsonNode? created;
            try
            {
                created = await ReadOrThrowAsync(response, cancellationToken);
            }
            catch (PlatformException ex) when (ex.Error is { Category: ErrorCategory.Transient, HttpStatus: >= 500 and not 503 })
            {
                throw new PlatformException(ex.Error with { Category = ErrorCategory.UnknownOutcome });
            }

            var id = created?["id"]?.ToString();
            return string.IsNullOrEmpty(id)
                ? PublishOutcome.Failure(ErrorCategory.UnknownOutcome, "YouTube accepted the comment but its answer carried no id.")
                : PublishOutcome.Success(id, $"https://www.youtube.com/watch?v={Uri.EscapeDataString(request.ParentId)}&lc={Uri.EscapeDataString(id)}", Time.GetUtcNow());
        });

    /// <summary>A comment in doubt: the video's comment threads (<c>commentThreads?videoId=…</c>) with the same text.</summary>
    public override Task<ReconcileResult> FindFollowUpAsync(FollowUpRequest request, CancellationToken cancellationToken) =>
        ReconcileAsync("YouTube's comment threads", async () =>
        {
            var json = await GetAsync(
                Api($"commentThreads?part=snippet&videoId={Uri.EscapeDataString(request.ParentId)}&maxResults=100&order=time&textFormat=plainText"),
                request.Account.AccessToken, cancellationToken);
            foreach (var thread in json["items"] as JsonArray ?? [])
            {
                var snippet = thread?["snippet"]?["topLevelComment"]?["snippet"];
                if ((snippet?["textOriginal"] ?? snippet?["textDisplay"])?.ToString() == request.Part.Text && thread!["id"]?.ToString() is { Length: > 0 } id)
                {
                    return ReconcileResult.Found(PublishOutcome.Success(id, null, Time.GetUtcNow()));
                }
            }

            return json["nextPageToken"] is null
                ? ReconcileResult.NotFound
                : ReconcileResult.Unknown("The video has more than 100 comment threads; the first comment was not among the newest 100.");
        });

    /// <summary>A GET of the Data API with a bearer token, classified on failure.</summary>
    private Task<JsonObject> GetAsync(Uri url, Secret? token, CancellationToken cancellationToken) => GetAsync(url, token, null, cancellationToken);

    /// <summary>A GET of the Data API during a publish, its limits recorded into <paramref name="limits"/>.</summary>
    private async Task<JsonObject> GetAsync(Uri url, Secret? token, RateLimitCollector? limits, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        using var response = await SendTimedAsync(request, token, limits, cancellationToken);
        return await ReadOrThrowAsync(response, cancellationToken) as JsonObject ?? throw new JsonException("YouTube answered with no JSON object.");
    }

    /// <summary>Joins a relative path onto a configured base, whether or not the base ends in '/'.</summary>
    private static Uri Join(Uri baseUrl, string relative) =>
        new(baseUrl.AbsoluteUri.EndsWith('/') ? baseUrl : new Uri(baseUrl.AbsoluteUri + "/"), relative.TrimStart('/'));

    private new Uri Api(string relative) => Join(Options.ApiBaseUrl!, relative);

    private Uri Upload(string relative) => Join(Options.UploadBaseUrl ?? new Uri(Options.ApiBaseUrl!, "/"), relative);

    private static bool Is(HttpResponseMessage response, params HttpStatusCode[] statuses) => statuses.Contains(response.StatusCode);
}
