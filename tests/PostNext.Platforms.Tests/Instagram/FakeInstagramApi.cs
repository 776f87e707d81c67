using System.Collections.Concurrent;
using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PostNext.Platforms.Tests.Common;
using PostNext.Platforms.Tests.Meta;
using PostNext.Testing;
using static PostNext.Platforms.Tests.Meta.MetaFake;

namespace PostNext.Platforms.Tests.Instagram;

/// <summary>
/// The Instagram API with Instagram Login as the connector uses it (platforms.md §4), on loopback: the code exchange at
/// <c>/oauth/access_token</c> (form: client id, secret, redirect URI, code), <c>ig_exchange_token</c> and
/// <c>ig_refresh_token</c>, <c>/me</c>, containers (image, REELS, carousel children and CAROUSEL; videos processing for a
/// few polls), <c>media_publish</c> enforcing FINISHED and the publishing limit, <c>content_publishing_limit</c>, recent
/// media, media insights (the v22+ metric set; deprecated metrics refused) and the user's counts. Every Graph call needs
/// the current bearer token, else code 190.
/// </summary>
public sealed class FakeInstagramApi : IAsyncDisposable
{
    public const string Version = "v25.0";
    public const string IgUserId = "17841400000000001";
    public const string Username = "postnext.bakery";
    public const string Code = "ig-auth-code";
    public const string ShortToken = "ig-short-0";
    public const string Permissions = "instagram_business_basic,instagram_business_content_publish,instagram_business_manage_insights";
    public const long Likes = 120, Comments = 14, Shares = 9, Saved = 31, Reach = 2400, Views = 3100;
    public const long Followers = 8800, Follows = 150, MediaCount = 212;

    private static readonly HashSet<string> Metrics = ["views", "reach", "likes", "comments", "shares", "saved", "total_interactions"];
    private readonly ConcurrentDictionary<string, Container> _containers = new();
    private readonly ConcurrentDictionary<string, JsonObject> _media = new();
    private readonly HashSet<string> _tokens = [];
    private readonly TimeProvider _clock;
    private int _ids = 500;
    private bool _codeUsed;

    private FakeInstagramApi(TimeProvider clock) => _clock = clock;

    public FakePlatformServer Server { get; private set; } = null!;

    public Uri RedirectUri { get; } = new("https://app.postnext.test/connect/instagram/callback");

    /// <summary>The newest long-lived token.</summary>
    public string Token { get; private set; } = "ig-long-0";

    public int VideoPollsUntilFinished { get; set; } = 2;

    /// <summary>When set, video containers end in ERROR with this status text.</summary>
    public string? VideoError { get; set; }

    /// <summary>Media published through the API in the current window, and the window's cap.</summary>
    public int QuotaUsage { get; set; }

    public int QuotaTotal { get; set; } = 100;

    /// <summary>Whether media insights are refused (media older than the business conversion, say).</summary>
    public bool InsightsRefused { get; set; }

    /// <summary>What the person granted in the authorization window.</summary>
    public string GrantedPermissions { get; set; } = Permissions;

    public IReadOnlyDictionary<string, JsonObject> Media => _media;

    public int ContainerCount => _containers.Count;

    public string? ContainerStatus(string id) => _containers.TryGetValue(id, out var c) ? c.Status : null;

    public static async Task<FakeInstagramApi> StartAsync(TimeProvider? clock = null)
    {
        var fake = new FakeInstagramApi(clock ?? TimeProvider.System);
        fake._tokens.Add(fake.Token);
        fake.Server = await FakePlatformServer.StartAsync(fake.Map);
        return fake;
    }

    public void RevokeAll() => _tokens.Clear();

    /// <summary>The next media_publish publishes, and its answer never comes.</summary>
    public void PublishThenHang() => Server.Fail("POST", $"/{Version}/{IgUserId}/media_publish", EffectThenHang(context =>
    {
        Publish(IgUserId, Query(context, "creation_id"));
        return Task.CompletedTask;
    }));

    /// <summary>Comments on the account's published media.</summary>
    public FakeGraphComments CommentEdge => _comments ??= new FakeGraphComments("text", c => Authorized(c), _media.ContainsKey);

    private FakeGraphComments? _comments;

    private void Map(IEndpointRouteBuilder app)
    {
        CommentEdge.Map(app);
        app.MapPost("/oauth/access_token", (Func<HttpContext, Task<IResult>>)ExchangeCode);
        app.MapGet("/access_token", LongLived);
        app.MapGet("/refresh_access_token", Refresh);
        app.MapGet("/{version}/me", Me);
        app.MapPost("/{version}/{userId}/media", CreateContainer);
        app.MapGet("/{version}/{userId}/media", RecentMedia);
        app.MapPost("/{version}/{userId}/media_publish", (HttpContext c, string userId) =>
            Authorized(c) ?? Publish(userId, Query(c, "creation_id")) switch { (null, var error) => error!, (var media, _) => Json(new JsonObject { ["id"] = media }) });
        app.MapGet("/{version}/{userId}/content_publishing_limit", PublishingLimit);
        app.MapGet("/{version}/{id}/insights", Insights);
        app.MapGet("/{version}/{id}", Node);
    }

    private async Task<IResult> ExchangeCode(HttpContext context)
    {
        var form = context.Request.HasFormContentType ? await context.Request.ReadFormAsync() : null;
        if (form is null || form["client_id"] != ConnectorHarness.ClientId || form["client_secret"] != ConnectorHarness.ClientSecret ||
            form["grant_type"] != "authorization_code" || form["redirect_uri"] != RedirectUri.ToString() || form["code"] != Code || _codeUsed)
        {
            return Results.Text("""{"error_type":"OAuthException","code":400,"error_message":"Invalid authorization code"}""", "application/json", statusCode: 400);
        }

        _codeUsed = true;
        return Json(new JsonObject
        {
            ["data"] = new JsonArray(new JsonObject { ["access_token"] = ShortToken, ["user_id"] = IgUserId, ["permissions"] = GrantedPermissions }),
        });
    }

    private IResult LongLived(HttpContext context) =>
        Query(context, "grant_type") != "ig_exchange_token" || Query(context, "client_secret") != ConnectorHarness.ClientSecret || Query(context, "access_token") != ShortToken
            ? Error(400, "Error validating access token: Session has expired.", 190, 463)
            : NewToken();

    private IResult Refresh(HttpContext context) =>
        Query(context, "grant_type") != "ig_refresh_token" || !_tokens.Contains(Query(context, "access_token"))
            ? Error(400, "Error validating access token: The session has been invalidated because the user changed their password.", 190, 460)
            : NewToken();

    private IResult NewToken()
    {
        Token = $"ig-long-{Interlocked.Increment(ref _ids)}";
        _tokens.Add(Token);
        return Json(new JsonObject { ["access_token"] = Token, ["token_type"] = "bearer", ["expires_in"] = 5183944 });
    }

    private IResult Me(HttpContext context) => Authorized(context) ?? Json(new JsonObject
    {
        ["user_id"] = IgUserId, ["username"] = Username, ["name"] = "PostNext Bakery", ["id"] = "27000000000000009",
    });

    private async Task<IResult> CreateContainer(HttpContext context, string userId)
    {
        if (Authorized(context, userId) is { } denied)
        {
            return denied;
        }

        if (!context.Request.HasFormContentType)
        {
            return Error(400, "(#100) Expected form parameters", 100);
        }

        var form = await context.Request.ReadFormAsync();
        string Field(string name) => form[name].ToString();
        var carouselItem = Field("is_carousel_item") == "true";
        if (OptionProblem(Field) is { } problem)
        {
            return Error(400, problem, 100);
        }

        Container container;
        switch (Field("media_type"))
        {
            case "STORIES" when (Field("image_url") is { Length: > 0 }) != (Field("video_url") is { Length: > 0 }):
                container = new Container(userId, "STORY", "", false, [], Field("video_url").Length > 0 ? "IN_PROGRESS" : "FINISHED", Field("video_url").Length > 0 ? VideoPollsUntilFinished : 0);
                break;
            case "" when Field("image_url") is { Length: > 0 } image:
                if (!image.EndsWith(".jpg", StringComparison.OrdinalIgnoreCase) && !image.EndsWith(".jpeg", StringComparison.OrdinalIgnoreCase))
                {
                    return Error(400, "The image format is not supported. Only JPEG images can be published.", 9004, 2207005);
                }

                container = new Container(userId, "IMAGE", Field("caption"), carouselItem, [], "FINISHED", 0);
                break;
            case "REELS" or "VIDEO" when Field("video_url") is { Length: > 0 }:
                container = new Container(userId, Field("media_type"), Field("caption"), carouselItem, [], "IN_PROGRESS", VideoPollsUntilFinished);
                break;
            case "CAROUSEL":
                var children = Field("children").Split(',', StringSplitOptions.RemoveEmptyEntries);
                if (children.Length is < 2 or > 10 || children.Any(c => !_containers.TryGetValue(c, out var child) || !child.CarouselItem || child.Status != "FINISHED"))
                {
                    return Error(400, "The carousel has too little or too many attachments, or one is not ready.", 100, 2207028);
                }

                container = new Container(userId, "CAROUSEL", Field("caption"), false, children, "FINISHED", 0);
                break;
            default:
                return Error(400, "(#100) The parameter image_url or video_url is required", 100);
        }

        var id = NextId();
        _containers[id] = container;
        return Json(new JsonObject { ["id"] = id });
    }

    /// <summary>
    /// The documented rules of the optional container fields: collaborators a JSON array of at most 3 usernames (not on
    /// stories or carousel items), share_to_feed on reels only, alt_text on a single image only, no caption on a story.
    /// </summary>
    private static string? OptionProblem(Func<string, string> field)
    {
        var type = field("media_type");
        if (field("collaborators") is { Length: > 0 } collaborators &&
            (type == "STORIES" || field("is_carousel_item") == "true" || JsonNode.Parse(collaborators) is not JsonArray { Count: >= 1 and <= 3 }))
        {
            return "(#100) collaborators must be a list of 1 to 3 usernames, on feed posts and reels only";
        }

        if (field("share_to_feed").Length > 0 && (type != "REELS" || field("share_to_feed") is not ("true" or "false")))
        {
            return "(#100) share_to_feed applies to reels only";
        }

        if (field("alt_text").Length > 0 && (type.Length > 0 || field("image_url").Length == 0 || field("is_carousel_item") == "true"))
        {
            return "(#100) alt_text applies to a single image only";
        }

        return type == "STORIES" && field("caption").Length > 0 ? "(#100) Stories do not take a caption" : null;
    }

    private (string? MediaId, IResult? Error) Publish(string userId, string creationId)
    {
        if (!_containers.TryGetValue(creationId, out var container) || container.UserId != userId || container.CarouselItem)
        {
            return (null, Error(400, "(#100) Param creation_id must be a valid container", 100));
        }

        switch (container.Status)
        {
            case "IN_PROGRESS":
                return (null, Error(400, "The media is not ready for publishing, please wait for a moment", 9007, 2207027));
            case "PUBLISHED":
                return (null, Error(400, "(#100) This container was already published", 100));
            case not "FINISHED":
                return (null, Error(400, $"The container is {container.Status}", 9007, 2207008));
        }

        if (QuotaUsage >= QuotaTotal)
        {
            return (null, Results.Text(ErrorJson("Application request limit reached", 9, 2207042, userTitle: "Cannot publish more posts",
                userMessage: "You have reached the maximum number of posts that can be published in 24 hours."), "application/json", statusCode: 400));
        }

        QuotaUsage++;
        var mediaId = NextId();
        _media[mediaId] = new JsonObject
        {
            ["id"] = mediaId, ["caption"] = container.Caption is { Length: > 0 } caption ? caption : null,
            ["timestamp"] = Timestamp(_clock.GetUtcNow()), ["media_type"] = container.Type == "CAROUSEL" ? "CAROUSEL_ALBUM" : container.Type,
            ["permalink"] = $"https://www.instagram.com/p/C{mediaId}x/",
        };
        container.Status = "PUBLISHED";
        return (mediaId, null);
    }

    private IResult RecentMedia(HttpContext context, string userId) => Authorized(context, userId) ?? Json(new JsonObject
    {
        ["data"] = new JsonArray([.. _media.Values.OrderByDescending(m => int.Parse(m["id"]!.ToString(), CultureInfo.InvariantCulture)).Select(m => m.DeepClone())]),
        ["paging"] = new JsonObject { ["cursors"] = new JsonObject { ["before"] = "x", ["after"] = "y" } },
    });

    private IResult PublishingLimit(HttpContext context, string userId) => Authorized(context, userId) ?? Json(new JsonObject
    {
        ["data"] = new JsonArray(new JsonObject
        {
            ["quota_usage"] = QuotaUsage, ["config"] = new JsonObject { ["quota_total"] = QuotaTotal, ["quota_duration"] = 86400 },
        }),
    });

    private IResult Insights(HttpContext context, string id)
    {
        if (Authorized(context) is { } denied)
        {
            return denied;
        }

        if (InsightsRefused)
        {
            return Error(400, "(#10) Media Posted Before Business Account Conversion", 100, 2108006);
        }

        var requested = Query(context, "metric").Split(',');
        if (requested.FirstOrDefault(m => !Metrics.Contains(m)) is { } unsupported)
        {
            return Error(400, $"(#100) metric[0] must be one of the following values: {string.Join(", ", Metrics)} (got {unsupported})", 100);
        }

        var values = new Dictionary<string, long> { ["views"] = Views, ["reach"] = Reach, ["likes"] = Likes, ["comments"] = Comments, ["shares"] = Shares, ["saved"] = Saved };
        return Json(new JsonObject
        {
            ["data"] = new JsonArray([.. requested.Select(m => (JsonNode)new JsonObject
            {
                ["name"] = m, ["period"] = "lifetime", ["values"] = new JsonArray(new JsonObject { ["value"] = values[m] }),
                ["title"] = m, ["id"] = $"{id}/insights/{m}/lifetime",
            })]),
        });
    }

    private IResult Node(HttpContext context, string id)
    {
        if (Authorized(context) is { } denied)
        {
            return denied;
        }

        if (id == IgUserId)
        {
            return Json(new JsonObject { ["id"] = IgUserId, ["followers_count"] = Followers, ["follows_count"] = Follows, ["media_count"] = MediaCount });
        }

        if (_containers.TryGetValue(id, out var container))
        {
            container.Poll(VideoError);
            var node = new JsonObject { ["id"] = id, ["status_code"] = container.Status };
            if (container.Status == "ERROR")
            {
                node["status"] = container.Error;
            }

            return Json(node);
        }

        if (_media.TryGetValue(id, out var media))
        {
            var answer = media.DeepClone().AsObject();
            answer["like_count"] = Likes;
            answer["comments_count"] = Comments;
            return Json(answer);
        }

        return Error(400, $"Unsupported get request. Object with ID '{id}' does not exist, cannot be loaded due to missing permissions, or does not support this operation.", 100, 33);
    }

    private IResult? Authorized(HttpContext context, string? userId = null) =>
        RequireToken(context, _tokens.Contains) ?? (userId is not null && userId != IgUserId
            ? Error(400, $"Unsupported post request. Object with ID '{userId}' does not exist.", 100, 33)
            : null);

    private string NextId() => Interlocked.Increment(ref _ids).ToString(CultureInfo.InvariantCulture);

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    private sealed class Container(string userId, string type, string caption, bool carouselItem, string[] children, string status, int pollsUntilFinished)
    {
        private int _polls = pollsUntilFinished;

        public string UserId { get; } = userId;

        public string Type { get; } = type;

        public string Caption { get; } = caption;

        public bool CarouselItem { get; } = carouselItem;

        public string[] Children { get; } = children;

        public string Status { get; set; } = status;

        public string? Error { get; private set; }

        /// <summary>One status read: a processing video moves on after its polls.</summary>
        public void Poll(string? videoError)
        {
            if (Status != "IN_PROGRESS" || Interlocked.Decrement(ref _polls) >= 0)
            {
                return;
            }

            Status = videoError is null ? "FINISHED" : "ERROR";
            Error = videoError;
        }
    }
}
