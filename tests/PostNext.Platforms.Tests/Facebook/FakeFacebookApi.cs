using System.Collections.Concurrent;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PostNext.Platforms.Facebook;
using PostNext.Platforms.Tests.Common;
using PostNext.Platforms.Tests.Meta;
using PostNext.Testing;
using static PostNext.Platforms.Tests.Meta.MetaFake;

namespace PostNext.Platforms.Tests.Facebook;

/// <summary>
/// The Graph API as the Facebook connector uses it (platforms.md §3), on loopback: Facebook Login's token endpoint (code
/// exchange checked against client id, secret and redirect URI; <c>fb_exchange_token</c>), <c>/me/accounts</c> with Page
/// tokens, Page posts (<c>/feed</c> with <c>attached_media</c> of unpublished photos), <c>/photos</c> by URL, <c>/videos</c>
/// by <c>file_url</c> with processing, node reads, post/video insights, the Page's recent posts and videos. Reels and
/// video stories go through upload sessions (<c>/video_reels</c>, <c>/video_stories</c>: start, the hosted file handed to
/// the rupload path with <c>Authorization: OAuth</c> and <c>file_url</c>, finish), photo stories through
/// <c>/photo_stories</c> with an unpublished photo; <c>/stories</c> lists the Page's stories. Every Graph call needs the
/// right bearer token (a Page token for Page edges, a user token for <c>/me/accounts</c>), else code 190.
/// </summary>
public sealed class FakeFacebookApi : IAsyncDisposable
{
    public const string Version = "v25.0";
    public const string PageId = "1010";
    public const string ReadOnlyPageId = "2020";

    /// <summary>A second Page the person may publish to, granted only when <see cref="SecondPageGranted"/>.</summary>
    public const string SecondPageId = "3030";
    public const string Code = "fb-auth-code";
    public const string ShortUserToken = "fb-short-user";
    public const long Reactions = 42, Comments = 7, Shares = 3, Reach = 1234, MediaViews = 4321, VideoViews = 987, Followers = 5230, Fans = 5100;

    private readonly ConcurrentDictionary<string, JsonObject> _posts = new();
    private readonly ConcurrentDictionary<string, Photo> _photos = new();
    private readonly ConcurrentDictionary<string, Video> _videos = new();
    private readonly ConcurrentDictionary<string, UploadSession> _sessions = new();
    private readonly ConcurrentDictionary<string, JsonObject> _stories = new();
    private readonly HashSet<string> _userTokens = [ShortUserToken];
    /// <summary>Page tokens and the Page each one is for.</summary>
    private readonly ConcurrentDictionary<string, string> _pageTokens = new();
    /// <summary>Single-use codes and the redirect URI each was issued for.</summary>
    private readonly ConcurrentDictionary<string, string> _codes = new();
    private readonly TimeProvider _clock;
    private int _ids = 100;

    private FakeFacebookApi(TimeProvider clock) => _clock = clock;

    public FakePlatformServer Server { get; private set; } = null!;

    /// <summary>The redirect URI the authorization code was issued for.</summary>
    public Uri RedirectUri { get; } = new("https://app.postnext.test/connect/facebook/callback");

    /// <summary>The current long-lived user token (each exchange issues a new one).</summary>
    public string UserToken { get; private set; } = "fb-long-user-0";

    /// <summary>The current token of the publishable Page.</summary>
    public string PageToken { get; private set; } = "fb-page-1010-0";

    /// <summary>The current token of the second publishable Page.</summary>
    public string SecondPageToken { get; private set; } = "fb-page-3030-0";

    /// <summary>Whether the person granted the second publishable Page too (so connecting offers two).</summary>
    public bool SecondPageGranted { get; set; }

    /// <summary>How many status reads a video stays "processing".</summary>
    public int VideoPollsUntilReady { get; set; } = 2;

    /// <summary>Whether video processing ends in error.</summary>
    public bool VideoProcessingFails { get; set; }

    public IReadOnlyDictionary<string, JsonObject> Posts => _posts;

    /// <summary>Upload sessions (reels and video stories) by video id.</summary>
    public IReadOnlyDictionary<string, UploadSession> Sessions => _sessions;

    /// <summary>The Page's stories by post id, as <c>/stories</c> lists them.</summary>
    public IReadOnlyDictionary<string, JsonObject> Stories => _stories;

    /// <summary>How many status reads a finished reel stays unpublished (processing).</summary>
    public int ReelPollsUntilPublished { get; set; } = 1;

    /// <summary>The next reel finish takes effect, and the answer never comes.</summary>
    public bool HangNextReelFinish { get; set; }

    /// <summary>
    /// Reels a Page may publish in a moving 24 h (Reels Publishing API, "Rate Limit": 30, enforced on the publishing
    /// call). The refusal's exact error is not documented; the fake answers a Graph error that speaks of the limit.
    /// </summary>
    public int ReelsPerDay { get; set; } = 30;

    /// <summary>When set, the upload session's start answers its upload URL on this base instead of the fake's own (another host).</summary>
    public Uri? UploadUrlBase { get; set; }

    /// <summary>The next hosted-file upload answers 500 without taking the file.</summary>
    public bool FailNextUpload { get; set; }

    public IReadOnlyCollection<string> VideoIds => [.. _videos.Keys];

    public static async Task<FakeFacebookApi> StartAsync(TimeProvider? clock = null)
    {
        var fake = new FakeFacebookApi(clock ?? TimeProvider.System);
        fake._userTokens.Add(fake.UserToken);
        fake._codes[Code] = fake.RedirectUri.ToString();
        fake._pageTokens[fake.PageToken] = PageId;
        fake._pageTokens[fake.SecondPageToken] = SecondPageId;
        fake.Server = await FakePlatformServer.StartAsync(fake.Map);
        return fake;
    }

    /// <summary>The real connector, its URLs on this fake (and its request timeout shortened when given).</summary>
    public FacebookConnector Connector(TimeProvider? time = null, TimeSpan? requestTimeout = null) =>
        ConnectorHarness.Create<FacebookConnector>(
            PlatformIds.Facebook, FacebookConnector.Defaults, Server,
            (services, configuration) => services.AddConnector<FacebookConnector>(configuration, PlatformIds.Facebook, FacebookConnector.Defaults),
            time,
            requestTimeout is { } t ? new Dictionary<string, string?> { ["PostNext:Platforms:facebook:RequestTimeout"] = t.ToString() } : null);

    /// <summary>Another single-use code, as Facebook Login's consent hands back for a redirect URI (the registered one by default).</summary>
    public string IssueCode(Uri? redirectUri = null)
    {
        var code = $"fb-auth-code-{NextId()}";
        _codes[code] = (redirectUri ?? RedirectUri).ToString();
        return code;
    }

    /// <summary>Invalidates every token (password change, app removed).</summary>
    public void RevokeAll()
    {
        _userTokens.Clear();
        _pageTokens.Clear();
    }

    /// <summary>The next feed post is created, and the answer never comes.</summary>
    public void CreatePostThenHang() => Server.Fail("POST", $"/{Version}/{PageId}/feed", EffectThenHang(async context =>
        CreatePost(PageId, await JsonBodyAsync(context) ?? [])));

    /// <summary>The next video is created, and the answer never comes.</summary>
    public void CreateVideoThenHang() => Server.Fail("POST", $"/{Version}/{PageId}/videos", EffectThenHang(async context =>
        CreateVideo(PageId, await JsonBodyAsync(context) ?? [])));

    /// <summary>Comments on the Page's posts and videos.</summary>
    public FakeGraphComments CommentEdge => _comments ??= new FakeGraphComments("message", c => RequireToken(c, _pageTokens.ContainsKey), id => _posts.ContainsKey(id) || _videos.ContainsKey(id));

    private FakeGraphComments? _comments;

    /// <summary>The next photo story is published, and the answer never comes.</summary>
    public void PublishPhotoStoryThenHang() => Server.Fail("POST", $"/{Version}/{PageId}/photo_stories", EffectThenHang(async context =>
        PublishPhotoStory(PageId, await JsonBodyAsync(context) ?? [])));

    private void Map(IEndpointRouteBuilder app)
    {
        // The Login dialog, for browser tests: the person agrees at once and is sent back with a code and the state.
        app.MapGet("/{version}/dialog/oauth", (string redirect_uri, string state) =>
            Results.Redirect($"{redirect_uri}?code={IssueCode(new Uri(redirect_uri))}&state={Uri.EscapeDataString(state)}"));
        CommentEdge.Map(app);
        app.MapGet("/{version}/oauth/access_token", Token);
        app.MapGet("/{version}/me/accounts", Accounts);
        app.MapGet("/{version}/me", Me);
        app.MapDelete("/{version}/me/permissions", Deauthorize);
        app.MapPost("/{version}/{pageId}/photos", UploadPhoto);
        app.MapPost("/{version}/{pageId}/feed", PublishFeed);
        app.MapPost("/{version}/{pageId}/videos", PublishVideo);
        app.MapPost("/{version}/{pageId}/video_reels", (HttpContext c, string pageId) => UploadSessionPhase(c, pageId, "reel"));
        app.MapPost("/{version}/{pageId}/video_stories", (HttpContext c, string pageId) => UploadSessionPhase(c, pageId, "story"));
        app.MapPost("/video-upload/{version}/{videoId}", UploadHostedFile);
        app.MapPost("/{version}/{pageId}/photo_stories", PhotoStory);
        app.MapGet("/{version}/{pageId}/stories", ListStories);
        app.MapGet("/{version}/{pageId}/posts", (HttpContext c, string pageId) =>
            List(c, pageId, _posts.Values.Where(p => p["id"]!.ToString().StartsWith(pageId + "_", StringComparison.Ordinal)), "message"));
        app.MapGet("/{version}/{pageId}/videos", (HttpContext c, string pageId) =>
            List(c, pageId, _videos.Values.Where(v => v.PageId == pageId).Select(v => v.Node), "description"));
        // Post insights since the 2025–2026 retirements: post_media_view (views, counted each time: the impressions
        // replacement) and post_total_media_view_unique (reach, unique viewers); post_impressions* are gone.
        app.MapGet("/{version}/{id}/insights", (HttpContext c, string id) => Query(c, "metric") switch
        {
            "post_media_view" => Insight(c, id, "post_media_view", MediaViews),
            "post_total_media_view_unique" => Insight(c, id, "post_total_media_view_unique", Reach),
            _ => Insight(c, id, "(retired)", 0),
        });
        app.MapGet("/{version}/{id}/video_insights", (HttpContext c, string id) => Insight(c, id, "total_video_views", VideoViews));
        app.MapGet("/{version}/{id}", Node);
    }

    private IResult Token(HttpContext context)
    {
        if (Query(context, "client_id") != ConnectorHarness.ClientId || Query(context, "client_secret") != ConnectorHarness.ClientSecret)
        {
            return Error(400, "Error validating client secret.", 1);
        }

        if (Query(context, "grant_type") == "fb_exchange_token")
        {
            if (!_userTokens.Contains(Query(context, "fb_exchange_token")))
            {
                return Error(400, "Error validating access token: Session has expired on Tuesday, 01-Dec-26 08:00:00 PST.", 190, 463);
            }

            UserToken = $"fb-long-user-{Interlocked.Increment(ref _ids)}";
            _userTokens.Add(UserToken);
            PageToken = $"fb-page-{PageId}-{_ids}";
            _pageTokens[PageToken] = PageId;
            SecondPageToken = $"fb-page-{SecondPageId}-{_ids}";
            _pageTokens[SecondPageToken] = SecondPageId;
            return Json(new JsonObject { ["access_token"] = UserToken, ["token_type"] = "bearer", ["expires_in"] = 5183944 });
        }

        if (!_codes.TryGetValue(Query(context, "code"), out var issuedFor) || issuedFor != Query(context, "redirect_uri") || !_codes.TryRemove(Query(context, "code"), out _))
        {
            return Error(400, "Invalid verification code format.", 100, 36007);
        }

        return Json(new JsonObject { ["access_token"] = ShortUserToken, ["token_type"] = "bearer", ["expires_in"] = 5400 });
    }

    private IResult Accounts(HttpContext context) => RequireToken(context, _userTokens.Contains) ?? Json(new JsonObject
    {
        ["data"] = new JsonArray(
        [
            Page(ReadOnlyPageId, "Read-only Page", "readonly", "fb-page-2020", "ANALYZE"),
            Page(PageId, "PostNext Bakery", "postnextbakery", PageToken, "ANALYZE", "ADVERTISE", "CREATE_CONTENT", "MODERATE"),
            .. SecondPageGranted ? new JsonNode[] { Page(SecondPageId, "PostNext Café", "postnextcafe", SecondPageToken, "ANALYZE", "MANAGE") } : [],
        ]),
        ["paging"] = new JsonObject { ["cursors"] = new JsonObject { ["before"] = "a", ["after"] = "b" } },
    });

    private static JsonObject Page(string id, string name, string username, string token, params string[] tasks) => new()
    {
        ["id"] = id, ["name"] = name, ["username"] = username, ["access_token"] = token,
        ["tasks"] = new JsonArray([.. tasks.Select(t => (JsonNode)t)]),
    };

    private IResult Me(HttpContext context) => Bearer(context) is { } token && _pageTokens.TryGetValue(token, out var page)
        ? Json(new JsonObject { ["id"] = page, ["name"] = page == PageId ? "PostNext Bakery" : "PostNext Café" })
        : RequireToken(context, _userTokens.Contains) ?? Json(new JsonObject { ["id"] = "user-77", ["name"] = "Alex Baker" });

    private IResult Deauthorize(HttpContext context)
    {
        if (RequireToken(context, _userTokens.Contains) is { } denied)
        {
            return denied;
        }

        RevokeAll();
        return Json(new JsonObject { ["success"] = true });
    }

    private async Task<IResult> UploadPhoto(HttpContext context, string pageId)
    {
        if (RequirePageToken(context, pageId) is { } denied)
        {
            return denied;
        }

        if (await JsonBodyAsync(context) is not { } body || body["url"]?.ToString() is not { Length: > 0 } url)
        {
            return Error(400, "(#324) Requires upload file", 324);
        }

        var id = NextId();
        _photos[id] = new Photo(pageId, url, body["published"]?.GetValue<bool>() ?? true);
        return Json(new JsonObject { ["id"] = id });
    }

    private async Task<IResult> PublishFeed(HttpContext context, string pageId)
    {
        if (RequirePageToken(context, pageId) is { } denied)
        {
            return denied;
        }

        var body = await JsonBodyAsync(context);
        if (body is null || (body["message"] is null && body["attached_media"] is null && body["link"] is null))
        {
            return Error(400, "(#100) Missing message or attachment", 100);
        }

        foreach (var media in body["attached_media"] as JsonArray ?? [])
        {
            if (media?["media_fbid"]?.ToString() is not { } photoId || !_photos.TryGetValue(photoId, out var photo) || photo.PageId != pageId || photo.Published)
            {
                return Error(400, "(#100) attached_media must be unpublished photos of this Page", 100);
            }
        }

        var post = CreatePost(pageId, body);
        var answer = new JsonObject { ["id"] = post["id"]!.ToString() };
        if (Query(context, "fields").Contains("permalink_url", StringComparison.Ordinal))
        {
            answer["permalink_url"] = post["permalink_url"]!.ToString();
        }

        return Json(answer);
    }

    private JsonObject CreatePost(string pageId, JsonObject body)
    {
        var id = $"{pageId}_{NextId()}";
        var post = new JsonObject
        {
            ["id"] = id,
            ["message"] = body["message"]?.ToString(),
            ["created_time"] = Timestamp(_clock.GetUtcNow()),
            ["permalink_url"] = $"https://www.facebook.com/{pageId}/posts/{id.Split('_')[1]}",
            ["attachments"] = (body["attached_media"] as JsonArray)?.Count ?? 0,
        };
        _posts[id] = post;
        return post;
    }

    private async Task<IResult> PublishVideo(HttpContext context, string pageId)
    {
        if (RequirePageToken(context, pageId) is { } denied)
        {
            return denied;
        }

        if (await JsonBodyAsync(context) is not { } body || body["file_url"]?.ToString() is not { Length: > 0 })
        {
            return Error(400, "(#100) file_url or source is required", 100);
        }

        return Json(new JsonObject { ["id"] = CreateVideo(pageId, body) });
    }

    private string CreateVideo(string pageId, JsonObject body)
    {
        var id = NextId();
        _videos[id] = new Video(pageId, VideoPollsUntilReady, new JsonObject
        {
            ["id"] = id,
            ["description"] = body["description"]?.ToString(),
            ["title"] = body["title"]?.ToString(),
            ["created_time"] = Timestamp(_clock.GetUtcNow()),
            ["permalink_url"] = $"/{pageId}/videos/{id}/",
        });
        return id;
    }

    private IResult List(HttpContext context, string pageId, IEnumerable<JsonObject> items, string textField)
    {
        if (RequirePageToken(context, pageId) is { } denied)
        {
            return denied;
        }

        var since = long.TryParse(Query(context, "since"), out var s) ? DateTimeOffset.FromUnixTimeSeconds(s) : DateTimeOffset.MinValue;
        var data = items
            .Where(p => DateTimeOffset.Parse(p["created_time"]!.ToString()[..19] + "Z", System.Globalization.CultureInfo.InvariantCulture) >= since)
            .OrderByDescending(p => p["created_time"]!.ToString())
            .Select(p => (JsonNode)new JsonObject
            {
                ["id"] = p["id"]!.ToString(), [textField] = p[textField]?.ToString(),
                ["created_time"] = p["created_time"]!.ToString(), ["permalink_url"] = p["permalink_url"]!.ToString(),
            });
        return Json(new JsonObject { ["data"] = new JsonArray([.. data]) });
    }

    private IResult Insight(HttpContext context, string id, string metric, long value)
    {
        if (RequireToken(context, _pageTokens.ContainsKey) is { } denied)
        {
            return denied;
        }

        if (Query(context, "metric") != metric)
        {
            return Error(400, "(#100) The value must be a valid insights metric", 100);
        }

        return Json(new JsonObject
        {
            ["data"] = new JsonArray(new JsonObject
            {
                ["name"] = metric, ["period"] = "lifetime",
                ["values"] = new JsonArray(new JsonObject { ["value"] = value }),
                ["id"] = $"{id}/insights/{metric}/lifetime",
            }),
        });
    }

    private IResult Node(HttpContext context, string id)
    {
        if (RequireToken(context, _pageTokens.ContainsKey) is { } denied)
        {
            return denied;
        }

        if (id is PageId or SecondPageId)
        {
            return Json(new JsonObject { ["id"] = id, ["followers_count"] = Followers, ["fan_count"] = Fans });
        }

        if (_posts.TryGetValue(id, out var post))
        {
            return Json(new JsonObject
            {
                ["id"] = id, ["permalink_url"] = post["permalink_url"]!.ToString(), ["created_time"] = post["created_time"]!.ToString(),
                ["shares"] = new JsonObject { ["count"] = Shares },
                ["comments"] = Summary(Comments), ["reactions"] = Summary(Reactions),
            });
        }

        if (_sessions.TryGetValue(id, out var session))
        {
            return Json(new JsonObject { ["id"] = id, ["status"] = session.Status(), ["comments"] = Summary(Comments), ["reactions"] = Summary(Reactions) });
        }

        if (_videos.TryGetValue(id, out var video))
        {
            var status = video.Read(VideoProcessingFails);
            return Json(new JsonObject
            {
                ["id"] = id, ["permalink_url"] = video.Node["permalink_url"]!.ToString(), ["created_time"] = video.Node["created_time"]!.ToString(),
                ["status"] = status, ["comments"] = Summary(Comments), ["reactions"] = Summary(Reactions),
            });
        }

        return Error(400, $"Unsupported get request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.", 100, 33);
    }

    private static JsonObject Summary(long total) => new()
    {
        ["data"] = new JsonArray(), ["summary"] = new JsonObject { ["total_count"] = total },
    };

    /// <summary>
    /// An upload session's phases (Reels Publishing API; Stories API for video stories): start answers the video id and
    /// its rupload URL; finish needs the file uploaded, publishes a reel with its description, or a story answering its post id.
    /// </summary>
    private async Task<IResult> UploadSessionPhase(HttpContext context, string pageId, string kind)
    {
        if (RequirePageToken(context, pageId) is { } denied)
        {
            return denied;
        }

        var body = await JsonBodyAsync(context) ?? [];
        switch (body["upload_phase"]?.ToString())
        {
            case "start":
                var id = NextId();
                _sessions[id] = new UploadSession(pageId, kind);
                var upload = UploadUrlBase is { } other ? new Uri(other, $"video-upload/{Version}/{id}") : Server.Url($"video-upload/{Version}/{id}");
                return Json(new JsonObject { ["video_id"] = id, ["upload_url"] = upload.AbsoluteUri });
            case "finish" when body["video_id"]?.ToString() is { } videoId && _sessions.TryGetValue(videoId, out var session) && session.PageId == pageId && session.Kind == kind:
                if (session.FileUrl is null)
                {
                    return Error(400, "(#6000) There was a problem uploading your video file. Please try again.", 6000);
                }

                if (kind == "reel")
                {
                    if (body["video_state"]?.ToString() != "PUBLISHED")
                    {
                        return Error(400, "(#100) video_state must be one of DRAFT, PUBLISHED, SCHEDULED", 100);
                    }

                    var now = _clock.GetUtcNow();
                    if (_sessions.Values.Count(r => r.PageId == pageId && r.Kind == "reel" && r.FinishedAt > now - TimeSpan.FromHours(24)) >= ReelsPerDay)
                    {
                        return Error(400, $"(#100) This Page has reached the limit of {ReelsPerDay} API-published reels in 24 hours.", 100);
                    }

                    session.Finish(body["description"]?.ToString(), ReelPollsUntilPublished, now);
                    if (HangNextReelFinish)
                    {
                        HangNextReelFinish = false;
                        await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
                        return Results.Empty;
                    }

                    return Json(new JsonObject { ["success"] = true });
                }

                if (session.Finished)
                {
                    return Error(400, "(#100) This video has already been published as a story.", 100);
                }

                session.Finish(null, 0, _clock.GetUtcNow());
                return Json(new JsonObject { ["success"] = true, ["post_id"] = AddStory(pageId, videoId, "video") });
            default:
                return Error(400, "(#100) upload_phase must be start or finish with a video_id of this Page's session", 100);
        }
    }

    /// <summary>rupload: the hosted file is handed over by its URL in the <c>file_url</c> header, with <c>Authorization: OAuth {token}</c>.</summary>
    private IResult UploadHostedFile(HttpContext context, string videoId)
    {
        var header = context.Request.Headers.Authorization.ToString();
        if (!header.StartsWith("OAuth ", StringComparison.Ordinal) || !_sessions.TryGetValue(videoId, out var session) ||
            !_pageTokens.TryGetValue(header["OAuth ".Length..], out var page) || page != session.PageId)
        {
            return Error(400, "Invalid OAuth access token.", 190);
        }

        if (FailNextUpload)
        {
            FailNextUpload = false;
            return Error(500, "An unexpected error has occurred. Please retry your request later.", 2);
        }

        if (context.Request.Headers["file_url"].ToString() is not { Length: > 0 } fileUrl)
        {
            return Error(400, "(#100) file_url header or the file's bytes are required", 100);
        }

        session.FileUrl = fileUrl;
        return Json(new JsonObject { ["success"] = true });
    }

    private async Task<IResult> PhotoStory(HttpContext context, string pageId)
    {
        if (RequirePageToken(context, pageId) is { } denied)
        {
            return denied;
        }

        var body = await JsonBodyAsync(context) ?? [];
        if (body["photo_id"]?.ToString() is not { } photoId || !_photos.TryGetValue(photoId, out var photo) || photo.PageId != pageId || photo.Published)
        {
            return Error(400, "(#100) photo_id must be an unpublished photo of this Page", 100);
        }

        if (_stories.Values.Any(s => s["media_id"]!.ToString() == photoId))
        {
            return Error(400, "(#100) A photo used in a published post cannot be used for a story.", 100);
        }

        return Json(new JsonObject { ["success"] = true, ["post_id"] = PublishPhotoStory(pageId, body) });
    }

    private string PublishPhotoStory(string pageId, JsonObject body) => AddStory(pageId, body["photo_id"]!.ToString(), "photo");

    private string AddStory(string pageId, string mediaId, string mediaType)
    {
        var postId = NextId();
        _stories[postId] = new JsonObject
        {
            ["post_id"] = postId, ["page_id"] = pageId, ["status"] = "PUBLISHED", ["media_type"] = mediaType, ["media_id"] = mediaId,
            ["creation_time"] = _clock.GetUtcNow().ToUnixTimeSeconds().ToString(System.Globalization.CultureInfo.InvariantCulture),
            ["url"] = $"https://www.facebook.com/stories/{pageId}/{postId}/",
        };
        return postId;
    }

    private IResult ListStories(HttpContext context, string pageId) => RequirePageToken(context, pageId) ?? Json(new JsonObject
    {
        ["data"] = new JsonArray([.. _stories.Values.Where(s => s["page_id"]!.ToString() == pageId).Select(s =>
        {
            var listed = s.DeepClone().AsObject();
            listed.Remove("page_id");
            return (JsonNode)listed;
        })]),
    });

    private IResult? RequirePageToken(HttpContext context, string pageId) => RequireToken(context, t => _pageTokens.TryGetValue(t, out var page) && page == pageId);

    private string NextId() => Interlocked.Increment(ref _ids).ToString(System.Globalization.CultureInfo.InvariantCulture);

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private sealed record Photo(string PageId, string Url, bool Published);

    /// <summary>A reel's or video story's upload session, and its phases as <c>GET /{video-id}?fields=status</c> reports them.</summary>
    public sealed class UploadSession(string pageId, string kind)
    {
        private int _polls;

        public string PageId { get; } = pageId;

        /// <summary>"reel" or "story".</summary>
        public string Kind { get; } = kind;

        public string? FileUrl { get; set; }

        public bool Finished { get; private set; }

        public string? Description { get; private set; }

        public DateTimeOffset? FinishedAt { get; private set; }

        public void Finish(string? description, int pollsUntilPublished, DateTimeOffset at)
        {
            (Finished, Description, FinishedAt) = (true, description, at);
            _polls = pollsUntilPublished;
        }

        public JsonObject Status()
        {
            var published = Finished && Interlocked.Decrement(ref _polls) < 0;
            return new JsonObject
            {
                ["video_status"] = published ? "ready" : FileUrl is null ? "upload_pending" : "processing",
                ["uploading_phase"] = new JsonObject { ["status"] = FileUrl is null ? "not_started" : "complete" },
                ["processing_phase"] = new JsonObject { ["status"] = published ? "complete" : Finished ? "in_progress" : "not_started" },
                ["publishing_phase"] = published
                    ? new JsonObject { ["status"] = "complete", ["publish_status"] = "published", ["publish_time"] = FinishedAt!.Value.ToUnixTimeSeconds() }
                    : new JsonObject { ["status"] = "not_started" },
            };
        }
    }

    private sealed class Video(string pageId, int pollsUntilReady, JsonObject node)
    {
        private int _polls = pollsUntilReady;

        public string PageId { get; } = pageId;

        public JsonObject Node { get; } = node;

        public JsonObject Read(bool fails)
        {
            var remaining = Interlocked.Decrement(ref _polls);
            var state = remaining >= 0 ? "processing" : fails ? "error" : "ready";
            var status = new JsonObject { ["video_status"] = state };
            if (state == "error")
            {
                status["processing_phase"] = new JsonObject
                {
                    ["status"] = "error", ["error"] = new JsonObject { ["message"] = "The video file you selected is in a format that we don't support." },
                };
            }

            return status;
        }
    }
}
