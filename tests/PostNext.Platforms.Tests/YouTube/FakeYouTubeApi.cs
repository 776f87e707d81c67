using System.Collections.Concurrent;
using System.Globalization;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PostNext.Abstractions.Accounts;
using PostNext.Platforms.Common;
using PostNext.Platforms.Tests.Common;
using PostNext.Platforms.YouTube;
using PostNext.Testing;

namespace PostNext.Platforms.Tests.YouTube;

/// <summary>
/// Google OAuth and the YouTube Data API v3 as documented, on loopback: the consent redirect, the token endpoint
/// (authorization code with a PKCE S256 check, refresh answers without a refresh_token), revoke, channels.list and
/// videos.list, and the resumable upload — a session opened with X-Upload-Content-* headers, chunks in 256 KiB multiples
/// checked against Content-Range, 308 Resume Incomplete with Range, probes with <c>bytes */{size}</c>, the video created
/// only by the last byte. Every call checks the bearer token; errors use Google's <c>{"error":{"errors":[{"reason"}]}}</c>.
/// </summary>
public sealed class FakeYouTubeApi : IAsyncDisposable
{
    public const int Granularity = 256 * 1024;

    private readonly ConcurrentDictionary<string, (string Redirect, string? Challenge)> _codes = new();
    private int _serial;

    private FakeYouTubeApi()
    {
    }

    public FakePlatformServer Server { get; private set; } = null!;

    public string ChannelId { get; } = "UCx5XG1OV2P6uZZ5FSM9Ttw";
    public string ChannelTitle { get; } = "PostNext Channel";
    public string CustomUrl { get; } = "@postnextchannel";

    public string AccessToken { get; private set; } = "ya29.initial";
    public string? RefreshToken { get; private set; } = "1//refresh-initial";
    public bool AccessTokenExpired { get; set; }

    /// <summary>Google usually sends no refresh_token on refresh; when set, it sends a new one (and the old stops working).</summary>
    public bool RotateRefreshTokens { get; set; }

    /// <summary>The next upload keeps only this many bytes of its first chunk (answering 308 with the shorter Range).</summary>
    public int? KeepOfNextChunk { get; set; }

    /// <summary>The next last chunk completes the upload, then its answer is lost.</summary>
    public bool LoseLastChunkAnswer { get; set; }

    /// <summary>The next last chunk hangs before anything is stored.</summary>
    public bool HangLastChunk { get; set; }

    /// <summary>The next last chunk fails with 503 before anything is stored.</summary>
    public bool FailLastChunk { get; set; }

    /// <summary>The status uploads finish with, e.g. a rejected duplicate or a failed (unprocessable) file; "uploaded" when null.</summary>
    public JsonObject? FinalStatus { get; set; }

    /// <summary>How many status reads a new video stays "processing" (status uploaded, processingStatus processing) for.</summary>
    public int ProcessingReads { get; set; }

    /// <summary>
    /// What processing ends in: null for a processed video; otherwise the status YouTube then reports, e.g.
    /// <c>{"uploadStatus":"failed","failureReason":"codec"}</c> or <c>{"uploadStatus":"rejected","rejectionReason":"length"}</c>.
    /// </summary>
    public JsonObject? ProcessingFailure { get; set; }

    private readonly ConcurrentDictionary<string, int> _statusReads = new();

    /// <summary>Called when a request starts hanging (a test cancels its call there: the answer is lost).</summary>
    public Action? OnHang { get; set; }

    public ConcurrentDictionary<string, Session> Sessions { get; } = new();
    public ConcurrentDictionary<string, JsonObject> Videos { get; } = new();

    /// <summary>Custom thumbnails set by thumbnails.set, by video id: the image's type and bytes.</summary>
    public ConcurrentDictionary<string, (string ContentType, byte[] Bytes)> Thumbnails { get; } = new();

    public static async Task<FakeYouTubeApi> StartAsync()
    {
        var fake = new FakeYouTubeApi();
        fake.Server = await FakePlatformServer.StartAsync(fake.Map);
        return fake;
    }

    public YouTubeConnector Connector(TimeProvider? time = null, Dictionary<string, string?>? settings = null) =>
        ConnectorHarness.Create<YouTubeConnector>(PlatformIds.YouTube, YouTubeConnector.Defaults, Server,
            (services, configuration) =>
            {
                // The silo's registration; added here only while AddPostNextPlatforms does not register it yet.
                if (!services.Any(d => d.ServiceType == typeof(IPlatformConnector) && d.ImplementationType == typeof(YouTubeConnector)))
                {
                    services.AddConnector<YouTubeConnector>(configuration, PlatformIds.YouTube, YouTubeConnector.Defaults);
                }
            },
            time, settings?.ToDictionary(s => $"PostNext:Platforms:youtube:{s.Key}", s => s.Value));

    public PublishingIdentity Identity() => ConnectorHarness.Identity(PlatformIds.YouTube, ChannelId, "postnextchannel", AccessToken);

    public string AddMedia(string name, byte[] bytes, string type) => Server.ServeFile("media/" + name, bytes, type).AbsoluteUri;

    public IReadOnlyList<RecordedRequest> Calls(string method, string path) =>
        [.. Server.Requests.Where(r => r.Method == method && r.Path == path)];

    public static string ErrorJson(int code, string reason, string message) => new JsonObject
    {
        ["error"] = new JsonObject
        {
            ["code"] = code,
            ["message"] = message,
            ["errors"] = new JsonArray(new JsonObject { ["message"] = message, ["domain"] = "youtube.api", ["reason"] = reason }),
        },
    }.ToJsonString();

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/o/oauth2/v2/auth", AuthorizeAsync);
        app.MapPost("/token", TokenAsync);
        app.MapPost("/revoke", RevokeAsync);
        app.MapGet("/youtube/v3/channels", ChannelsAsync);
        app.MapGet("/youtube/v3/videos", VideosAsync);
        app.MapPost("/upload/youtube/v3/videos", OpenSessionAsync);
        app.MapPut("/upload/youtube/v3/videos", PutAsync);
        app.MapPost("/upload/youtube/v3/thumbnails/set", SetThumbnailAsync);
        app.MapPost("/youtube/v3/commentThreads", InsertCommentThreadAsync);
        app.MapGet("/youtube/v3/commentThreads", ListCommentThreadsAsync);
    }

    /// <summary>Top-level comments made with commentThreads.insert: (thread id, video id, text).</summary>
    public ConcurrentQueue<(string Id, string VideoId, string Text)> CommentThreads { get; } = new();

    /// <summary>When set, the next commentThreads.insert is refused with this status, reason and message, and nothing is created.</summary>
    public (int Status, string Reason, string Message)? RefuseNextComment { get; set; }

    /// <summary>commentThreads.insert (part=snippet): snippet.videoId of an existing video and snippet.topLevelComment.snippet.textOriginal.</summary>
    private async Task InsertCommentThreadAsync(HttpContext context)
    {
        if (!await AuthorizedAsync(context))
        {
            return;
        }

        var body = await JsonNode.ParseAsync(context.Request.Body) as JsonObject ?? [];
        var videoId = body["snippet"]?["videoId"]?.ToString();
        var text = body["snippet"]?["topLevelComment"]?["snippet"]?["textOriginal"]?.ToString();
        if (context.Request.Query["part"] != "snippet" || string.IsNullOrEmpty(text))
        {
            await Error(context, 400, "invalidCommentMetadata", "The request metadata is invalid.");
            return;
        }

        if (videoId is null || !Videos.ContainsKey(videoId))
        {
            await Error(context, 404, "videoNotFound", "The video identified by the videoId parameter could not be found.");
            return;
        }

        if (RefuseNextComment is { } refusal)
        {
            RefuseNextComment = null;
            await Error(context, refusal.Status, refusal.Reason, refusal.Message);
            return;
        }

        var id = "Ugz" + Guid.NewGuid().ToString("N")[..16];
        CommentThreads.Enqueue((id, videoId, text));
        await context.Response.WriteAsJsonAsync(Thread(id, videoId, text));
    }

    private async Task ListCommentThreadsAsync(HttpContext context)
    {
        if (!await AuthorizedAsync(context))
        {
            return;
        }

        var videoId = context.Request.Query["videoId"].ToString();
        await context.Response.WriteAsJsonAsync(new JsonObject
        {
            ["kind"] = "youtube#commentThreadListResponse",
            ["items"] = new JsonArray([.. CommentThreads.Where(t => t.VideoId == videoId).Reverse().Select(t => Thread(t.Id, t.VideoId, t.Text))]),
        });
    }

    private static JsonObject Thread(string id, string videoId, string text) => new()
    {
        ["kind"] = "youtube#commentThread",
        ["id"] = id,
        ["snippet"] = new JsonObject
        {
            ["videoId"] = videoId,
            ["topLevelComment"] = new JsonObject
            {
                ["kind"] = "youtube#comment", ["id"] = id,
                ["snippet"] = new JsonObject { ["videoId"] = videoId, ["textDisplay"] = text, ["textOriginal"] = text },
            },
        },
    };

    /// <summary>thumbnails.set: a JPEG or PNG of at most 2 MB for a video of this channel.</summary>
    private async Task SetThumbnailAsync(HttpContext context)
    {
        if (!await AuthorizedAsync(context))
        {
            return;
        }

        var videoId = context.Request.Query["videoId"].ToString();
        var type = context.Request.ContentType ?? "";
        using var body = new MemoryStream();
        await context.Request.Body.CopyToAsync(body);
        if (!Videos.ContainsKey(videoId))
        {
            await Error(context, 404, "videoNotFound", "The video that you are trying to update cannot be found.");
            return;
        }

        if (type is not ("image/jpeg" or "image/png") || body.Length is 0 or > 2 * 1024 * 1024)
        {
            await Error(context, 400, "invalidImage", "The provided image content is invalid.");
            return;
        }

        Thumbnails[videoId] = (type, body.ToArray());
        await context.Response.WriteAsJsonAsync(new JsonObject { ["kind"] = "youtube#thumbnailSetResponse", ["items"] = new JsonArray(new JsonObject { ["default"] = new JsonObject { ["url"] = $"https://i.ytimg.com/vi/{videoId}/default.jpg" } }) });
    }

    // ---- Google OAuth ----

    private Task AuthorizeAsync(HttpContext context)
    {
        var q = context.Request.Query;
        if (q["client_id"] != ConnectorHarness.ClientId || q["response_type"] != "code" || q["access_type"] != "offline" ||
            string.IsNullOrEmpty(q["scope"]) || string.IsNullOrEmpty(q["redirect_uri"]) ||
            (q.ContainsKey("code_challenge") && q["code_challenge_method"] != "S256"))
        {
            context.Response.StatusCode = 400;
            return Task.CompletedTask;
        }

        var code = "4/code-" + Interlocked.Increment(ref _serial);
        _codes[code] = (q["redirect_uri"]!, q.ContainsKey("code_challenge") ? q["code_challenge"].ToString() : null);
        context.Response.Redirect($"{q["redirect_uri"]}?state={Uri.EscapeDataString(q["state"]!)}&code={Uri.EscapeDataString(code)}&scope={Uri.EscapeDataString(q["scope"]!)}");
        return Task.CompletedTask;
    }

    private async Task TokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        if (form["client_id"] != ConnectorHarness.ClientId || form["client_secret"] != ConnectorHarness.ClientSecret)
        {
            await OAuthError(context, 401, "invalid_client", "The OAuth client was not found.");
            return;
        }

        var grant = form["grant_type"].ToString();
        var valid = grant switch
        {
            "authorization_code" => _codes.TryRemove(form["code"].ToString(), out var issued) && issued.Redirect == form["redirect_uri"] &&
                                    (issued.Challenge is null || Pkce.ChallengeS256(form["code_verifier"].ToString()) == issued.Challenge),
            "refresh_token" => RefreshToken is not null && form["refresh_token"] == RefreshToken,
            _ => false,
        };
        if (!valid)
        {
            await OAuthError(context, 400, "invalid_grant", grant == "refresh_token" ? "Token has been expired or revoked." : "Bad Request");
            return;
        }

        var n = Interlocked.Increment(ref _serial);
        AccessToken = $"ya29.{n}";
        AccessTokenExpired = false;
        var answer = new JsonObject
        {
            ["access_token"] = AccessToken,
            ["expires_in"] = 3599,
            ["scope"] = "https://www.googleapis.com/auth/youtube.upload https://www.googleapis.com/auth/youtube.readonly",
            ["token_type"] = "Bearer",
        };
        if (grant == "authorization_code" || RotateRefreshTokens)
        {
            RefreshToken = $"1//refresh-{n}";
            answer["refresh_token"] = RefreshToken;
        }

        await context.Response.WriteAsJsonAsync(answer);
    }

    private async Task RevokeAsync(HttpContext context)
    {
        var token = (await context.Request.ReadFormAsync())["token"].ToString();
        if (token != AccessToken && token != RefreshToken)
        {
            await OAuthError(context, 400, "invalid_token", "Token expired or revoked");
            return;
        }

        // Revoking either token ends the grant: the refresh token and its access tokens.
        RefreshToken = null;
        AccessToken = "ya29.revoked-" + Interlocked.Increment(ref _serial);
        context.Response.StatusCode = 200;
    }

    private static async Task OAuthError(HttpContext context, int status, string error, string description)
    {
        context.Response.StatusCode = status;
        await context.Response.WriteAsJsonAsync(new JsonObject { ["error"] = error, ["error_description"] = description });
    }

    // ---- Data API reads ----

    private async Task ChannelsAsync(HttpContext context)
    {
        if (!await AuthorizedAsync(context))
        {
            return;
        }

        var parts = context.Request.Query["part"].ToString().Split(',');
        if (context.Request.Query["mine"] != "true" || parts.Any(p => p is not ("snippet" or "statistics" or "id")))
        {
            await Error(context, 400, "invalidParameter", "part and mine=true are required.");
            return;
        }

        var channel = new JsonObject { ["kind"] = "youtube#channel", ["id"] = ChannelId };
        if (parts.Contains("snippet"))
        {
            channel["snippet"] = new JsonObject { ["title"] = ChannelTitle, ["customUrl"] = CustomUrl, ["description"] = "" };
        }

        if (parts.Contains("statistics"))
        {
            channel["statistics"] = new JsonObject { ["viewCount"] = "98765", ["subscriberCount"] = "5400", ["hiddenSubscriberCount"] = false, ["videoCount"] = "12" };
        }

        await context.Response.WriteAsJsonAsync(new JsonObject { ["kind"] = "youtube#channelListResponse", ["items"] = new JsonArray(channel) });
    }

    private async Task VideosAsync(HttpContext context)
    {
        if (!await AuthorizedAsync(context))
        {
            return;
        }

        var parts = context.Request.Query["part"].ToString().Split(',');
        var items = new JsonArray();
        foreach (var id in context.Request.Query["id"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            if (Videos.TryGetValue(id, out var video))
            {
                if (parts.Contains("status") || parts.Contains("processingDetails"))
                {
                    Process(video, _statusReads.AddOrUpdate(id, 1, (_, n) => n + 1));
                }

                items.Add(new JsonObject([.. parts.Where(video.ContainsKey).Select(p => KeyValuePair.Create<string, JsonNode?>(p, video[p]!.DeepClone())), KeyValuePair.Create<string, JsonNode?>("id", id)]));
            }
        }

        await context.Response.WriteAsJsonAsync(new JsonObject { ["kind"] = "youtube#videoListResponse", ["items"] = items });
    }

    // ---- resumable upload ----

    private async Task OpenSessionAsync(HttpContext context)
    {
        if (!await AuthorizedAsync(context))
        {
            return;
        }

        var q = context.Request.Query;
        var parts = q["part"].ToString().Split(',');
        var length = context.Request.Headers["X-Upload-Content-Length"].ToString();
        var type = context.Request.Headers["X-Upload-Content-Type"].ToString();
        if (q["uploadType"] != "resumable" || !parts.Contains("snippet") || !parts.Contains("status") ||
            !long.TryParse(length, CultureInfo.InvariantCulture, out var total) || total <= 0 || !type.StartsWith("video/", StringComparison.Ordinal) ||
            context.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) != true)
        {
            await Error(context, 400, "badRequest", "uploadType=resumable, part=snippet,status, X-Upload-Content-Length/Type and a JSON body are required.");
            return;
        }

        var body = await JsonNode.ParseAsync(context.Request.Body) as JsonObject;
        var title = body?["snippet"]?["title"]?.ToString() ?? "";
        var description = body?["snippet"]?["description"]?.ToString() ?? "";
        if (title.Length == 0 || title.EnumerateRunes().Count() > 100 || title.IndexOfAny(['<', '>']) >= 0)
        {
            await Error(context, 400, "invalidTitle", "The request metadata specifies an invalid or empty video title.");
            return;
        }

        if (Encoding.UTF8.GetByteCount(description) > 5000 || description.IndexOfAny(['<', '>']) >= 0)
        {
            await Error(context, 400, "invalidDescription", "The request metadata specifies an invalid video description.");
            return;
        }

        if (body?["status"]?["privacyStatus"]?.ToString() is not ("public" or "private" or "unlisted"))
        {
            await Error(context, 400, "invalidVideoMetadata", "status.privacyStatus must be public, private or unlisted.");
            return;
        }

        var uploadId = "AEnB2U" + Interlocked.Increment(ref _serial);
        Sessions[uploadId] = new Session(uploadId, total, type, body!);
        context.Response.Headers.Location = Server.Url($"upload/youtube/v3/videos?uploadType=resumable&upload_id={uploadId}").AbsoluteUri;
        context.Response.StatusCode = 200;
    }

    private async Task PutAsync(HttpContext context)
    {
        if (!await AuthorizedAsync(context))
        {
            return;
        }

        if (!Sessions.TryGetValue(context.Request.Query["upload_id"].ToString(), out var session) || session.Expired)
        {
            await Error(context, 404, "notFound", "The upload session was not found or has expired.");
            return;
        }

        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var bytes = buffer.ToArray();
        var range = context.Request.Headers.ContentRange.ToString();
        if (range == $"bytes */{session.Total}" && bytes.Length == 0)
        {
            await AnswerStateAsync(context, session, 200);
            return;
        }

        var parts = range.StartsWith("bytes ", StringComparison.Ordinal) ? range[6..].Split('-', '/') : [];
        if (parts.Length != 3 || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out var first) ||
            !long.TryParse(parts[1], CultureInfo.InvariantCulture, out var last) || !long.TryParse(parts[2], CultureInfo.InvariantCulture, out var total))
        {
            await Error(context, 400, "badContent", $"Content-Range '{range}' is not bytes first-last/total or bytes */total.");
            return;
        }

        var isLast = last == session.Total - 1;
        if (session.VideoId is not null || total != session.Total || first != session.Received.Length || last - first + 1 != bytes.Length ||
            (!isLast && bytes.Length % Granularity != 0))
        {
            await Error(context, 400, "badContent", $"Chunk {range} ({bytes.Length} bytes) does not continue the upload at {session.Received.Length}.");
            return;
        }

        if (isLast && HangLastChunk)
        {
            HangLastChunk = false;
            await HangAsync(context);
            return;
        }

        if (isLast && FailLastChunk)
        {
            FailLastChunk = false;
            await Error(context, 503, "backendError", "Backend Error");
            return;
        }

        if (!isLast && KeepOfNextChunk is { } keep)
        {
            KeepOfNextChunk = null;
            bytes = bytes[..keep];
        }

        session.Received = [.. session.Received, .. bytes];
        if (session.Received.Length == session.Total)
        {
            Finish(session);
            if (LoseLastChunkAnswer)
            {
                LoseLastChunkAnswer = false;
                await HangAsync(context);
                return;
            }
        }

        await AnswerStateAsync(context, session, 201);
    }

    /// <summary>The last byte makes the video; before it, nothing exists.</summary>
    private void Finish(Session session)
    {
        var id = "vid" + Interlocked.Increment(ref _serial).ToString("D8", CultureInfo.InvariantCulture);
        session.VideoId = id;
        Videos[id] = new JsonObject
        {
            ["kind"] = "youtube#video",
            ["id"] = id,
            ["snippet"] = session.Metadata["snippet"]!.DeepClone(),
            ["status"] = FinalStatus?.DeepClone() ?? new JsonObject { ["uploadStatus"] = "uploaded", ["privacyStatus"] = session.Metadata["status"]!["privacyStatus"]!.DeepClone() },
            ["statistics"] = new JsonObject { ["viewCount"] = "321", ["likeCount"] = "25", ["favoriteCount"] = "0", ["commentCount"] = "4" },
        };
    }

    /// <summary>
    /// An uploaded video stays "processing" for <see cref="ProcessingReads"/> status reads, then ends processed or as
    /// <see cref="ProcessingFailure"/> says (videos resource: status.uploadStatus, processingDetails.processingStatus).
    /// </summary>
    private void Process(JsonObject video, int reads)
    {
        var status = (JsonObject)video["status"]!;
        if (status["uploadStatus"]?.ToString() != "uploaded")
        {
            video["processingDetails"] ??= new JsonObject { ["processingStatus"] = status["uploadStatus"]?.ToString() == "processed" ? "succeeded" : "failed" };
            return;
        }

        if (reads <= ProcessingReads)
        {
            video["processingDetails"] = new JsonObject { ["processingStatus"] = "processing", ["processingProgress"] = new JsonObject { ["partsTotal"] = 10, ["partsProcessed"] = reads } };
            return;
        }

        if (ProcessingFailure is null)
        {
            status["uploadStatus"] = "processed";
            video["processingDetails"] = new JsonObject { ["processingStatus"] = "succeeded" };
            return;
        }

        foreach (var (name, value) in ProcessingFailure)
        {
            status[name] = value?.DeepClone();
        }

        video["processingDetails"] = new JsonObject
        {
            ["processingStatus"] = "failed",
            ["processingFailureReason"] = ProcessingFailure["failureReason"]?.DeepClone() ?? "other",
        };
    }

    private async Task AnswerStateAsync(HttpContext context, Session session, int finishedStatus)
    {
        if (session.VideoId is { } id)
        {
            context.Response.StatusCode = finishedStatus;
            var video = Videos[id];
            await context.Response.WriteAsJsonAsync(new JsonObject { ["kind"] = "youtube#video", ["id"] = id, ["snippet"] = video["snippet"]!.DeepClone(), ["status"] = video["status"]!.DeepClone() });
            return;
        }

        context.Response.StatusCode = 308; // Resume Incomplete
        if (session.Received.Length > 0)
        {
            context.Response.Headers["Range"] = $"bytes=0-{session.Received.Length - 1}";
        }
    }

    // ---- helpers ----

    private async Task<bool> AuthorizedAsync(HttpContext context)
    {
        if (context.Request.Headers.Authorization == $"Bearer {AccessToken}" && !AccessTokenExpired)
        {
            return true;
        }

        context.Response.Headers.WWWAuthenticate = "Bearer realm=\"https://accounts.google.com/\", error=\"invalid_token\"";
        await Error(context, 401, "authError", "Request had invalid authentication credentials. Expected OAuth 2 access token.");
        return false;
    }

    private static async Task Error(HttpContext context, int status, string reason, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json; charset=UTF-8";
        await context.Response.WriteAsync(ErrorJson(status, reason, message));
    }

    private async Task HangAsync(HttpContext context)
    {
        OnHang?.Invoke();
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client gave up: its answer is lost.
        }
    }

    /// <summary>One resumable upload session.</summary>
    public sealed class Session(string id, long total, string contentType, JsonObject metadata)
    {
        public string Id { get; } = id;
        public long Total { get; } = total;
        public string ContentType { get; } = contentType;
        public JsonObject Metadata { get; } = metadata;
        public byte[] Received { get; set; } = [];
        public string? VideoId { get; set; }
        public bool Expired { get; set; }
    }
}
