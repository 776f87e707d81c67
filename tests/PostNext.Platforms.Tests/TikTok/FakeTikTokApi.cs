using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PostNext.Abstractions.Accounts;
using PostNext.Platforms.Tests.Common;
using PostNext.Platforms.TikTok;
using PostNext.Testing;

namespace PostNext.Platforms.Tests.TikTok;

/// <summary>
/// TikTok as its documentation describes it, on loopback: Login Kit v2 (authorize redirect, form token endpoint with
/// client_key, rotating refresh tokens, revoke), the Content Posting API (creator info, video and photo init, chunked
/// upload with Content-Range checks, status fetch with processing and moderation) and the Display API (user info, video
/// query). Every API call checks the bearer token; every answer uses the <c>{"data","error":{"code","message","log_id"}}</c> envelope.
/// </summary>
public sealed class FakeTikTokApi : IAsyncDisposable
{
    public const long MinChunk = 5L * 1024 * 1024;
    public const long MaxChunk = 64L * 1024 * 1024;

    private readonly ConcurrentDictionary<string, string> _codes = new();
    private int _serial;

    private FakeTikTokApi()
    {
    }

    public FakePlatformServer Server { get; private set; } = null!;

    public string OpenId { get; } = "-000OpenIdOfTheCreator";
    public string Username { get; } = "creator.one";
    public string DisplayName { get; } = "Creator One";

    public string AccessToken { get; private set; } = "act.initial";
    public string? RefreshToken { get; private set; } = "rft.initial";
    public bool AccessTokenExpired { get; set; }
    public bool Revoked { get; private set; }

    /// <summary>What creator_info offers.</summary>
    public List<string> PrivacyOptions { get; set; } = ["PUBLIC_TO_EVERYONE", "MUTUAL_FOLLOW_FRIENDS", "SELF_ONLY"];
    public bool CommentDisabled { get; set; }
    public bool StitchDisabled { get; set; } = true;

    /// <summary>How many status fetches a complete upload/download answers "processing" before TikTok publishes it.</summary>
    public int ProcessingPolls { get; set; } = 1;

    /// <summary>When set, a processed post ends FAILED with this fail_reason.</summary>
    public string? FailReason { get; set; }

    /// <summary>The next init creates the post request, then never answers (the answer is lost).</summary>
    public bool LoseInitAnswer { get; set; }

    /// <summary>The next last chunk is stored (the upload completes), then never answered.</summary>
    public bool LoseLastChunkAnswer { get; set; }

    /// <summary>Called when a request starts hanging (a test cancels its call there: the answer is lost).</summary>
    public Action? OnHang { get; set; }

    public ConcurrentDictionary<string, Publish> Publishes { get; } = new();
    public ConcurrentDictionary<string, JsonObject> Videos { get; } = new();

    /// <summary>URLs under this prefix are "verified" for PULL_FROM_URL.</summary>
    public string VerifiedPrefix => Server.Url("media/").AbsoluteUri;

    public static async Task<FakeTikTokApi> StartAsync()
    {
        var fake = new FakeTikTokApi();
        fake.Server = await FakePlatformServer.StartAsync(fake.Map);
        return fake;
    }

    public TikTokConnector Connector(TimeProvider? time = null, Dictionary<string, string?>? settings = null) =>
        ConnectorHarness.Create<TikTokConnector>(PlatformIds.TikTok, TikTokConnector.Defaults, Server,
            (services, configuration) =>
            {
                // The silo's registration; added here only while AddPostNextPlatforms does not register it yet.
                if (!services.Any(d => d.ServiceType == typeof(IPlatformConnector) && d.ImplementationType == typeof(TikTokConnector)))
                {
                    services.AddConnector<TikTokConnector>(configuration, PlatformIds.TikTok, TikTokConnector.Defaults);
                }
            },
            time, settings?.ToDictionary(s => $"PostNext:Platforms:tiktok:{s.Key}", s => s.Value));

    public PublishingIdentity Identity() => ConnectorHarness.Identity(PlatformIds.TikTok, OpenId, Username, AccessToken);

    public string AddMedia(string name, byte[] bytes, string type) => Server.ServeFile("media/" + name, bytes, type).AbsoluteUri;

    public IReadOnlyList<RecordedRequest> Calls(string method, string path) =>
        [.. Server.Requests.Where(r => r.Method == method && r.Path == path)];

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private void Map(IEndpointRouteBuilder app)
    {
        app.MapGet("/v2/auth/authorize/", AuthorizeAsync);
        app.MapPost("/v2/oauth/token/", TokenAsync);
        app.MapPost("/v2/oauth/revoke/", RevokeAsync);
        app.MapGet("/v2/user/info/", UserInfoAsync);
        app.MapPost("/v2/post/publish/creator_info/query/", CreatorInfoAsync);
        app.MapPost("/v2/post/publish/video/init/", VideoInitAsync);
        app.MapPost("/v2/post/publish/content/init/", ContentInitAsync);
        app.MapPut("/upload/", UploadAsync);
        app.MapPost("/v2/post/publish/status/fetch/", StatusAsync);
        app.MapPost("/v2/video/query/", VideoQueryAsync);
    }

    // ---- OAuth (Login Kit v2) ----

    private Task AuthorizeAsync(HttpContext context)
    {
        var q = context.Request.Query;
        if (q["client_key"] != ConnectorHarness.ClientId || q["response_type"] != "code" || string.IsNullOrEmpty(q["scope"]) || string.IsNullOrEmpty(q["redirect_uri"]))
        {
            context.Response.StatusCode = 400;
            return Task.CompletedTask;
        }

        var code = "code-" + Interlocked.Increment(ref _serial);
        _codes[code] = q["redirect_uri"]!;
        context.Response.Redirect($"{q["redirect_uri"]}?code={code}&scopes={Uri.EscapeDataString(q["scope"]!)}&state={Uri.EscapeDataString(q["state"]!)}");
        return Task.CompletedTask;
    }

    private async Task TokenAsync(HttpContext context)
    {
        if (!context.Request.HasFormContentType)
        {
            await OAuthError(context, "invalid_request", "Content-Type must be application/x-www-form-urlencoded.");
            return;
        }

        var form = await context.Request.ReadFormAsync();
        if (form["client_key"] != ConnectorHarness.ClientId || form["client_secret"] != ConnectorHarness.ClientSecret)
        {
            await OAuthError(context, "invalid_client", "Client key or secret is incorrect.");
            return;
        }

        switch (form["grant_type"].ToString())
        {
            case "authorization_code" when _codes.TryRemove(form["code"].ToString(), out var redirect) && redirect == form["redirect_uri"]:
            case "refresh_token" when RefreshToken is not null && form["refresh_token"] == RefreshToken:
                // TikTok rotates: a refresh (or a new grant) issues a new refresh token and the old one stops working.
                var n = Interlocked.Increment(ref _serial);
                AccessToken = $"act.{n}";
                RefreshToken = $"rft.{n}";
                AccessTokenExpired = false;
                Revoked = false;
                await context.Response.WriteAsJsonAsync(new JsonObject
                {
                    ["access_token"] = AccessToken,
                    ["expires_in"] = 7200,
                    ["open_id"] = OpenId,
                    ["refresh_expires_in"] = 15552000,
                    ["refresh_token"] = RefreshToken,
                    ["scope"] = "user.info.basic,user.info.profile,user.info.stats,video.list,video.publish",
                    ["token_type"] = "Bearer",
                });
                return;

            default:
                await OAuthError(context, "invalid_grant", "Authorization code or refresh token is expired or invalid.");
                return;
        }
    }

    private async Task RevokeAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        if (form["client_key"] != ConnectorHarness.ClientId || form["client_secret"] != ConnectorHarness.ClientSecret || form["token"] != AccessToken)
        {
            await OAuthError(context, "invalid_request", "Unknown token or client.");
            return;
        }

        Revoked = true;
        RefreshToken = null;
        await context.Response.WriteAsync("{}");
    }

    private static async Task OAuthError(HttpContext context, string error, string description)
    {
        context.Response.StatusCode = 400;
        await context.Response.WriteAsJsonAsync(new JsonObject { ["error"] = error, ["error_description"] = description, ["log_id"] = "log-oauth" });
    }

    // ---- Display API ----

    private async Task UserInfoAsync(HttpContext context)
    {
        if (!await AuthorizedAsync(context))
        {
            return;
        }

        var user = new JsonObject
        {
            ["open_id"] = OpenId, ["union_id"] = "union-1", ["avatar_url"] = "https://p16.tiktokcdn.com/a.jpeg",
            ["display_name"] = DisplayName, ["username"] = Username,
            ["follower_count"] = 1234, ["following_count"] = 56, ["likes_count"] = 7890, ["video_count"] = 42,
        };
        var fields = context.Request.Query["fields"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length == 0 || fields.Any(f => !user.ContainsKey(f)))
        {
            await Error(context, 400, "invalid_params", "fields is required and must name user fields.");
            return;
        }

        await Ok(context, new JsonObject { ["user"] = new JsonObject([.. fields.Select(f => KeyValuePair.Create<string, JsonNode?>(f, user[f]!.DeepClone()))]) });
    }

    private async Task VideoQueryAsync(HttpContext context)
    {
        if (!await AuthorizedAsync(context) || await JsonBodyAsync(context) is not { } body)
        {
            return;
        }

        var fields = context.Request.Query["fields"].ToString().Split(',', StringSplitOptions.RemoveEmptyEntries);
        var ids = body["filters"]?["video_ids"] as JsonArray;
        if (fields.Length == 0 || ids is null || ids.Count is 0 or > 20)
        {
            await Error(context, 400, "invalid_params", "fields and filters.video_ids (1–20) are required.");
            return;
        }

        var videos = new JsonArray();
        foreach (var id in ids.Select(i => i!.ToString()))
        {
            if (Videos.TryGetValue(id, out var video))
            {
                videos.Add(new JsonObject([.. fields.Where(video.ContainsKey).Select(f => KeyValuePair.Create<string, JsonNode?>(f, video[f]!.DeepClone()))]));
            }
        }

        await Ok(context, new JsonObject { ["videos"] = videos, ["cursor"] = 0, ["has_more"] = false });
    }

    // ---- Content Posting API ----

    private async Task CreatorInfoAsync(HttpContext context)
    {
        if (!await AuthorizedAsync(context) || !await JsonContentTypeAsync(context))
        {
            return;
        }

        await Ok(context, new JsonObject
        {
            ["creator_avatar_url"] = "https://p16.tiktokcdn.com/a.jpeg",
            ["creator_username"] = Username,
            ["creator_nickname"] = DisplayName,
            ["privacy_level_options"] = new JsonArray([.. PrivacyOptions.Select(o => (JsonNode)o)]),
            ["comment_disabled"] = CommentDisabled,
            ["duet_disabled"] = false,
            ["stitch_disabled"] = StitchDisabled,
            ["max_video_post_duration_sec"] = 600,
        });
    }

    private async Task VideoInitAsync(HttpContext context)
    {
        if (!await AuthorizedAsync(context) || await JsonBodyAsync(context) is not { } body || await PostInfoProblemAsync(context, body["post_info"], 2200, "title"))
        {
            return;
        }

        var source = body["source_info"];
        var n = Interlocked.Increment(ref _serial);
        Publish publish;
        switch (source?["source"]?.ToString())
        {
            case "FILE_UPLOAD":
                var size = source["video_size"]?.GetValue<long>() ?? 0;
                var chunk = source["chunk_size"]?.GetValue<long>() ?? 0;
                var count = source["total_chunk_count"]?.GetValue<int>() ?? 0;
                var valid = size > 0 && chunk > 0 && count == size / chunk && count is >= 1 and <= 1000 &&
                            (size < MinChunk ? chunk == size : chunk is >= MinChunk and <= MaxChunk || (count == 1 && chunk == size && size <= MaxChunk)) &&
                            size - ((count - 1) * chunk) <= 2 * MaxChunk;
                if (!valid)
                {
                    await Error(context, 400, "invalid_params", "video_size, chunk_size and total_chunk_count do not follow the media transfer rules.");
                    return;
                }

                publish = new Publish($"v_pub_file~v2-1.{7_600_000 + n}", "video", body["post_info"]!["privacy_level"]!.ToString(), body) { VideoSize = size, ChunkSize = chunk, ChunkCount = count, UploadToken = $"tok{n}" };
                break;

            case "PULL_FROM_URL" when source["video_url"]?.ToString() is { } url:
                if (!url.StartsWith(VerifiedPrefix, StringComparison.Ordinal))
                {
                    await Error(context, 403, "url_ownership_unverified", "The video URL's domain or prefix is not verified.");
                    return;
                }

                publish = new Publish($"v_pub_url~v2-1.{7_600_000 + n}", "video-url", body["post_info"]!["privacy_level"]!.ToString(), body) { Received = 1 };
                break;

            default:
                await Error(context, 400, "invalid_params", "source_info.source must be FILE_UPLOAD or PULL_FROM_URL.");
                return;
        }

        Publishes[publish.Id] = publish;
        if (LoseInitAnswer)
        {
            LoseInitAnswer = false;
            await HangAsync(context);
            return;
        }

        var data = new JsonObject { ["publish_id"] = publish.Id };
        if (publish.Kind == "video")
        {
            data["upload_url"] = Server.Url($"upload/?upload_id={n}&upload_token={publish.UploadToken}").AbsoluteUri;
        }

        await Ok(context, data);
    }

    private async Task ContentInitAsync(HttpContext context)
    {
        if (!await AuthorizedAsync(context) || await JsonBodyAsync(context) is not { } body || await PostInfoProblemAsync(context, body["post_info"], 90, "title"))
        {
            return;
        }

        var source = body["source_info"];
        var images = (source?["photo_images"] as JsonArray)?.Select(i => i?.ToString() ?? "").ToList() ?? [];
        if (body["media_type"]?.ToString() != "PHOTO" || body["post_mode"]?.ToString() is not ("DIRECT_POST" or "MEDIA_UPLOAD") ||
            source?["source"]?.ToString() != "PULL_FROM_URL" || images.Count is 0 or > 35 ||
            source["photo_cover_index"]?.GetValue<int>() is not { } cover || cover < 0 || cover >= images.Count ||
            (body["post_info"]?["description"]?.ToString().Length ?? 0) > 4000)
        {
            await Error(context, 400, "invalid_params", "media_type PHOTO, post_mode, PULL_FROM_URL with 1–35 photo_images and a valid photo_cover_index are required.");
            return;
        }

        if (images.Any(i => !i.StartsWith(VerifiedPrefix, StringComparison.Ordinal)))
        {
            await Error(context, 403, "url_ownership_unverified", "A photo URL's domain or prefix is not verified.");
            return;
        }

        var publish = new Publish($"p_pub_url~v2.{7_700_000 + Interlocked.Increment(ref _serial)}", "photo", body["post_info"]!["privacy_level"]!.ToString(), body);
        Publishes[publish.Id] = publish;
        if (LoseInitAnswer)
        {
            LoseInitAnswer = false;
            await HangAsync(context);
            return;
        }

        await Ok(context, new JsonObject { ["publish_id"] = publish.Id });
    }

    /// <summary>The upload host: sequential chunks of exactly chunk_size (the last takes the rest), Content-Range checked.</summary>
    private async Task UploadAsync(HttpContext context)
    {
        var publish = Publishes.Values.FirstOrDefault(p => p.UploadToken is not null && p.UploadToken == context.Request.Query["upload_token"]);
        var range = context.Request.Headers.ContentRange.ToString();
        var type = context.Request.ContentType ?? "";
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var bytes = buffer.ToArray();
        if (publish is null)
        {
            await Error(context, 404, "invalid_params", "Unknown upload.");
            return;
        }

        // "bytes {first}-{last}/{total}"
        var parts = range.StartsWith("bytes ", StringComparison.Ordinal) ? range[6..].Split('-', '/') : [];
        if (parts.Length != 3 || !long.TryParse(parts[0], CultureInfo.InvariantCulture, out var first) || !long.TryParse(parts[1], CultureInfo.InvariantCulture, out var last) ||
            !long.TryParse(parts[2], CultureInfo.InvariantCulture, out var total))
        {
            await Error(context, 400, "invalid_params", "Content-Range is required: bytes {first}-{last}/{total}.");
            return;
        }

        var index = (int)(first / publish.ChunkSize);
        var isLast = index == publish.ChunkCount - 1;
        var expectedLength = isLast ? publish.VideoSize - first : publish.ChunkSize;
        if (type is not ("video/mp4" or "video/quicktime" or "video/webm") || total != publish.VideoSize || first != publish.Received ||
            last - first + 1 != bytes.Length || bytes.Length != expectedLength)
        {
            await Error(context, 400, "invalid_file_upload", $"Chunk {first}-{last}/{total} ({bytes.Length} bytes, {type}) is out of order or mis-sized.");
            return;
        }

        publish.Received += bytes.Length;
        if (!isLast)
        {
            context.Response.StatusCode = 206;
            return;
        }

        if (LoseLastChunkAnswer)
        {
            LoseLastChunkAnswer = false;
            await HangAsync(context);
            return;
        }

        context.Response.StatusCode = 201;
    }

    private async Task StatusAsync(HttpContext context)
    {
        if (!await AuthorizedAsync(context) || await JsonBodyAsync(context) is not { } body)
        {
            return;
        }

        if (!Publishes.TryGetValue(body["publish_id"]?.ToString() ?? "", out var publish))
        {
            await Error(context, 400, "invalid_params", "publish_id not found.");
            return;
        }

        await Ok(context, Advance(publish));
    }

    /// <summary>One status fetch: upload → processing (ProcessingPolls) → FAILED or PUBLISH_COMPLETE → public id after moderation.</summary>
    private JsonObject Advance(Publish publish)
    {
        var data = new JsonObject();
        if (publish.Kind == "video")
        {
            data["uploaded_bytes"] = publish.Received;
        }

        if (publish.Kind == "video" && publish.Received < publish.VideoSize)
        {
            data["status"] = "PROCESSING_UPLOAD";
            return data;
        }

        publish.Polls++;
        if (publish.Polls <= ProcessingPolls)
        {
            data["status"] = publish.Kind == "video" ? "PROCESSING_UPLOAD" : "PROCESSING_DOWNLOAD";
            return data;
        }

        if (FailReason is not null)
        {
            data["status"] = "FAILED";
            data["fail_reason"] = FailReason;
            return data;
        }

        data["status"] = "PUBLISH_COMPLETE";
        var ids = new JsonArray();
        if (publish.PostId is null)
        {
            publish.PostId = (7_234_567_890_123_456_000L + Interlocked.Increment(ref _serial)).ToString(CultureInfo.InvariantCulture);
            Videos[publish.PostId] = new JsonObject
            {
                ["id"] = publish.PostId, ["title"] = publish.Body["post_info"]?["title"]?.DeepClone(),
                ["like_count"] = 10, ["comment_count"] = 2, ["share_count"] = 3, ["view_count"] = 456,
            };
        }
        else if (publish.Privacy != "SELF_ONLY")
        {
            // Moderation: the public id appears on a later fetch, and only for a post others may see.
            ids.Add(long.Parse(publish.PostId, CultureInfo.InvariantCulture));
        }

        data["publicaly_available_post_id"] = ids;
        return data;
    }

    private async Task<bool> PostInfoProblemAsync(HttpContext context, JsonNode? postInfo, int maxTitle, string titleField)
    {
        var privacy = postInfo?["privacy_level"]?.ToString();
        if (privacy is null || !PrivacyOptions.Contains(privacy))
        {
            await Error(context, 400, "privacy_level_option_mismatch", $"privacy_level {privacy} is not among the creator's options.");
            return true;
        }

        if (postInfo?["brand_content_toggle"] is not JsonValue || postInfo["brand_organic_toggle"] is not JsonValue)
        {
            await Error(context, 400, "invalid_params", "brand_content_toggle and brand_organic_toggle are required.");
            return true;
        }

        if (postInfo["brand_content_toggle"]!.GetValue<bool>() && privacy == "SELF_ONLY")
        {
            await Error(context, 400, "invalid_params", "Branded content cannot be private.");
            return true;
        }

        if ((postInfo?[titleField]?.ToString().EnumerateRunes().Count() ?? 0) > maxTitle)
        {
            await Error(context, 400, "invalid_params", $"{titleField} is longer than {maxTitle}.");
            return true;
        }

        return false;
    }

    // ---- envelope, auth, helpers ----

    private async Task<bool> AuthorizedAsync(HttpContext context)
    {
        if (context.Request.Headers.Authorization == $"Bearer {AccessToken}" && !AccessTokenExpired && !Revoked)
        {
            return true;
        }

        await Error(context, 401, "access_token_invalid", "The access token is invalid or not found in the request.");
        return false;
    }

    private static async Task<bool> JsonContentTypeAsync(HttpContext context)
    {
        if (context.Request.ContentType?.StartsWith("application/json", StringComparison.OrdinalIgnoreCase) == true)
        {
            return true;
        }

        await Error(context, 400, "invalid_params", "Content-Type must be application/json; charset=UTF-8.");
        return false;
    }

    private static async Task<JsonObject?> JsonBodyAsync(HttpContext context)
    {
        if (!await JsonContentTypeAsync(context))
        {
            return null;
        }

        if (await JsonNode.ParseAsync(context.Request.Body) is JsonObject body)
        {
            return body;
        }

        await Error(context, 400, "invalid_params", "The body must be a JSON object.");
        return null;
    }

    private static Task Ok(HttpContext context, JsonObject data) =>
        context.Response.WriteAsJsonAsync(new JsonObject { ["data"] = data, ["error"] = new JsonObject { ["code"] = "ok", ["message"] = "", ["log_id"] = "log-ok" } });

    public static string ErrorJson(string code, string message) =>
        new JsonObject { ["data"] = new JsonObject(), ["error"] = new JsonObject { ["code"] = code, ["message"] = message, ["log_id"] = "log-" + code } }.ToJsonString();

    private static async Task Error(HttpContext context, int status, string code, string message)
    {
        context.Response.StatusCode = status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(ErrorJson(code, message));
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

    /// <summary>One post request, as TikTok keeps it.</summary>
    public sealed class Publish(string id, string kind, string privacy, JsonObject body)
    {
        public string Id { get; } = id;
        public string Kind { get; } = kind;
        public string Privacy { get; } = privacy;
        public JsonObject Body { get; } = body;
        public long VideoSize { get; init; }
        public long ChunkSize { get; init; }
        public int ChunkCount { get; init; }
        public string? UploadToken { get; init; }
        public long Received { get; set; }
        public int Polls { get; set; }
        public string? PostId { get; set; }
    }
}
