using System.Globalization;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Routing;
using PostNext.Platforms.LinkedIn;
using PostNext.Platforms.Tests.Common;
using PostNext.Testing;

namespace PostNext.Platforms.Tests.LinkedIn;

/// <summary>
/// LinkedIn's APIs as documented, on loopback: the OAuth token endpoint (client secret in the form, refresh tokens only
/// for partner apps), revoke, /v2/userinfo, the Posts API (little-text commentary rendered as LinkedIn would, duplicate
/// detection, media validity, finder by author), the Images and Videos upload flows (parts, ETags, finalize, processing
/// status), member and organization analytics and follower counts. Every /rest call must carry the LinkedIn-Version and
/// X-Restli-Protocol-Version headers, a current bearer token, and URL-encoded URNs.
/// </summary>
public sealed partial class FakeLinkedInApi : IAsyncDisposable
{
    public const string MemberSub = "782bbtaQ";
    public const string MemberUrn = "urn:li:person:" + MemberSub;
    public const string MemberName = "Ada Lovelace";
    public const string OrganizationUrn = "urn:li:organization:5515715";
    public const string OrganizationName = "PostNext Labs";
    public const string OrganizationVanityName = "postnext-labs";

    /// <summary>A page the member only analyses (role ANALYST): it may not post as it.</summary>
    public const string AnalystOrganizationUrn = "urn:li:organization:2414183";

    private const string OrganizationScopes = "w_organization_social,r_organization_social,rw_organization_admin";

    private readonly Lock _gate = new();
    private readonly Dictionary<string, string> _codes = [];
    private long _next = 7_100_000_000_000_000_000;

    private FakeLinkedInApi()
    {
    }

    public FakePlatformServer Server { get; private set; } = null!;

    /// <summary>The LinkedIn-Version the API accepts.</summary>
    public string Version { get; set; } = LinkedInConnector.DefaultApiVersion;

    /// <summary>Access tokens by state: valid, expired or revoked (anything else is invalid).</summary>
    public Dictionary<string, TokenState> AccessTokens { get; } = new() { ["access-token-1"] = TokenState.Valid };

    /// <summary>Whether the app is an approved partner (gets refresh tokens).</summary>
    public bool PartnerApp { get; set; }

    public string? RefreshToken { get; set; } = "li-refresh-1";

    /// <summary>Whether a refresh answer repeats the (non-rotating) refresh token.</summary>
    public bool RepeatRefreshToken { get; set; } = true;

    /// <summary>Whether the member's token may list the member's posts (r_member_social, restricted).</summary>
    public bool MemberPostsReadable { get; set; }

    public List<FakeLinkedInPost> Posts { get; } = [];

    public Dictionary<string, FakeImage> Images { get; } = [];

    public Dictionary<string, FakeVideo> Videos { get; } = [];

    public int VideoPartSize { get; set; } = 4 * 1024 * 1024;

    public int ProcessingPolls { get; set; } = 1;

    public string? VideoFailure { get; set; }

    /// <summary>Whether the app holds the member analytics scopes (Community Management API, vetted organisations only).</summary>
    public bool MemberAnalyticsGranted { get; set; } = true;

    public long MemberFollowers { get; set; } = 961;

    public long OrganizationFollowers { get; set; } = 42_000;

    /// <summary>Whether the app holds the organization scopes (Community Management API): tokens issued then may act for the member's pages.</summary>
    public bool OrganizationScopesGranted { get; set; }

    /// <summary>Whether the app holds rw_organization_admin (organization statistics and follower counts).</summary>
    public bool OrganizationAnalyticsGranted { get; set; } = true;

    /// <summary>The access tokens that carry the organization scopes (the test harness's token does).</summary>
    public HashSet<string> OrganizationTokens { get; } = ["access-token-1"];

    public static async Task<FakeLinkedInApi> StartAsync()
    {
        var api = new FakeLinkedInApi();
        api.Server = await FakePlatformServer.StartAsync(api.Map);
        return api;
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    public string ServeFile(string name, byte[] bytes, string contentType) => Server.ServeFile("files/" + name, bytes, contentType).ToString();

    /// <summary>The code LinkedIn's consent page hands back, bound to the redirect URI.</summary>
    public string IssueCode(Uri redirectUri)
    {
        var code = "li-code-" + Interlocked.Increment(ref _next);
        _codes[code] = redirectUri.ToString();
        return code;
    }

    /// <summary>The next POST /rest/posts creates the post and then never answers.</summary>
    public void CreateThenHang() => Server.Fail("POST", "/rest/posts", async context =>
    {
        await CreatePostAsync(context);
        await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
    });

    public FakeLinkedInPost AddPost(string author, string commentary, DateTimeOffset createdAt, string kind = "share", params string[] media)
    {
        lock (_gate)
        {
            var post = new FakeLinkedInPost($"urn:li:{kind}:{++_next}", author, commentary, createdAt, [.. media]);
            Posts.Add(post);
            return post;
        }
    }

    /// <summary>What LinkedIn shows for a little-text commentary: escapes resolved, text cut at an unescaped reserved character.</summary>
    public static string Rendered(string commentary)
    {
        var shown = new System.Text.StringBuilder();
        for (var i = 0; i < commentary.Length; i++)
        {
            var c = commentary[i];
            if (c == '\\' && i + 1 < commentary.Length && LittleText.Reserved.Contains(commentary[i + 1], StringComparison.Ordinal))
            {
                shown.Append(commentary[++i]);
            }
            else if (LittleText.Reserved.Contains(c, StringComparison.Ordinal))
            {
                break;
            }
            else
            {
                shown.Append(c);
            }
        }

        return shown.ToString();
    }

    private void Map(IEndpointRouteBuilder app)
    {
        app.MapPost("/oauth/v2/accessToken", Handle(TokenAsync, rest: false, bearer: false));
        app.MapPost("/oauth/v2/revoke", Handle(RevokeAsync, rest: false, bearer: false));
        app.MapGet("/v2/userinfo", Handle(UserInfo, rest: false));
        app.MapPost("/rest/posts", Handle(CreatePostAsync));
        app.MapPost("/rest/socialActions/{urn}/comments", Handle(CreateCommentAsync));
        app.MapGet("/rest/socialActions/{urn}/comments", Handle(ListComments));
        app.MapGet("/rest/posts", Handle(FindPosts));
        app.MapPost("/rest/images", Handle(InitializeImageAsync));
        app.MapPut("/dms-uploads/image/{id}", Handle(UploadImageAsync, rest: false));
        app.MapPost("/rest/videos", Handle(VideoActionAsync));
        app.MapPut("/dms-uploads/video/{id}/{part:int}", Handle(UploadPartAsync, rest: false));
        app.MapGet("/rest/videos/{urn}", Handle(VideoStatus));
        app.MapGet("/rest/memberCreatorPostAnalytics", Handle(MemberAnalytics));
        app.MapGet("/rest/organizationalEntityShareStatistics", Handle(context =>
            OrganizationAnalyticsGranted ? ShareStatistics(context) : Error(403, "ACCESS_DENIED", "Not enough permissions to access: organizationalEntityShareStatistics.FINDER-organizationalEntity.20260101", 100)));
        app.MapGet("/rest/organizationAcls", Handle(OrganizationAcls));
        app.MapGet("/rest/organizations/{id}", Handle(context =>
            (string?)context.Request.RouteValues["id"] == OrganizationUrn["urn:li:organization:".Length..]
                ? Ok(new JsonObject { ["id"] = long.Parse(OrganizationUrn["urn:li:organization:".Length..], CultureInfo.InvariantCulture), ["localizedName"] = OrganizationName, ["vanityName"] = OrganizationVanityName })
                : Error(404, "NOT_FOUND", "Organization not found")));
        app.MapGet("/rest/memberFollowersCount", Handle(context =>
            !MemberAnalyticsGranted ? Error(403, "ACCESS_DENIED", "Not enough permissions to access: memberFollowersCount.FINDER-me.20260101", 100)
            : context.Request.Query["q"] == "me"
                ? Ok(new JsonObject { ["paging"] = Paging(1), ["elements"] = new JsonArray(new JsonObject { ["memberFollowersCount"] = MemberFollowers }) })
                : Error(400, "ILLEGAL_ARGUMENT", "q must be me or dateRange")));
        // COMPANY_FOLLOWED_BY_MEMBER counts the members who follow the page; COMPANY_FOLLOWED_BY_COMPANY is another edge
        // (companies following it), far smaller.
        app.MapGet("/rest/networkSizes/{urn}", Handle(context =>
            (string?)context.Request.RouteValues["urn"] != OrganizationUrn ? Error(400, "ILLEGAL_ARGUMENT", "Unknown organization")
            : !OrganizationAnalyticsGranted ? Error(403, "ACCESS_DENIED", "Not enough permissions to access: networkSizes.GET.20260101", 100)
            : context.Request.Query["edgeType"].ToString() switch
            {
                "COMPANY_FOLLOWED_BY_MEMBER" => Ok(new JsonObject { ["firstDegreeSize"] = OrganizationFollowers }),
                "COMPANY_FOLLOWED_BY_COMPANY" => Ok(new JsonObject { ["firstDegreeSize"] = 3 }),
                _ => Error(400, "ILLEGAL_ARGUMENT", "Unknown edgeType"),
            }));
    }

    private async Task<Reply> TokenAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        if (form["client_id"] != ConnectorHarness.ClientId || form["client_secret"] != ConnectorHarness.ClientSecret)
        {
            return new Reply(401, new JsonObject { ["error"] = "invalid_client", ["error_description"] = "Client authentication failed" });
        }

        lock (_gate)
        {
            switch (form["grant_type"].ToString())
            {
                case "authorization_code":
                    if (!_codes.Remove(form["code"].ToString(), out var redirect) || redirect != form["redirect_uri"])
                    {
                        return new Reply(400, new JsonObject
                        {
                            ["error"] = "invalid_request",
                            ["error_description"] = "Unable to retrieve access token: appid/redirect uri/code verifier does not match authorization code. Or authorization code expired.",
                        });
                    }

                    return Tokens(includeRefresh: PartnerApp);
                case "refresh_token" when PartnerApp && RefreshToken is not null && form["refresh_token"] == RefreshToken:
                    return Tokens(includeRefresh: RepeatRefreshToken);
                case "refresh_token":
                    return new Reply(400, new JsonObject { ["error"] = "invalid_request", ["error_description"] = "The provided refresh token is invalid or expired." });
                default:
                    return new Reply(400, new JsonObject { ["error"] = "unsupported_grant_type" });
            }
        }
    }

    private Reply Tokens(bool includeRefresh)
    {
        var access = "li-access-" + Interlocked.Increment(ref _next);
        AccessTokens[access] = TokenState.Valid;
        if (OrganizationScopesGranted)
        {
            OrganizationTokens.Add(access);
        }
        var json = new JsonObject
        {
            ["access_token"] = access,
            ["expires_in"] = 5184000,
            ["scope"] = OrganizationScopesGranted ? "openid,profile,w_member_social," + OrganizationScopes : "openid,profile,w_member_social",
            ["token_type"] = "Bearer",
        };
        if (includeRefresh)
        {
            json["refresh_token"] = RefreshToken;
            json["refresh_token_expires_in"] = 31_000_000; // Does not reset on refresh.
        }

        return new Reply(200, json);
    }

    private async Task<Reply> RevokeAsync(HttpContext context)
    {
        var form = await context.Request.ReadFormAsync();
        if (form["client_id"] != ConnectorHarness.ClientId || form["client_secret"] != ConnectorHarness.ClientSecret)
        {
            return new Reply(401, new JsonObject { ["error"] = "invalid_client" });
        }

        lock (_gate)
        {
            if (AccessTokens.ContainsKey(form["token"].ToString()))
            {
                AccessTokens[form["token"].ToString()] = TokenState.Revoked;
            }
        }

        return new Reply(200, null);
    }

    private Reply UserInfo(HttpContext context) => Ok(new JsonObject
    {
        ["sub"] = MemberSub,
        ["email_verified"] = true,
        ["name"] = MemberName,
        ["locale"] = new JsonObject { ["country"] = "GB", ["language"] = "en" },
        ["given_name"] = "Ada",
        ["family_name"] = "Lovelace",
    });

    /// <summary>Comments made through socialActions, oldest first.</summary>
    public List<FakeLinkedInComment> Comments { get; } = [];

    /// <summary>When set, the next comment is refused with this status and message and nothing is created.</summary>
    public (int Status, string Message)? RefuseNextComment { get; set; }

    /// <summary>
    /// <c>POST /rest/socialActions/{post urn}/comments</c> (Community Management API "Comments"): the actor must be the
    /// caller (member or organization), the object the post of the path, <c>message.text</c> non-empty; answers 201 with
    /// the comment and its URN in <c>x-restli-id</c>.
    /// </summary>
    private async Task<Reply> CreateCommentAsync(HttpContext context)
    {
        var target = (string)context.Request.RouteValues["urn"]!;
        var body = await JsonNode.ParseAsync(context.Request.Body) as JsonObject ?? [];
        var actor = body["actor"]?.ToString();
        var text = body["message"]?["text"]?.ToString();
        lock (_gate)
        {
            if (actor is not (MemberUrn or OrganizationUrn))
            {
                return Error(403, "ACCESS_DENIED", $"Not enough permissions to comment as {actor}");
            }

            if (body["object"]?.ToString() != target || Posts.All(p => p.Urn != target))
            {
                return Invalid("INVALID_VALUE", $"ERROR :: /object :: {body["object"]} is not the post {target}", "/object");
            }

            if (string.IsNullOrEmpty(text))
            {
                return Invalid("MISSING_FIELD", "Field /message/text is required", "/message/text");
            }

            if (RefuseNextComment is { } refusal)
            {
                RefuseNextComment = null;
                return Error(refusal.Status, "ACCESS_DENIED", refusal.Message);
            }

            var id = (7_000_000 + Comments.Count + 1).ToString(System.Globalization.CultureInfo.InvariantCulture);
            var comment = new FakeLinkedInComment($"urn:li:comment:({target},{id})", id, target, actor, text);
            Comments.Add(comment);
            return new Reply(201, Render(comment), ("x-restli-id", comment.Urn));
        }
    }

    private Reply ListComments(HttpContext context)
    {
        var target = (string)context.Request.RouteValues["urn"]!;
        lock (_gate)
        {
            var on = Comments.Where(c => c.Object == target).Select(Render).ToList();
            return Ok(new JsonObject { ["paging"] = Paging(on.Count), ["elements"] = new JsonArray([.. on]) });
        }
    }

    private static JsonObject Render(FakeLinkedInComment comment) => new()
    {
        ["id"] = comment.Id, ["commentUrn"] = comment.Urn, ["actor"] = comment.Actor, ["object"] = comment.Object,
        ["message"] = new JsonObject { ["text"] = comment.Text },
    };

    private async Task<Reply> CreatePostAsync(HttpContext context)
    {
        if (context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
        {
            return Error(415, "UNSUPPORTED_MEDIA_TYPE", "Content-Type must be application/json");
        }

        var body = await JsonNode.ParseAsync(context.Request.Body) as JsonObject ?? [];
        var author = body["author"]?.ToString();
        if (author is not (MemberUrn or OrganizationUrn) || (author == OrganizationUrn && !OrganizationTokens.Contains(BearerToken(context))))
        {
            return Error(403, "ACCESS_DENIED", $"Not enough permissions to create a post for author {author}");
        }

        foreach (var (path, value) in new[]
                 {
                     ("/commentary", body["commentary"]), ("/visibility", body["visibility"]), ("/lifecycleState", body["lifecycleState"]),
                     ("/distribution/feedDistribution", body["distribution"]?["feedDistribution"]),
                 })
        {
            if (value is null)
            {
                return Invalid("MISSING_FIELD", $"Field {path} is required", path);
            }
        }

        var visibility = body["visibility"]!.ToString();
        if (visibility is not ("PUBLIC" or "CONNECTIONS" or "LOGGED_IN") || (visibility == "CONNECTIONS" && author == OrganizationUrn))
        {
            return Invalid("INVALID_VALUE", $"ERROR :: /visibility :: {visibility} is not allowed for author {author}", "/visibility");
        }

        var commentary = body["commentary"]!.ToString();
        var media = new List<string>();
        if (body["content"]?["media"]?["id"]?.ToString() is { } single)
        {
            media.Add(single);
        }

        media.AddRange((body["content"]?["multiImage"]?["images"] as JsonArray ?? []).Select(i => i!["id"]!.ToString()));
        lock (_gate)
        {
            foreach (var id in media)
            {
                var ready = (Images.TryGetValue(id, out var image) && image.Bytes is not null && image.Owner == author) ||
                    (Videos.TryGetValue(id, out var video) && video.Status == "AVAILABLE" && video.Owner == author);
                if (!ready)
                {
                    return Invalid("INVALID_MEDIA", $"ERROR :: /content/media/id :: {id} does not exist or is not ready", "/content/media/id");
                }
            }

            if (Posts.FirstOrDefault(p => p.Author == author && p.Commentary == commentary && commentary.Length > 0) is { } original)
            {
                return new Reply(422, new JsonObject
                {
                    ["errorDetailType"] = "com.linkedin.common.error.BadRequest",
                    ["message"] = $"Content is a duplicate of {original.Urn}",
                    ["errorDetails"] = new JsonObject
                    {
                        ["inputErrors"] = new JsonArray(new JsonObject { ["description"] = "Duplicate post is detected", ["input"] = new JsonObject(), ["code"] = "DUPLICATE_POST" }),
                    },
                    ["status"] = 422,
                });
            }

            var kind = media.Any(Videos.ContainsKey) || media.Count > 1 ? "ugcPost" : "share";
            var post = AddPost(author, commentary, DateTimeOffset.UtcNow, kind, [.. media]);
            post.Visibility = visibility;
            return new Reply(201, null, ("x-restli-id", post.Urn));
        }
    }

    private Reply FindPosts(HttpContext context)
    {
        var query = context.Request.Query;
        if (query["q"] != "author" || context.Request.Headers["X-RestLi-Method"] != "FINDER")
        {
            return Error(400, "ILLEGAL_ARGUMENT", "Finder q=author requires X-RestLi-Method: FINDER");
        }

        var author = query["author"].ToString();
        if (author == MemberUrn && !MemberPostsReadable)
        {
            return Error(403, "ACCESS_DENIED", "Not enough permissions to access: partnerApiPostsExternal.FINDER-author.20260101", 100);
        }

        var start = int.TryParse(query["start"], out var s) ? s : 0;
        var count = int.TryParse(query["count"], out var c) ? c : 10;
        List<FakeLinkedInPost> posts;
        lock (_gate)
        {
            posts = [.. Posts.Where(p => p.Author == author).OrderByDescending(p => p.CreatedAt)];
        }

        return Ok(new JsonObject
        {
            ["paging"] = new JsonObject { ["start"] = start, ["count"] = count, ["links"] = new JsonArray(), ["total"] = posts.Count },
            ["elements"] = new JsonArray([.. posts.Skip(start).Take(count).Select(p => (JsonNode)p.ToJson())]),
        });
    }

    private async Task<Reply> InitializeImageAsync(HttpContext context)
    {
        if (context.Request.Query["action"] != "initializeUpload")
        {
            return Error(400, "ILLEGAL_ARGUMENT", "Unknown action");
        }

        var owner = (await JsonNode.ParseAsync(context.Request.Body))?["initializeUploadRequest"]?["owner"]?.ToString();
        if (owner is not (MemberUrn or OrganizationUrn))
        {
            return Error(403, "ACCESS_DENIED", "Not enough permissions to upload for " + owner);
        }

        lock (_gate)
        {
            var id = (++_next).ToString(CultureInfo.InvariantCulture);
            var urn = "urn:li:image:C4E10AQ" + id;
            Images[urn] = new FakeImage(id, owner);
            return Ok(new JsonObject
            {
                ["value"] = new JsonObject
                {
                    ["uploadUrlExpiresAt"] = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds(),
                    ["uploadUrl"] = Server.Url($"dms-uploads/image/{id}?ca=vector_feedshare&cn=uploads").ToString(),
                    ["image"] = urn,
                },
            });
        }
    }

    private async Task<Reply> UploadImageAsync(HttpContext context)
    {
        using var bytes = new MemoryStream();
        await context.Request.Body.CopyToAsync(bytes);
        lock (_gate)
        {
            var image = Images.Values.FirstOrDefault(i => i.UploadId == (string?)context.Request.RouteValues["id"]);
            if (image is null || bytes.Length == 0)
            {
                return Error(400, "ILLEGAL_ARGUMENT", "Unknown upload or empty body");
            }

            image.Bytes = bytes.ToArray();
            return new Reply(201, null);
        }
    }

    private async Task<Reply> VideoActionAsync(HttpContext context)
    {
        var body = await JsonNode.ParseAsync(context.Request.Body);
        lock (_gate)
        {
            return context.Request.Query["action"].ToString() switch
            {
                "initializeUpload" => InitializeVideo(body?["initializeUploadRequest"]),
                "finalizeUpload" => FinalizeVideo(body?["finalizeUploadRequest"]),
                _ => Error(400, "ILLEGAL_ARGUMENT", "Unknown action"),
            };
        }
    }

    private Reply InitializeVideo(JsonNode? request)
    {
        var owner = request?["owner"]?.ToString();
        var size = request?["fileSizeBytes"]?.GetValue<long>() ?? 0;
        if (owner is not (MemberUrn or OrganizationUrn))
        {
            return Error(403, "ACCESS_DENIED", "Not enough permissions to upload for " + owner);
        }

        if (size <= 0 || request?["uploadCaptions"] is null || request["uploadThumbnail"] is null)
        {
            return Invalid("MISSING_FIELD", "fileSizeBytes, uploadCaptions and uploadThumbnail are required", "/initializeUploadRequest");
        }

        var id = (++_next).ToString(CultureInfo.InvariantCulture);
        var video = new FakeVideo(id, owner, size, size > VideoPartSize ? "token-" + id : "");
        for (long first = 0, n = 0; first < size; first += VideoPartSize, n++)
        {
            video.Parts.Add(new FakeVideoPart(first, Math.Min(size, first + VideoPartSize) - 1, Server.Url($"dms-uploads/video/{id}/{n}?ca=vector_feedshare").ToString()));
        }

        Videos[video.Urn] = video;
        return Ok(new JsonObject
        {
            ["value"] = new JsonObject
            {
                ["uploadUrlsExpireAt"] = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeMilliseconds(),
                ["video"] = video.Urn,
                ["uploadInstructions"] = new JsonArray([.. video.Parts.Select(p => new JsonObject { ["uploadUrl"] = p.Url, ["lastByte"] = p.LastByte, ["firstByte"] = p.FirstByte })]),
                ["uploadToken"] = video.UploadToken,
            },
        });
    }

    private Reply FinalizeVideo(JsonNode? request)
    {
        if (!Videos.TryGetValue(request?["video"]?.ToString() ?? "", out var video) || video.Status != "WAITING_UPLOAD")
        {
            return Error(400, "ILLEGAL_ARGUMENT", "Unknown video or already finalized");
        }

        var ids = (request!["uploadedPartIds"] as JsonArray ?? []).Select(i => i?.ToString()).ToList();
        if (request["uploadToken"]?.ToString() != video.UploadToken || !ids.SequenceEqual(video.Parts.Select(p => p.ETag)) || video.Parts.Any(p => p.ETag is null))
        {
            return Error(400, "ILLEGAL_ARGUMENT", "uploadToken or uploadedPartIds do not match the uploaded parts");
        }

        video.Status = "PROCESSING";
        video.PollsLeft = ProcessingPolls;
        return new Reply(200, null);
    }

    private async Task<Reply> UploadPartAsync(HttpContext context)
    {
        using var bytes = new MemoryStream();
        await context.Request.Body.CopyToAsync(bytes);
        lock (_gate)
        {
            var video = Videos.Values.FirstOrDefault(v => v.Id == (string?)context.Request.RouteValues["id"]);
            var n = int.Parse((string)context.Request.RouteValues["part"]!, CultureInfo.InvariantCulture);
            if (video is null || n >= video.Parts.Count)
            {
                return Error(400, "ILLEGAL_ARGUMENT", "Unknown upload part");
            }

            var part = video.Parts[n];
            if (bytes.Length != part.LastByte - part.FirstByte + 1)
            {
                return Error(400, "ILLEGAL_ARGUMENT", $"Part {n} must be bytes {part.FirstByte}-{part.LastByte}");
            }

            part.Bytes = bytes.ToArray();
            part.ETag = $"/AQHpart{n}-{video.Id}";
            return new Reply(200, null, ("ETag", part.ETag));
        }
    }

    private Reply VideoStatus(HttpContext context)
    {
        lock (_gate)
        {
            if (!Videos.TryGetValue((string)context.Request.RouteValues["urn"]!, out var video))
            {
                return Error(404, "NOT_FOUND", "No such video");
            }

            if (video.Status == "PROCESSING" && video.PollsLeft-- <= 0)
            {
                video.Status = VideoFailure is null ? "AVAILABLE" : "PROCESSING_FAILED";
            }

            var json = new JsonObject { ["id"] = video.Urn, ["owner"] = video.Owner, ["status"] = video.Status };
            if (video.Status == "PROCESSING_FAILED")
            {
                json["processingFailureReason"] = VideoFailure;
            }

            return Ok(json);
        }
    }

    private Reply MemberAnalytics(HttpContext context)
    {
        if (!MemberAnalyticsGranted)
        {
            return Error(403, "ACCESS_DENIED", "Not enough permissions to access: memberCreatorPostAnalytics.FINDER-entity.20260101", 100);
        }

        var query = context.Request.Query;
        var entity = EntityPattern().Match(query["entity"].ToString());
        if (query["q"] != "entity" || !entity.Success || query["aggregation"] != "TOTAL" ||
            query["queryType"].ToString() is not ("IMPRESSION" or "MEMBERS_REACHED" or "RESHARE" or "REACTION" or "COMMENT"))
        {
            return Error(400, "ILLEGAL_ARGUMENT", "q=entity, entity=(share|ugc:<encoded urn>), queryType and aggregation are required");
        }

        var urn = entity.Groups["urn"].Value;
        var post = FindPost(urn);
        if (post is null || post.Author != MemberUrn || (entity.Groups["key"].Value == "ugc") != urn.StartsWith("urn:li:ugcPost:", StringComparison.Ordinal))
        {
            return Error(403, "ACCESS_DENIED", "Not the member's post");
        }

        var type = query["queryType"].ToString();
        var count = type switch { "IMPRESSION" => post.Impressions, "REACTION" => post.Reactions, "COMMENT" => post.Comments, "RESHARE" => post.Reshares, _ => 0 };
        return Ok(new JsonObject
        {
            ["paging"] = Paging(1),
            ["elements"] = new JsonArray(new JsonObject
            {
                ["count"] = count,
                ["metricType"] = new JsonObject { ["com.linkedin.adsexternalapi.memberanalytics.v1.CreatorPostAnalyticsMetricTypeV1"] = type },
                ["targetEntity"] = new JsonObject { [entity.Groups["key"].Value == "ugc" ? "ugcPost" : "share"] = urn },
            }),
        });
    }

    private Reply ShareStatistics(HttpContext context)
    {
        var query = context.Request.Query;
        var list = ListPattern().Match(query.ContainsKey("shares") ? query["shares"].ToString() : query["ugcPosts"].ToString());
        var post = list.Success ? FindPost(list.Groups["urn"].Value) : null;
        if (query["q"] != "organizationalEntity" || query["organizationalEntity"] != OrganizationUrn || post?.Author != OrganizationUrn)
        {
            return Error(400, "ILLEGAL_ARGUMENT", "q=organizationalEntity, the organization and shares=List(<encoded urn>) are required");
        }

        return Ok(new JsonObject
        {
            ["paging"] = Paging(1),
            ["elements"] = new JsonArray(new JsonObject
            {
                ["totalShareStatistics"] = new JsonObject
                {
                    ["uniqueImpressionsCount"] = post.Impressions / 2, ["shareCount"] = post.Reshares, ["engagement"] = 0.05,
                    ["clickCount"] = 3, ["likeCount"] = post.Reactions, ["impressionCount"] = post.Impressions, ["commentCount"] = post.Comments,
                },
                ["share"] = post.Urn,
                ["organizationalEntity"] = OrganizationUrn,
            }),
        });
    }

    private FakeLinkedInPost? FindPost(string urn)
    {
        lock (_gate)
        {
            return Posts.FirstOrDefault(p => p.Urn == urn);
        }
    }

    /// <summary>Every handler sits behind LinkedIn's checks: versions on /rest, a current bearer token, URL-encoded URNs.</summary>
    /// <summary>
    /// The roleAssignee finder: the member's approved roles, as LinkedIn lists them; refused without the organization scopes.
    /// </summary>
    private Reply OrganizationAcls(HttpContext context)
    {
        if (context.Request.Query["q"] != "roleAssignee")
        {
            return Error(400, "ILLEGAL_ARGUMENT", "q must be roleAssignee or organization");
        }

        lock (_gate)
        {
            if (!OrganizationTokens.Contains(BearerToken(context)))
            {
                return Error(403, "ACCESS_DENIED", "Not enough permissions to access: organizationAcls.FINDER-roleAssignee.20260101", 100);
            }
        }

        return Ok(new JsonObject
        {
            ["paging"] = Paging(2),
            ["elements"] = new JsonArray(
                new JsonObject { ["roleAssignee"] = MemberUrn, ["state"] = "APPROVED", ["role"] = "ADMINISTRATOR", ["organization"] = OrganizationUrn },
                new JsonObject { ["roleAssignee"] = MemberUrn, ["state"] = "APPROVED", ["role"] = "ANALYST", ["organization"] = AnalystOrganizationUrn }),
        });
    }

    private static string BearerToken(HttpContext context) =>
        context.Request.Headers.Authorization.ToString() is var header && header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : "";

    private RequestDelegate Handle(Func<HttpContext, Task<Reply>> handler, bool rest = true, bool bearer = true) => async context =>
    {
        var reply = Check(context, rest, bearer) ?? await handler(context);
        context.Response.StatusCode = reply.Status;
        foreach (var (name, value) in reply.Headers)
        {
            context.Response.Headers[name] = value;
        }

        if (reply.Body is not null)
        {
            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(reply.Body.ToJsonString());
        }
    };

    private RequestDelegate Handle(Func<HttpContext, Reply> handler, bool rest = true) => Handle(c => Task.FromResult(handler(c)), rest);

    private Reply? Check(HttpContext context, bool rest, bool bearer)
    {
        if (rest && context.Request.Headers["LinkedIn-Version"] != Version)
        {
            return Error(426, "NONEXISTENT_VERSION", $"Requested version {context.Request.Headers["LinkedIn-Version"]} is not active");
        }

        if (rest && context.Request.Headers["X-Restli-Protocol-Version"] != "2.0.0")
        {
            return Error(400, "ILLEGAL_ARGUMENT", "X-Restli-Protocol-Version 2.0.0 is required");
        }

        if (context.Features.Get<IHttpRequestFeature>()!.RawTarget.Contains("urn:li:", StringComparison.Ordinal))
        {
            return Error(400, "ILLEGAL_ARGUMENT", "URNs in paths and query parameters must be URL-encoded");
        }

        if (!bearer)
        {
            return null;
        }

        var header = context.Request.Headers.Authorization.ToString();
        var token = header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : "";
        lock (_gate)
        {
            return AccessTokens.GetValueOrDefault(token, TokenState.Invalid) switch
            {
                TokenState.Valid => null,
                TokenState.Expired => Error(401, "EXPIRED_ACCESS_TOKEN", "The token used in the request has expired", 65602),
                TokenState.Revoked => Error(401, "REVOKED_ACCESS_TOKEN", "The token used in the request has been revoked by the user", 65601),
                _ => Error(401, "INVALID_ACCESS_TOKEN", "Invalid access token", 65600),
            };
        }
    }

    private static Reply Ok(JsonObject body) => new(200, body);

    private static Reply Error(int status, string code, string message, int? serviceErrorCode = null)
    {
        var json = new JsonObject { ["status"] = status, ["code"] = code, ["message"] = message };
        if (serviceErrorCode is { } s)
        {
            json["serviceErrorCode"] = s;
        }

        return new Reply(status, json);
    }

    private static Reply Invalid(string code, string message, string path) => new(422, new JsonObject
    {
        ["message"] = message,
        ["status"] = 422,
        ["errorDetails"] = new JsonObject
        {
            ["inputErrors"] = new JsonArray(new JsonObject
            {
                ["description"] = message, ["input"] = new JsonObject { ["inputPath"] = new JsonObject { ["fieldPath"] = path } }, ["code"] = code,
            }),
        },
    });

    private static JsonObject Paging(int total) => new() { ["start"] = 0, ["count"] = 10, ["links"] = new JsonArray(), ["total"] = total };

    [GeneratedRegex(@"^\((?<key>share|ugc):(?<urn>urn:li:(share|ugcPost):\d+)\)$")]
    private static partial Regex EntityPattern();

    [GeneratedRegex(@"^List\((?<urn>urn:li:(share|ugcPost):\d+)\)$")]
    private static partial Regex ListPattern();

    private sealed record Reply(int Status, JsonNode? Body, params (string Name, string Value)[] Headers);
}

public enum TokenState
{
    Invalid,
    Valid,
    Expired,
    Revoked,
}

public sealed record FakeLinkedInComment(string Urn, string Id, string Object, string Actor, string Text);

public sealed record FakeLinkedInPost(string Urn, string Author, string Commentary, DateTimeOffset CreatedAt, IReadOnlyList<string> Media)
{
    public string Visibility { get; set; } = "PUBLIC";

    public long Impressions { get; set; }

    public long Reactions { get; set; }

    public long Comments { get; set; }

    public long Reshares { get; set; }

    /// <summary>What members see: the commentary as LinkedIn renders little text.</summary>
    public string Shown => FakeLinkedInApi.Rendered(Commentary);

    public JsonObject ToJson()
    {
        var json = new JsonObject
        {
            ["id"] = Urn, ["author"] = Author, ["commentary"] = Commentary, ["visibility"] = Visibility, ["lifecycleState"] = "PUBLISHED",
            ["createdAt"] = CreatedAt.ToUnixTimeMilliseconds(), ["publishedAt"] = CreatedAt.ToUnixTimeMilliseconds(),
            ["lastModifiedAt"] = CreatedAt.ToUnixTimeMilliseconds(),
            ["distribution"] = new JsonObject { ["feedDistribution"] = "MAIN_FEED", ["targetEntities"] = new JsonArray(), ["thirdPartyDistributionChannels"] = new JsonArray() },
        };
        if (Media.Count == 1)
        {
            json["content"] = new JsonObject { ["media"] = new JsonObject { ["id"] = Media[0] } };
        }
        else if (Media.Count > 1)
        {
            json["content"] = new JsonObject { ["multiImage"] = new JsonObject { ["images"] = new JsonArray([.. Media.Select(m => new JsonObject { ["id"] = m })]) } };
        }

        return json;
    }
}

public sealed class FakeImage(string uploadId, string owner)
{
    public string UploadId { get; } = uploadId;

    public string Owner { get; } = owner;

    public byte[]? Bytes { get; set; }
}

public sealed class FakeVideo(string id, string owner, long size, string uploadToken)
{
    public string Id { get; } = id;

    public string Urn => "urn:li:video:C5F10AQ" + Id;

    public string Owner { get; } = owner;

    public long Size { get; } = size;

    public string UploadToken { get; } = uploadToken;

    public List<FakeVideoPart> Parts { get; } = [];

    public string Status { get; set; } = "WAITING_UPLOAD";

    public int PollsLeft { get; set; }

    public byte[] Bytes => [.. Parts.SelectMany(p => p.Bytes ?? [])];
}

public sealed class FakeVideoPart(long firstByte, long lastByte, string url)
{
    public long FirstByte { get; } = firstByte;

    public long LastByte { get; } = lastByte;

    public string Url { get; } = url;

    public byte[]? Bytes { get; set; }

    public string? ETag { get; set; }
}
