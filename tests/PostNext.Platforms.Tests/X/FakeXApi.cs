using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PostNext.Platforms.Common;
using PostNext.Platforms.Tests.Common;
using PostNext.Testing;

namespace PostNext.Platforms.Tests.X;

/// <summary>
/// X API v2 as its documentation describes it, on loopback: OAuth 2 token endpoint (HTTP Basic client auth, PKCE S256
/// check, rotating refresh tokens), revoke, users/me, the user's timeline, POST /2/tweets (duplicate check, media
/// validity), the v2 chunked media upload (ordered segments, size check, processing status) and tweet lookup with
/// public metrics. Every call needs a current bearer token. Media to upload is served from <c>/files/{name}</c>.
/// </summary>
public sealed partial class FakeXApi : IAsyncDisposable
{
    public const string UserId = "2244994945";
    public const string Username = "PostNextDev";
    public const string DisplayName = "PostNext Dev";

    private static readonly string[] MediaTypes = ["image/jpeg", "image/png", "image/gif", "image/webp", "video/mp4", "video/quicktime"];
    private static readonly string[] Categories = ["tweet_image", "tweet_gif", "tweet_video"];

    private readonly Lock _gate = new();
    private readonly Dictionary<string, (string Challenge, string RedirectUri)> _codes = [];
    private long _nextId = 1_880_000_000_000_000_000;
    private int _nextToken = 1;

    private FakeXApi()
    {
    }

    public FakePlatformServer Server { get; private set; } = null!;

    /// <summary>Access tokens the API accepts.</summary>
    public HashSet<string> AccessTokens { get; } = ["access-token-1"];

    /// <summary>The one refresh token that is currently valid (X rotates them).</summary>
    public string? RefreshToken { get; set; } = "refresh-token-1";

    /// <summary>Whether a refresh returns a new refresh token (invalidating the old one) or none (the old one stays valid).</summary>
    public bool RotateRefreshTokens { get; set; } = true;

    public List<FakeTweet> Tweets { get; } = [];

    public Dictionary<string, FakeUpload> Uploads { get; } = [];

    /// <summary>How many status polls a video stays in_progress before it succeeds.</summary>
    public int ProcessingPolls { get; set; } = 1;

    /// <summary>When set, processing ends in "failed" with this message.</summary>
    public string? ProcessingError { get; set; }

    public int CheckAfterSecs { get; set; } = 1;

    public (long Followers, long Following, long Tweets) UserMetrics { get; set; } = (1200, 150, 3400);

    /// <summary>How long a new post stays off the author's timeline (X lists a post a while after creating it).</summary>
    public TimeSpan TimelineLag { get; set; }

    /// <summary>The n-th POST /2/tweets (1-based, counted from the start) creates its post and then never answers.</summary>
    public int? HangAtCreate { get; set; }

    /// <summary>The n-th POST /2/tweets (1-based) answers 503 and creates nothing.</summary>
    public int? UnavailableAtCreate { get; set; }

    private int _creates;

    /// <summary>When set, every call answers 402: the app's pay-per-use credits are spent.</summary>
    public bool CreditsExhausted { get; set; }

    public static async Task<FakeXApi> StartAsync()
    {
        var api = new FakeXApi();
        api.Server = await FakePlatformServer.StartAsync(api.Map);
        return api;
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();

    /// <summary>Serves bytes at a loopback URL, as a post's media would be hosted.</summary>
    public string ServeFile(string name, byte[] bytes, string contentType) => Server.ServeFile("files/" + name, bytes, contentType).ToString();

    /// <summary>What the authorize page hands back after consent: a one-time code bound to the PKCE challenge and redirect URI.</summary>
    public string IssueCode(string codeChallenge, Uri redirectUri)
    {
        var code = "code-" + Interlocked.Increment(ref _nextToken);
        _codes[code] = (codeChallenge, redirectUri.ToString());
        return code;
    }

    /// <summary>The next POST /2/tweets creates the post and then never answers (the client times out).</summary>
    public void CreateThenHang() => Server.Fail("POST", "/2/tweets", async context =>
    {
        await CreateTweetAsync(context);
        await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
    });

    public FakeTweet AddTweet(string text, DateTimeOffset createdAt, params string[] mediaKeys)
    {
        lock (_gate)
        {
            var tweet = new FakeTweet((++_nextId).ToString(CultureInfo.InvariantCulture), text, createdAt, [.. mediaKeys]);
            Tweets.Add(tweet);
            return tweet;
        }
    }

    private void Map(IEndpointRouteBuilder app)
    {
        // The consent page, for browser tests: the person agrees at once and is sent back with a code and the state.
        app.MapGet("/i/oauth2/authorize", (string redirect_uri, string state, string code_challenge) =>
        {
            var redirect = new Uri(redirect_uri);
            return Results.Redirect($"{redirect}?code={IssueCode(code_challenge, redirect)}&state={Uri.EscapeDataString(state)}");
        });
        app.MapPost("/2/oauth2/token", Handle(TokenAsync));
        app.MapPost("/2/oauth2/revoke", Handle(RevokeAsync));
        app.MapGet("/2/users/me", Handle(MeAsync));
        app.MapGet("/2/users/{id}/tweets", Handle(TimelineAsync));
        app.MapPost("/2/tweets", Handle(CreateTweetAsync));
        app.MapGet("/2/tweets/{id}", Handle(LookupAsync));
        app.MapPost("/2/media/upload/initialize", Handle(InitializeAsync));
        app.MapPost("/2/media/upload/{id}/append", Handle(AppendAsync));
        app.MapPost("/2/media/upload/{id}/finalize", Handle(FinalizeAsync));
        app.MapGet("/2/media/upload", Handle(StatusAsync));
    }

    private async Task<Reply> TokenAsync(HttpContext context)
    {
        if (!IsClient(context.Request.Headers.Authorization.ToString()))
        {
            return new Reply(401, new JsonObject { ["error"] = "unauthorized_client", ["error_description"] = "Missing valid authorization header" });
        }

        var form = await context.Request.ReadFormAsync();
        lock (_gate)
        {
            switch (form["grant_type"].ToString())
            {
                case "authorization_code":
                    var code = form["code"].ToString();
                    if (!_codes.Remove(code, out var issued) || issued.RedirectUri != form["redirect_uri"].ToString() ||
                        Pkce.ChallengeS256(form["code_verifier"].ToString()) != issued.Challenge)
                    {
                        return InvalidGrant("Value passed for the authorization code was invalid.");
                    }

                    return IssueTokens(rotate: true);
                case "refresh_token":
                    if (RefreshToken is null || form["refresh_token"].ToString() != RefreshToken)
                    {
                        return InvalidGrant("Value passed for the token was invalid.");
                    }

                    return IssueTokens(RotateRefreshTokens);
                default:
                    return InvalidGrant("Missing required parameter [grant_type].");
            }
        }
    }

    private Reply IssueTokens(bool rotate)
    {
        var n = Interlocked.Increment(ref _nextToken);
        var access = $"x-access-{n}";
        AccessTokens.Add(access);
        var json = new JsonObject
        {
            ["token_type"] = "bearer",
            ["expires_in"] = 7200,
            ["access_token"] = access,
            ["scope"] = "tweet.read tweet.write users.read offline.access media.write",
        };
        if (rotate)
        {
            RefreshToken = $"x-refresh-{n}";
            json["refresh_token"] = RefreshToken;
        }

        return new Reply(200, json);
    }

    private static Reply InvalidGrant(string description) =>
        new(400, new JsonObject { ["error"] = "invalid_request", ["error_description"] = description });

    private async Task<Reply> RevokeAsync(HttpContext context)
    {
        if (!IsClient(context.Request.Headers.Authorization.ToString()))
        {
            return new Reply(401, new JsonObject { ["error"] = "unauthorized_client" });
        }

        var token = (await context.Request.ReadFormAsync())["token"].ToString();
        lock (_gate)
        {
            AccessTokens.Remove(token);
            if (token == RefreshToken)
            {
                RefreshToken = null;
            }
        }

        return new Reply(200, new JsonObject { ["revoked"] = true });
    }

    private Task<Reply> MeAsync(HttpContext context)
    {
        var user = new JsonObject { ["id"] = UserId, ["name"] = DisplayName, ["username"] = Username };
        if (context.Request.Query["user.fields"].ToString().Split(',').Contains("public_metrics"))
        {
            user["public_metrics"] = new JsonObject
            {
                ["followers_count"] = UserMetrics.Followers,
                ["following_count"] = UserMetrics.Following,
                ["tweet_count"] = UserMetrics.Tweets,
                ["listed_count"] = 7,
                ["like_count"] = 90,
            };
        }

        return Task.FromResult(new Reply(200, new JsonObject { ["data"] = user }));
    }

    private Task<Reply> TimelineAsync(HttpContext context)
    {
        var query = context.Request.Query;
        if ((string?)context.Request.RouteValues["id"] != UserId)
        {
            return Task.FromResult(Problem(404, "Not Found Error", "Could not find user.", "resource-not-found"));
        }

        var max = int.TryParse(query["max_results"], out var m) ? m : 10;
        DateTimeOffset? start = null;
        if (query.ContainsKey("start_time"))
        {
            if (!DateTimeOffset.TryParseExact(query["start_time"], "yyyy-MM-ddTHH:mm:ssZ", CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var s))
            {
                return Task.FromResult(Problem(400, "Invalid Request", "Invalid 'start_time'.", "invalid-request"));
            }

            start = s;
        }

        if (max is < 5 or > 100)
        {
            return Task.FromResult(Problem(400, "Invalid Request", "The `max_results` query parameter value is not between 5 and 100", "invalid-request"));
        }

        var fields = query["tweet.fields"].ToString().Split(',');
        List<FakeTweet> matching;
        lock (_gate)
        {
            var visibleBefore = DateTimeOffset.UtcNow - TimelineLag;
            var withoutReplies = query["exclude"].ToString().Split(',').Contains("replies");
            matching = [.. Tweets.Where(t => (start is null || t.CreatedAt >= start) && t.CreatedAt <= visibleBefore && !(withoutReplies && t.InReplyTo is not null))
                .OrderByDescending(t => t.CreatedAt)];
        }

        var offset = int.TryParse(query["pagination_token"], out var o) ? o : 0;
        var page = matching.Skip(offset).Take(max).ToList();
        var meta = new JsonObject { ["result_count"] = page.Count };
        if (page.Count > 0)
        {
            meta["newest_id"] = page[0].Id;
            meta["oldest_id"] = page[^1].Id;
        }

        if (offset + max < matching.Count)
        {
            meta["next_token"] = (offset + max).ToString(CultureInfo.InvariantCulture);
        }

        var json = new JsonObject { ["meta"] = meta };
        if (page.Count > 0)
        {
            json["data"] = new JsonArray([.. page.Select(t => Render(t, fields))]);
        }

        return Task.FromResult(new Reply(200, json));
    }

    /// <summary>
    /// A tweet as X returns it: entities HTML-escaped, links rewritten to t.co, a media link appended. A post longer than
    /// 280 weighted characters is cut short in <c>text</c>; its whole text is in <c>note_tweet.text</c> when asked for.
    /// </summary>
    private static JsonObject Render(FakeTweet tweet, string[] fields)
    {
        var text = Rewritten(tweet.Text);
        var isNote = PostNext.Content.Rules.TwitterText.WeightedLength(tweet.Text) > 280;
        var full = text;
        if (isNote)
        {
            text = text[..Math.Min(text.Length, 270)] + "…";
        }

        if (tweet.MediaKeys.Count > 0)
        {
            text = (text + " https://t.co/" + Guid.NewGuid().ToString("N")[..10]).Trim();
        }

        var json = new JsonObject { ["id"] = tweet.Id, ["text"] = text, ["edit_history_tweet_ids"] = new JsonArray(tweet.Id) };
        if (isNote && fields.Contains("note_tweet"))
        {
            json["note_tweet"] = new JsonObject { ["text"] = full, ["entities"] = new JsonObject() };
        }

        if (fields.Contains("created_at"))
        {
            json["created_at"] = tweet.CreatedAt.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ss.fffZ", CultureInfo.InvariantCulture);
        }

        if (fields.Contains("referenced_tweets") && tweet.InReplyTo is { } parent)
        {
            json["referenced_tweets"] = new JsonArray(new JsonObject { ["type"] = "replied_to", ["id"] = parent });
        }

        if (fields.Contains("attachments") && tweet.MediaKeys.Count > 0)
        {
            json["attachments"] = new JsonObject { ["media_keys"] = new JsonArray([.. tweet.MediaKeys.Select(k => JsonValue.Create(k))]) };
        }

        return json;
    }

    private static string Rewritten(string text) =>
        Links().Replace(text.Replace("&", "&amp;", StringComparison.Ordinal).Replace("<", "&lt;", StringComparison.Ordinal)
            .Replace(">", "&gt;", StringComparison.Ordinal), _ => "https://t.co/" + Guid.NewGuid().ToString("N")[..10]);

    private async Task<Reply> CreateTweetAsync(HttpContext context)
    {
        if (Unauthorized(context) is { } denied)
        {
            return denied;
        }

        if (CreditsExhausted)
        {
            // X's pay-per-use answer when the app's credits are spent.
            return Problem(402, "CreditsDepleted", "Your enrolled account does not have any credits to fulfill this request.", "credits-depleted");
        }

        if (context.Request.ContentType?.StartsWith("application/json", StringComparison.Ordinal) != true)
        {
            return Problem(415, "Unsupported Media Type", "Content-Type must be application/json.", "about:blank");
        }

        var create = Interlocked.Increment(ref _creates);
        if (create == UnavailableAtCreate)
        {
            return Problem(503, "Service Unavailable", "Service Unavailable", "about:blank");
        }

        var body = await JsonNode.ParseAsync(context.Request.Body) as JsonObject ?? [];
        var text = body["text"]?.GetValue<string>();
        var inReplyTo = body["reply"]?["in_reply_to_tweet_id"]?.GetValue<string>();
        var mediaIds = (body["media"]?["media_ids"] as JsonArray ?? []).Select(i => i!.GetValue<string>()).ToList();
        if (string.IsNullOrEmpty(text) && mediaIds.Count == 0)
        {
            return InvalidRequest("$.text or $.media is required.");
        }

        lock (_gate)
        {
            var keys = new List<string>();
            foreach (var id in mediaIds)
            {
                if (!Uploads.TryGetValue(id, out var upload) || !upload.Finalized || upload.State is not null and not "succeeded")
                {
                    return InvalidRequest("Your media IDs are invalid.");
                }

                keys.Add(upload.MediaKey);
            }

            if (!string.IsNullOrEmpty(text) && Tweets.Any(t => t.Text == text))
            {
                return Problem(403, "Forbidden", "You are not allowed to create a Tweet with duplicate content.", "about:blank");
            }

            if (inReplyTo is not null && Tweets.All(t => t.Id != inReplyTo))
            {
                return InvalidRequest("The Tweet you are replying to has been deleted or is not visible to you.");
            }

            var tweet = AddTweet(text ?? "", DateTimeOffset.UtcNow, [.. keys]);
            tweet.InReplyTo = inReplyTo;
            if (create == HangAtCreate)
            {
                // Created, and the answer never comes: the caller cannot know.
                return new Reply(0, new JsonObject());
            }

            return new Reply(201, new JsonObject
            {
                ["data"] = new JsonObject { ["id"] = tweet.Id, ["text"] = tweet.Text, ["edit_history_tweet_ids"] = new JsonArray(tweet.Id) },
            });
        }
    }

    private Task<Reply> LookupAsync(HttpContext context)
    {
        if (Unauthorized(context) is { } denied)
        {
            return Task.FromResult(denied);
        }

        var id = (string)context.Request.RouteValues["id"]!;
        var query = context.Request.Query;
        FakeTweet? tweet;
        lock (_gate)
        {
            tweet = Tweets.FirstOrDefault(t => t.Id == id);
        }

        if (tweet is null)
        {
            return Task.FromResult(new Reply(200, new JsonObject
            {
                ["errors"] = new JsonArray(new JsonObject
                {
                    ["value"] = id, ["detail"] = $"Could not find tweet with id: [{id}].", ["title"] = "Not Found Error",
                    ["resource_type"] = "tweet", ["parameter"] = "id", ["resource_id"] = id,
                    ["type"] = "https://api.twitter.com/2/problems/resource-not-found",
                }),
            }));
        }

        var data = Render(tweet, query["tweet.fields"].ToString().Split(','));
        if (query["tweet.fields"].ToString().Split(',').Contains("public_metrics"))
        {
            data["public_metrics"] = new JsonObject
            {
                ["retweet_count"] = tweet.Retweets, ["reply_count"] = tweet.Replies, ["like_count"] = tweet.Likes,
                ["quote_count"] = tweet.Quotes, ["bookmark_count"] = tweet.Bookmarks, ["impression_count"] = tweet.Impressions,
            };
        }

        var json = new JsonObject { ["data"] = data };
        if (query["expansions"].ToString().Split(',').Contains("attachments.media_keys") && tweet.MediaKeys.Count > 0)
        {
            data["attachments"] = new JsonObject { ["media_keys"] = new JsonArray([.. tweet.MediaKeys.Select(k => JsonValue.Create(k))]) };
            var withMetrics = query["media.fields"].ToString().Split(',').Contains("public_metrics");
            json["includes"] = new JsonObject
            {
                ["media"] = new JsonArray([.. tweet.MediaKeys.Select(k =>
                {
                    var video = k.StartsWith("7_", StringComparison.Ordinal);
                    var m = new JsonObject { ["media_key"] = k, ["type"] = video ? "video" : "photo" };
                    if (withMetrics && video)
                    {
                        m["public_metrics"] = new JsonObject { ["view_count"] = tweet.VideoViews };
                    }

                    return m;
                })]),
            };
        }

        return Task.FromResult(new Reply(200, json));
    }

    private async Task<Reply> InitializeAsync(HttpContext context)
    {
        if (Unauthorized(context) is { } denied)
        {
            return denied;
        }

        var body = await JsonNode.ParseAsync(context.Request.Body) as JsonObject ?? [];
        var type = body["media_type"]?.GetValue<string>();
        var category = body["media_category"]?.GetValue<string>();
        var total = body["total_bytes"]?.GetValue<long>() ?? 0;
        if (type is null || !MediaTypes.Contains(type) || category is null || !Categories.Contains(category) || total <= 0)
        {
            return InvalidRequest("media_type, total_bytes and media_category are required and must be valid.");
        }

        lock (_gate)
        {
            var id = (++_nextId).ToString(CultureInfo.InvariantCulture);
            var prefix = category switch { "tweet_video" => "7", "tweet_gif" => "16", _ => "3" };
            Uploads[id] = new FakeUpload(id, $"{prefix}_{id}", type, category, total);
            return new Reply(200, new JsonObject
            {
                ["data"] = new JsonObject { ["id"] = id, ["media_key"] = $"{prefix}_{id}", ["expires_after_secs"] = 86400 },
            });
        }
    }

    private async Task<Reply> AppendAsync(HttpContext context)
    {
        if (Unauthorized(context) is { } denied)
        {
            return denied;
        }

        if (!context.Request.HasFormContentType || !context.Request.ContentType!.StartsWith("multipart/form-data", StringComparison.Ordinal))
        {
            return InvalidRequest("APPEND takes multipart/form-data.");
        }

        var form = await context.Request.ReadFormAsync();
        var file = form.Files["media"];
        lock (_gate)
        {
            if (!Uploads.TryGetValue((string)context.Request.RouteValues["id"]!, out var upload) || upload.Finalized)
            {
                return InvalidRequest("Unknown or finalized media id.");
            }

            if (!int.TryParse(form["segment_index"], out var index) || index != upload.Segments.Count || file is null)
            {
                return InvalidRequest($"segment_index must be {upload.Segments.Count} and media must be attached.");
            }

            using var copy = new MemoryStream();
            file.CopyTo(copy);
            upload.Segments.Add(copy.ToArray());
            if (upload.Received > upload.TotalBytes)
            {
                return InvalidRequest("More bytes than total_bytes.");
            }

            return new Reply(200, new JsonObject { ["data"] = new JsonObject { ["expires_at"] = DateTimeOffset.UtcNow.AddDays(1).ToUnixTimeSeconds() } });
        }
    }

    private Task<Reply> FinalizeAsync(HttpContext context)
    {
        if (Unauthorized(context) is { } denied)
        {
            return Task.FromResult(denied);
        }

        lock (_gate)
        {
            if (!Uploads.TryGetValue((string)context.Request.RouteValues["id"]!, out var upload) || upload.Finalized)
            {
                return Task.FromResult(InvalidRequest("Unknown or finalized media id."));
            }

            if (upload.Received != upload.TotalBytes)
            {
                return Task.FromResult(InvalidRequest("Segments do not add up to provided total file size."));
            }

            upload.Finalized = true;
            var data = new JsonObject { ["id"] = upload.Id, ["media_key"] = upload.MediaKey, ["size"] = upload.TotalBytes, ["expires_after_secs"] = 86400 };
            if (upload.Category == "tweet_video")
            {
                upload.State = "pending";
                upload.PollsLeft = ProcessingPolls;
                data["processing_info"] = new JsonObject { ["state"] = "pending", ["check_after_secs"] = CheckAfterSecs };
            }

            return Task.FromResult(new Reply(200, new JsonObject { ["data"] = data }));
        }
    }

    private Task<Reply> StatusAsync(HttpContext context)
    {
        if (Unauthorized(context) is { } denied)
        {
            return Task.FromResult(denied);
        }

        lock (_gate)
        {
            if (context.Request.Query["command"] != "STATUS" ||
                !Uploads.TryGetValue(context.Request.Query["media_id"].ToString(), out var upload) || !upload.Finalized)
            {
                return Task.FromResult(InvalidRequest("command=STATUS needs the media_id of a finalized upload."));
            }

            upload.StatusPolls++;
            JsonObject info;
            if (upload.State is null or "succeeded")
            {
                info = new JsonObject { ["state"] = "succeeded", ["progress_percent"] = 100 };
            }
            else if (ProcessingError is not null)
            {
                upload.State = "failed";
                info = new JsonObject
                {
                    ["state"] = "failed", ["progress_percent"] = 40,
                    ["error"] = new JsonObject { ["code"] = 1, ["name"] = "InvalidMedia", ["message"] = ProcessingError },
                };
            }
            else if (upload.PollsLeft-- > 0)
            {
                upload.State = "in_progress";
                info = new JsonObject { ["state"] = "in_progress", ["check_after_secs"] = CheckAfterSecs, ["progress_percent"] = 50 };
            }
            else
            {
                upload.State = "succeeded";
                info = new JsonObject { ["state"] = "succeeded", ["progress_percent"] = 100 };
            }

            return Task.FromResult(new Reply(200, new JsonObject { ["data"] = new JsonObject { ["id"] = upload.Id, ["processing_info"] = info } }));
        }
    }

    private Reply? Unauthorized(HttpContext context)
    {
        var header = context.Request.Headers.Authorization.ToString();
        lock (_gate)
        {
            return header.StartsWith("Bearer ", StringComparison.Ordinal) && AccessTokens.Contains(header["Bearer ".Length..])
                ? null
                : new Reply(401, new JsonObject { ["title"] = "Unauthorized", ["type"] = "about:blank", ["status"] = 401, ["detail"] = "Unauthorized" });
        }
    }

    private static bool IsClient(string authorization)
    {
        if (!authorization.StartsWith("Basic ", StringComparison.Ordinal))
        {
            return false;
        }

        var pair = Encoding.UTF8.GetString(Convert.FromBase64String(authorization["Basic ".Length..])).Split(':', 2);
        return pair.Length == 2 && Uri.UnescapeDataString(pair[0]) == ConnectorHarness.ClientId && Uri.UnescapeDataString(pair[1]) == ConnectorHarness.ClientSecret;
    }

    private static Reply InvalidRequest(string message) => new(400, new JsonObject
    {
        ["errors"] = new JsonArray(new JsonObject { ["message"] = message }),
        ["title"] = "Invalid Request",
        ["detail"] = "One or more parameters to your request was invalid.",
        ["type"] = "https://api.twitter.com/2/problems/invalid-request",
    });

    private static Reply Problem(int status, string title, string detail, string type) => new(status, new JsonObject
    {
        ["title"] = title, ["detail"] = detail, ["type"] = type.Contains(':', StringComparison.Ordinal) ? type : "https://api.twitter.com/2/problems/" + type,
        ["status"] = status,
    });

    private static RequestDelegate Handle(Func<HttpContext, Task<Reply>> handler) => async context =>
    {
        var reply = await handler(context);
        if (reply.Status == 0)
        {
            await Task.Delay(TimeSpan.FromSeconds(60), context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default);
            return;
        }

        context.Response.StatusCode = reply.Status;
        context.Response.ContentType = "application/json";
        await context.Response.WriteAsync(reply.Body.ToJsonString(new JsonSerializerOptions { WriteIndented = false }));
    };

    [GeneratedRegex(@"https?://\S+")]
    private static partial Regex Links();

    private sealed record Reply(int Status, JsonNode Body);
}

public sealed record FakeTweet(string Id, string Text, DateTimeOffset CreatedAt, IReadOnlyList<string> MediaKeys)
{
    /// <summary>The post this one replies to (<c>reply.in_reply_to_tweet_id</c>), if any.</summary>
    public string? InReplyTo { get; set; }

    public long Likes { get; set; }

    public long Replies { get; set; }

    public long Retweets { get; set; }

    public long Quotes { get; set; }

    public long Bookmarks { get; set; }

    public long Impressions { get; set; }

    public long VideoViews { get; set; }
}

public sealed class FakeUpload(string id, string mediaKey, string mediaType, string category, long totalBytes)
{
    public string Id { get; } = id;

    public string MediaKey { get; } = mediaKey;

    public string MediaType { get; } = mediaType;

    public string Category { get; } = category;

    public long TotalBytes { get; } = totalBytes;

    public List<byte[]> Segments { get; } = [];

    public long Received => Segments.Sum(s => (long)s.Length);

    public bool Finalized { get; set; }

    /// <summary>Processing state after finalize (videos): pending, in_progress, succeeded, failed; null = none needed.</summary>
    public string? State { get; set; }

    public int PollsLeft { get; set; }

    public int StatusPolls { get; set; }
}
