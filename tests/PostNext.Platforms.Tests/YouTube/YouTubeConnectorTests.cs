using System.Net;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.WebUtilities;
using PostNext.Abstractions;
using PostNext.Abstractions.Accounts;
using PostNext.Platforms.Common;
using PostNext.Platforms.Tests.Common;
using PostNext.Platforms.YouTube;
using PostNext.Testing;

using static PostNext.Platforms.Tests.Common.ContractHelpers;

namespace PostNext.Platforms.Tests.YouTube;

/// <summary>The YouTube connector against <see cref="FakeYouTubeApi"/>: exact requests, the token lifecycle, the error taxonomy, resumable-upload reconciliation.</summary>
public sealed class YouTubeConnectorTests
{
    private const int Chunk = FakeYouTubeApi.Granularity;
    private static readonly Uri Callback = new("https://postnext.example/oauth/youtube/callback");
    private static readonly Dictionary<string, string?> SmallChunks = new() { ["ChunkSizeBytes"] = "262144" };
    private static readonly Dictionary<string, string?> SmallChunksTwoSecondTimeout = new() { ["ChunkSizeBytes"] = "262144", ["RequestTimeout"] = "00:00:02" };

    // ---- OAuth ----

    [Fact]
    public async Task Connecting_asks_for_offline_access_with_pkce_and_reads_the_channel()
    {
        await using var fake = await FakeYouTubeApi.StartAsync();
        var time = ConnectorHarness.FakeTime();
        var connector = fake.Connector(time);
        var verifier = Pkce.NewVerifier();

        var url = connector.BuildAuthorizeUrl(new AuthorizeRequest("state-9", Callback, Pkce.ChallengeS256(verifier)));
        var query = QueryHelpers.ParseQuery(url.Query);
        Assert.Equal(fake.Server.Url("o/oauth2/v2/auth").AbsoluteUri, url.GetLeftPart(UriPartial.Path));
        Assert.Equal(ConnectorHarness.ClientId, query["client_id"]);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal("https://www.googleapis.com/auth/youtube.upload https://www.googleapis.com/auth/youtube.readonly", query["scope"]);
        Assert.Equal("offline", query["access_type"]);
        Assert.Equal("consent", query["prompt"]);
        Assert.Equal(Pkce.ChallengeS256(verifier), query["code_challenge"]);
        Assert.Equal("S256", query["code_challenge_method"]);
        Assert.Equal("state-9", query["state"]);
        Assert.Equal(Callback.AbsoluteUri, query["redirect_uri"]);

        var code = await ConsentAsync(url);
        var account = await connector.CompleteConnectAsync(new CodeExchange(code, Callback, verifier), default);

        Assert.Equal(fake.ChannelId, account.ExternalId);
        Assert.Equal("postnextchannel", account.Handle);
        Assert.Equal(fake.ChannelTitle, account.DisplayName);
        Assert.Equal(fake.AccessToken, account.Tokens.AccessToken.Reveal());
        Assert.Equal(fake.RefreshToken, account.Tokens.RefreshToken!.Reveal());
        Assert.Equal(time.GetUtcNow().AddSeconds(3599), account.Tokens.ExpiresAt);
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["client_id"] = ConnectorHarness.ClientId, ["client_secret"] = ConnectorHarness.ClientSecret, ["code"] = code,
                ["grant_type"] = "authorization_code", ["redirect_uri"] = Callback.AbsoluteUri, ["code_verifier"] = verifier,
            },
            Form(Assert.Single(fake.Calls("POST", "/token")).Body));
        var channels = Assert.Single(fake.Calls("GET", "/youtube/v3/channels"));
        Assert.Equal("?part=snippet&mine=true", channels.Query);
        Assert.Equal($"Bearer {fake.AccessToken}", channels.Header("Authorization"));
    }

    [Fact]
    public async Task A_code_exchanged_with_the_wrong_verifier_is_refused_as_auth()
    {
        await using var fake = await FakeYouTubeApi.StartAsync();
        var connector = fake.Connector();
        var code = await ConsentAsync(connector.BuildAuthorizeUrl(new AuthorizeRequest("s", Callback, Pkce.ChallengeS256(Pkce.NewVerifier()))));

        var refused = await Assert.ThrowsAsync<PlatformException>(() => connector.CompleteConnectAsync(new CodeExchange(code, Callback, Pkce.NewVerifier()), default));

        Assert.Equal(ErrorCategory.Auth, refused.Error.Category);
        Assert.Contains("invalid_grant", refused.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Refresh_keeps_the_old_refresh_token_when_google_omits_one_and_takes_a_new_one_when_sent()
    {
        await using var fake = await FakeYouTubeApi.StartAsync();
        var connector = fake.Connector();
        var current = new TokenSet(new Secret(fake.AccessToken), new Secret(fake.RefreshToken!), null);

        var kept = await connector.RefreshTokenAsync(current, default);

        Assert.Null(kept.Error);
        Assert.Equal(fake.AccessToken, kept.Tokens!.AccessToken.Reveal());
        Assert.Equal("1//refresh-initial", kept.Tokens.RefreshToken!.Reveal());
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["client_id"] = ConnectorHarness.ClientId, ["client_secret"] = ConnectorHarness.ClientSecret,
                ["grant_type"] = "refresh_token", ["refresh_token"] = "1//refresh-initial",
            },
            Form(Assert.Single(fake.Calls("POST", "/token")).Body));

        fake.RotateRefreshTokens = true;
        var rotated = await connector.RefreshTokenAsync(kept.Tokens, default);

        Assert.Equal(fake.RefreshToken, rotated.Tokens!.RefreshToken!.Reveal());
        Assert.NotEqual("1//refresh-initial", fake.RefreshToken);
    }

    [Fact]
    public async Task Revoking_ends_the_grant_so_publishing_and_refreshing_then_fail_as_auth()
    {
        await using var fake = await FakeYouTubeApi.StartAsync();
        var connector = fake.Connector();
        var identity = fake.Identity();
        var tokens = new TokenSet(new Secret(fake.AccessToken), new Secret(fake.RefreshToken!), null);

        await connector.RevokeAsync(tokens, default);

        var revoke = Assert.Single(fake.Calls("POST", "/revoke"));
        Assert.StartsWith("application/x-www-form-urlencoded", revoke.Header("Content-Type"));
        Assert.Equal(new Dictionary<string, string> { ["token"] = "1//refresh-initial" }, Form(revoke.Body));

        var outcome = await connector.PublishAsync(Request(identity, Video(fake, 1000)), default);
        Assert.Equal(ErrorCategory.Auth, outcome.ErrorCategory);
        Assert.Empty(fake.Sessions);

        var refresh = await connector.RefreshTokenAsync(tokens, default);
        Assert.Equal(ErrorCategory.Auth, refresh.Error!.Category);
        Assert.Contains("invalid_grant", refresh.Error.Message, StringComparison.Ordinal);
    }

    // ---- publishing ----

    [Fact]
    public async Task A_video_is_uploaded_through_a_resumable_session_saved_before_the_first_byte()
    {
        await using var fake = await FakeYouTubeApi.StartAsync();
        var connector = fake.Connector(settings: SmallChunks);
        var bytes = RandomBytes((2 * Chunk) + 90_112);
        var content = new PostContent("Launch day\nEverything we shipped this week.", [new MediaItem(fake.AddMedia("launch.mp4", bytes, "video/mp4"), MediaType.Video)]);
        var journal = new RecordingJournal(fake.Server);

        var outcome = await connector.PublishAsync(Request(fake.Identity(), content, journal), default);

        Assert.True(outcome.Succeeded, outcome.Message);
        var video = Assert.Single(fake.Videos.Values);
        Assert.Equal(video["id"]!.ToString(), outcome.ExternalId);
        Assert.Equal($"https://www.youtube.com/watch?v={outcome.ExternalId}", outcome.Permalink);

        var open = Assert.Single(fake.Calls("POST", "/upload/youtube/v3/videos"));
        Assert.Equal("?uploadType=resumable&part=snippet,status", open.Query);
        Assert.Equal("Bearer ya29.initial", open.Header("Authorization"));
        Assert.Equal("application/json; charset=UTF-8", open.Header("Content-Type"));
        Assert.Equal("614400", open.Header("X-Upload-Content-Length"));
        Assert.Equal("video/mp4", open.Header("X-Upload-Content-Type"));
        AssertJson(
            """
            {"snippet":{"title":"Launch day","description":"Launch day\nEverything we shipped this week.","categoryId":"22"},
             "status":{"privacyStatus":"public","selfDeclaredMadeForKids":false}}
            """,
            open.Body);

        var session = Assert.Single(fake.Sessions.Values);
        var puts = fake.Calls("PUT", "/upload/youtube/v3/videos");
        Assert.Equal(new[] { "bytes 0-262143/614400", "bytes 262144-524287/614400", "bytes 524288-614399/614400" }, puts.Select(p => p.Header("Content-Range")));
        Assert.All(puts, p => Assert.Equal($"?uploadType=resumable&upload_id={session.Id}", p.Query));
        Assert.All(puts, p => Assert.Equal("Bearer ya29.initial", p.Header("Authorization")));
        Assert.True(bytes.AsSpan().SequenceEqual(session.Received));

        Assert.Equal(fake.Server.Url($"upload/youtube/v3/videos?uploadType=resumable&upload_id={session.Id}").AbsoluteUri, journal.Saved[YouTubeConnector.SessionCheckpoint]);
        Assert.Equal("614400", journal.Saved[YouTubeConnector.LengthCheckpoint]);
        Assert.Equal(Index(fake, "PUT"), journal.RequestsBefore(YouTubeConnector.SessionCheckpoint));
    }

    [Fact]
    public async Task The_targets_settings_go_into_the_metadata_and_the_thumbnail_is_set_after_the_upload()
    {
        await using var fake = await FakeYouTubeApi.StartAsync();
        var connector = fake.Connector();
        var thumbnail = RandomBytes(5_000);
        var settings = new YouTubePostOptions(
            Title: "Our launch, in 3 minutes", Description: "Everything we shipped.", Tags: ["launch", "release notes"], CategoryId: "28",
            Privacy: "unlisted", MadeForKids: true, ThumbnailUrl: fake.AddMedia("thumb.jpg", thumbnail, "image/jpeg"));
        var content = Video(fake, 4_096).With(null, new PostOptions(YouTube: settings));

        var outcome = await connector.PublishAsync(Request(fake.Identity(), content), default);

        Assert.True(outcome.Succeeded, outcome.Message);
        AssertJson(
            """
            {"snippet":{"title":"Our launch, in 3 minutes","description":"Everything we shipped.","categoryId":"28","tags":["launch","release notes"]},
             "status":{"privacyStatus":"unlisted","selfDeclaredMadeForKids":true}}
            """,
            Assert.Single(fake.Calls("POST", "/upload/youtube/v3/videos")).Body);
        var set = Assert.Single(fake.Calls("POST", "/upload/youtube/v3/thumbnails/set"));
        Assert.Equal($"?videoId={outcome.ExternalId}&uploadType=media", set.Query);
        Assert.Equal(("Bearer ya29.initial", "image/jpeg"), (set.Header("Authorization"), set.Header("Content-Type")));
        Assert.Equal(thumbnail, fake.Thumbnails[outcome.ExternalId!].Bytes);
        Assert.True(fake.Server.Requests.ToList().FindIndex(r => r.Path == "/media/thumb.jpg") < Index(fake, "POST"), "the thumbnail is fetched before anything is sent");
    }

    [Fact]
    public async Task A_thumbnail_that_is_no_jpeg_or_png_fails_before_anything_is_uploaded()
    {
        await using var fake = await FakeYouTubeApi.StartAsync();
        var content = Video(fake, 4_096).With(null, new PostOptions(YouTube: new YouTubePostOptions(ThumbnailUrl: fake.AddMedia("thumb.gif", RandomBytes(100), "image/gif"))));

        var outcome = await fake.Connector().PublishAsync(Request(fake.Identity(), content), default);

        Assert.Equal(ErrorCategory.InvalidContent, outcome.ErrorCategory);
        Assert.Contains("JPEG or PNG", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(fake.Calls("POST", "/upload/youtube/v3/videos"));
        Assert.Empty(fake.Sessions);
    }

    [Fact]
    public async Task When_youtube_keeps_fewer_bytes_than_sent_the_upload_continues_from_its_range()
    {
        await using var fake = await FakeYouTubeApi.StartAsync();
        fake.KeepOfNextChunk = 100_000;
        var connector = fake.Connector(settings: SmallChunks);
        var bytes = RandomBytes((2 * Chunk) + 10);

        var outcome = await connector.PublishAsync(Request(fake.Identity(), new PostContent("t", [new MediaItem(fake.AddMedia("v.mp4", bytes, "video/mp4"), MediaType.Video)])), default);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal(
            new[] { "bytes 0-262143/524298", "bytes 100000-362143/524298", "bytes 362144-524297/524298" },
            fake.Calls("PUT", "/upload/youtube/v3/videos").Select(p => p.Header("Content-Range")));
        Assert.True(bytes.AsSpan().SequenceEqual(fake.Sessions.Values.Single().Received));
    }

    [Theory]
    [InlineData("Own title", "Text line", "Own title")]
    [InlineData(null, "\n  First <line> here  \nsecond", "First line here")]
    [InlineData("  ", "Title\tfrom   text", "Title from text")]
    public void The_title_is_the_posts_own_else_the_first_line_without_angle_brackets(string? title, string text, string expected) =>
        Assert.Equal(expected, YouTubeVideo.TitleFor(new PostContent(text, [], title)));

    [Fact]
    public void A_long_first_line_is_cut_to_100_characters_without_splitting_an_emoji()
    {
        var title = YouTubeVideo.TitleFor(new PostContent(new string('a', 99) + "😀😀 tail", []));

        Assert.Equal(new string('a', 99) + "😀", title);
        Assert.Equal(100, title.EnumerateRunes().Count());
    }

    [Theory]
    [InlineData("text only")]
    [InlineData("image")]
    [InlineData("no title")]
    public async Task Content_youtube_cannot_take_is_refused_before_any_call(string shape)
    {
        await using var fake = await FakeYouTubeApi.StartAsync();
        var connector = fake.Connector();
        var url = fake.AddMedia("m", RandomBytes(10), "video/mp4");
        var content = shape switch
        {
            "text only" => new PostContent("words", []),
            "image" => new PostContent("words", [new MediaItem(url, MediaType.Image)]),
            _ => new PostContent(" \n <> ", [new MediaItem(url, MediaType.Video)]),
        };

        var outcome = await connector.PublishAsync(Request(fake.Identity(), content), default);

        Assert.Equal(ErrorCategory.InvalidContent, outcome.ErrorCategory);
        Assert.Empty(fake.Server.Requests);
    }

    // ---- metrics ----

    [Fact]
    public async Task Post_metrics_come_from_videos_list_statistics()
    {
        await using var fake = await FakeYouTubeApi.StartAsync();
        var connector = fake.Connector();
        fake.Videos["dQw4w9WgXcQ"] = new JsonObject { ["statistics"] = new JsonObject { ["viewCount"] = "1500", ["likeCount"] = "120", ["favoriteCount"] = "0", ["commentCount"] = "33" } };

        var metrics = await connector.ReadPostMetricsAsync(new PostMetricsRequest(fake.Identity(), "dQw4w9WgXcQ", DateTimeOffset.UtcNow, PostContent.Empty), default);

        Assert.Null(metrics.Error);
        Assert.Equal((120L, 33L, 0L, (long?)1500, (long?)null, (long?)null), (metrics.Value!.Likes, metrics.Value.Comments, metrics.Value.Shares, metrics.Value.Views, metrics.Value.Impressions, metrics.Value.Saves));
        var call = Assert.Single(fake.Calls("GET", "/youtube/v3/videos"));
        Assert.Equal("?part=statistics&id=dQw4w9WgXcQ", call.Query);
        Assert.Equal("Bearer ya29.initial", call.Header("Authorization"));
    }

    [Fact]
    public async Task Account_metrics_come_from_channels_list_statistics()
    {
        await using var fake = await FakeYouTubeApi.StartAsync();
        var connector = fake.Connector();

        var metrics = await connector.ReadAccountMetricsAsync(fake.Identity(), default);

        Assert.Null(metrics.Error);
        Assert.Equal((5400L, (long?)null, (long?)12), (metrics.Value!.Followers, metrics.Value.Following, metrics.Value.Posts));
        Assert.Equal("?part=statistics&mine=true", Assert.Single(fake.Calls("GET", "/youtube/v3/channels")).Query);
    }

    // ---- the error taxonomy ----

    [Fact]
    public async Task An_expired_token_is_an_auth_failure_and_opens_no_session()
    {
        await using var fake = await FakeYouTubeApi.StartAsync();
        fake.AccessTokenExpired = true;
        var connector = fake.Connector();

        var outcome = await connector.PublishAsync(Request(fake.Identity(), Video(fake, 1000)), default);

        Assert.Equal(ErrorCategory.Auth, outcome.ErrorCategory);
        Assert.Contains("authError", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(fake.Sessions);
    }

    [Theory]
    [InlineData("2026-12-01T09:00:00Z", "2026-12-02T08:00:00Z")] // PST
    [InlineData("2026-07-01T12:00:00Z", "2026-07-02T07:00:00Z")] // PDT
    [InlineData("2026-03-08T06:00:00Z", "2026-03-08T08:00:00Z")] // the night DST starts: still PST at midnight
    [InlineData("2026-03-08T12:00:00Z", "2026-03-09T07:00:00Z")] // after the switch: PDT midnight
    [InlineData("2026-11-01T12:00:00Z", "2026-11-02T08:00:00Z")] // after DST ends: PST midnight
    public void The_daily_quota_resets_at_midnight_pacific_time(string now, string reset) =>
        Assert.Equal(DateTimeOffset.Parse(reset, System.Globalization.CultureInfo.InvariantCulture), YouTubeErrors.NextQuotaReset(DateTimeOffset.Parse(now, System.Globalization.CultureInfo.InvariantCulture)));

    [Fact]
    public async Task Quota_exceeded_is_rate_limited_until_midnight_pacific()
    {
        await using var fake = await FakeYouTubeApi.StartAsync();
        var time = ConnectorHarness.FakeTime(); // 2026-12-01 09:00 UTC = 01:00 PST
        var connector = fake.Connector(time);
        fake.Server.Fail("POST", "/upload/youtube/v3/videos", 403, FakeYouTubeApi.ErrorJson(403, "quotaExceeded", "The request cannot be completed because you have exceeded your quota."));

        var outcome = await connector.PublishAsync(Request(fake.Identity(), Video(fake, 1000)), default);

        Assert.Equal(ErrorCategory.RateLimited, outcome.ErrorCategory);
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 8, 0, 0, TimeSpan.Zero), outcome.RetryAfter);
        Assert.Contains("exceeded your quota", outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Short_term_rate_limits_back_off_a_minute_or_what_retry_after_says()
    {
        await using var fake = await FakeYouTubeApi.StartAsync();
        var time = ConnectorHarness.FakeTime();
        var connector = fake.Connector(time);
        fake.Server.Fail("POST", "/upload/youtube/v3/videos", 403, FakeYouTubeApi.ErrorJson(403, "userRateLimitExceeded", "User rate limit exceeded."));
        fake.Server.Fail("POST", "/upload/youtube/v3/videos", 429, FakeYouTubeApi.ErrorJson(429, "rateLimitExceeded", "Too many requests."), ("Retry-After", "120"));

        var limited = await connector.PublishAsync(Request(fake.Identity(), Video(fake, 1000)), default);
        var told = await connector.PublishAsync(Request(fake.Identity(), Video(fake, 1000)), default);

        Assert.Equal((ErrorCategory.RateLimited, time.GetUtcNow().AddMinutes(1)), (limited.ErrorCategory!.Value, limited.RetryAfter!.Value));
        Assert.Equal((ErrorCategory.RateLimited, time.GetUtcNow().AddSeconds(120)), (told.ErrorCategory!.Value, told.RetryAfter!.Value));
    }

    [Fact]
    public async Task The_channels_daily_upload_cap_waits_a_rolling_day()
    {
        await using var fake = await FakeYouTubeApi.StartAsync();
        var time = ConnectorHarness.FakeTime();
        var connector = fake.Connector(time);
        fake.Server.Fail("POST", "/upload/youtube/v3/videos", 400, FakeYouTubeApi.ErrorJson(400, "uploadLimitExceeded", "The user has exceeded the number of videos they may upload."));

        var outcome = await connector.PublishAsync(Request(fake.Identity(), Video(fake, 1000)), default);

        Assert.Equal(ErrorCategory.RateLimited, outcome.ErrorCategory);
        Assert.Equal(time.GetUtcNow().AddHours(24), outcome.RetryAfter);
    }

    [Fact]
    public async Task Invalid_metadata_is_invalid_content_with_youtubes_message()
    {
        await using var fake = await FakeYouTubeApi.StartAsync();
        var connector = fake.Connector();

        var outcome = await connector.PublishAsync(Request(fake.Identity(), new PostContent("Title\nUse <b>bold</b>", [new MediaItem(fake.AddMedia("v.mp4", RandomBytes(10), "video/mp4"), MediaType.Video)])), default);

        Assert.Equal(ErrorCategory.InvalidContent, outcome.ErrorCategory);
        Assert.Contains("invalidDescription", outcome.Message, StringComparison.Ordinal);
        Assert.Contains("invalid video description", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(fake.Sessions);
    }

    [Theory]
    [InlineData("rejected", "rejectionReason", "duplicate", ErrorCategory.Duplicate)]
    [InlineData("rejected", "rejectionReason", "inappropriate", ErrorCategory.InvalidContent)]
    [InlineData("failed", "failureReason", "codec", ErrorCategory.InvalidContent)]
    public async Task An_upload_youtube_rejects_or_cannot_process_is_a_duplicate_or_invalid_media(string status, string field, string reason, ErrorCategory expected)
    {
        await using var fake = await FakeYouTubeApi.StartAsync();
        fake.FinalStatus = new JsonObject { ["uploadStatus"] = status, [field] = reason };
        var connector = fake.Connector();

        var outcome = await connector.PublishAsync(Request(fake.Identity(), Video(fake, 1000)), default);

        Assert.Equal(expected, outcome.ErrorCategory);
        Assert.Contains(reason, outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task An_uploaded_video_counts_as_published_only_once_youtube_has_processed_it()
    {
        await using var fake = await FakeYouTubeApi.StartAsync();
        fake.ProcessingReads = 2;
        var connector = fake.Connector();

        var outcome = await connector.PublishAsync(Request(fake.Identity(), Video(fake, 1000)), default);

        Assert.True(outcome.Succeeded, outcome.Message);
        var checks = fake.Calls("GET", "/youtube/v3/videos");
        Assert.Equal(3, checks.Count); // processing, processing, processed
        Assert.All(checks, c => Assert.Equal($"?part=status,processingDetails&id={outcome.ExternalId}", c.Query));
        Assert.Equal("processed", fake.Videos[outcome.ExternalId!]["status"]!["uploadStatus"]!.GetValue<string>());
    }

    [Theory]
    [InlineData("failed", "failureReason", "codec", ErrorCategory.InvalidContent)]
    [InlineData("rejected", "rejectionReason", "length", ErrorCategory.InvalidContent)]
    [InlineData("rejected", "rejectionReason", "duplicate", ErrorCategory.Duplicate)]
    public async Task A_video_youtube_rejects_or_fails_to_process_after_the_upload_is_a_failed_publication(string status, string field, string reason, ErrorCategory expected)
    {
        await using var fake = await FakeYouTubeApi.StartAsync();
        fake.ProcessingReads = 1;
        fake.ProcessingFailure = new JsonObject { ["uploadStatus"] = status, [field] = reason };
        var connector = fake.Connector();

        var outcome = await connector.PublishAsync(Request(fake.Identity(), Video(fake, 1000)), default);

        Assert.False(outcome.Succeeded);
        Assert.Equal(expected, outcome.ErrorCategory);
        Assert.Contains(reason, outcome.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_video_still_processing_at_the_timeout_is_pending_and_reconciliation_finds_it_once_processed()
    {
        await using var fake = await FakeYouTubeApi.StartAsync();
        fake.ProcessingReads = 1_000;
        var connector = fake.Connector(settings: new Dictionary<string, string?> { ["ProcessingTimeout"] = "00:00:00.200" });
        var journal = new MemoryJournal();
        var content = Video(fake, 1000);

        var outcome = await connector.PublishAsync(Request(fake.Identity(), content, journal), default);
        var stillProcessing = await connector.FindPublicationAsync(Request(fake.Identity(), content, journal, journal.Saved), default);
        fake.ProcessingReads = 0;
        var found = await connector.FindPublicationAsync(Request(fake.Identity(), content, journal, journal.Saved), default);

        Assert.Equal(ErrorCategory.UnknownOutcome, outcome.ErrorCategory);
        Assert.Contains("still processing", outcome.Message, StringComparison.Ordinal);
        Assert.Equal(ReconcileState.Unknown, stillProcessing.State);
        Assert.Equal(ReconcileState.Found, found.State);
        Assert.Equal(Assert.Single(fake.Videos.Keys), found.Publication!.ExternalId);
        Assert.Single(fake.Sessions); // uploaded once
    }

    [Fact]
    public async Task A_video_that_cannot_be_fetched_is_invalid_content_and_opens_no_session()
    {
        await using var fake = await FakeYouTubeApi.StartAsync();
        var connector = fake.Connector();

        var outcome = await connector.PublishAsync(Request(fake.Identity(), new PostContent("t", [new MediaItem(fake.Server.Url("media/missing.mp4").AbsoluteUri, MediaType.Video)])), default);

        Assert.Equal(ErrorCategory.InvalidContent, outcome.ErrorCategory);
        Assert.Empty(fake.Sessions);
    }

    [Fact]
    public async Task A_configured_api_base_without_a_trailing_slash_still_reaches_the_right_path()
    {
        await using var fake = await FakeYouTubeApi.StartAsync();
        var connector = fake.Connector(settings: new() { ["ApiBaseUrl"] = fake.Server.Url("youtube/v3").AbsoluteUri.TrimEnd('/') });

        var metrics = await connector.ReadAccountMetricsAsync(fake.Identity(), default);

        Assert.Null(metrics.Error);
        Assert.Single(fake.Calls("GET", "/youtube/v3/channels"));
    }

    [Fact]
    public async Task Server_errors_before_the_last_byte_are_transient_and_the_next_attempt_resumes_the_saved_session()
    {
        await using var fake = await FakeYouTubeApi.StartAsync();
        var connector = fake.Connector(settings: SmallChunks);
        var content = Video(fake, (2 * Chunk) + 5);
        var journal = new MemoryJournal();

        fake.Server.Fail("POST", "/upload/youtube/v3/videos", 503, FakeYouTubeApi.ErrorJson(503, "backendError", "Backend Error"));
        var refused = await connector.PublishAsync(Request(fake.Identity(), content, journal), default);

        Assert.Equal(ErrorCategory.Transient, refused.ErrorCategory);
        Assert.Empty(fake.Sessions);
        Assert.Empty(journal.Saved);

        fake.Server.Fail("PUT", "/upload/youtube/v3/videos", 500, FakeYouTubeApi.ErrorJson(500, "backendError", "Backend Error"));
        var broken = await connector.PublishAsync(Request(fake.Identity(), content, journal), default);

        Assert.Equal(ErrorCategory.Transient, broken.ErrorCategory);
        Assert.Single(fake.Sessions);
        Assert.Empty(fake.Videos);

        fake.Server.ClearRequests();
        var resumed = await connector.PublishAsync(Request(fake.Identity(), content, journal, journal.Saved), default);

        Assert.True(resumed.Succeeded, resumed.Message);
        Assert.Single(fake.Sessions);
        Assert.Empty(fake.Calls("POST", "/upload/youtube/v3/videos"));
        Assert.Equal(
            new[] { "bytes */524293", "bytes 0-262143/524293", "bytes 262144-524287/524293", "bytes 524288-524292/524293" },
            fake.Calls("PUT", "/upload/youtube/v3/videos").Select(p => p.Header("Content-Range")));
    }

    [Fact]
    public async Task A_server_error_on_the_last_chunk_is_unknown_then_probed_and_resumed_without_a_second_session()
    {
        await using var fake = await FakeYouTubeApi.StartAsync();
        fake.FailLastChunk = true;
        var connector = fake.Connector(settings: SmallChunks);
        var content = Video(fake, Chunk + 77);
        var journal = new MemoryJournal();

        var outcome = await connector.PublishAsync(Request(fake.Identity(), content, journal), default);

        Assert.Equal(ErrorCategory.UnknownOutcome, outcome.ErrorCategory);
        var reconciled = await connector.FindPublicationAsync(Request(fake.Identity(), content, checkpoints: journal.Saved), default);
        Assert.Equal(ReconcileState.NotFound, reconciled.State);
        var probe = fake.Calls("PUT", "/upload/youtube/v3/videos")[^1];
        Assert.Equal($"bytes */{Chunk + 77}", probe.Header("Content-Range"));
        Assert.Equal("0", probe.Header("Content-Length"));

        fake.Server.ClearRequests();
        var resumed = await connector.PublishAsync(Request(fake.Identity(), content, journal, journal.Saved), default);

        Assert.True(resumed.Succeeded, resumed.Message);
        Assert.Single(fake.Sessions);
        Assert.Empty(fake.Calls("POST", "/upload/youtube/v3/videos"));
        Assert.Equal(new[] { $"bytes */{Chunk + 77}", $"bytes {Chunk}-{Chunk + 76}/{Chunk + 77}" }, fake.Calls("PUT", "/upload/youtube/v3/videos").Select(p => p.Header("Content-Range")));
    }

    // ---- unknown outcomes and reconciliation ----

    [Fact]
    public async Task A_lost_answer_to_the_last_chunk_is_unknown_and_the_session_probe_finds_the_video()
    {
        await using var fake = await FakeYouTubeApi.StartAsync();
        fake.LoseLastChunkAnswer = true;
        var connector = fake.Connector(settings: SmallChunks);
        using var lost = new CancellationTokenSource();
        fake.OnHang = lost.Cancel;
        var content = Video(fake, Chunk + 1);
        var journal = new MemoryJournal();

        var outcome = await connector.PublishAsync(Request(fake.Identity(), content, journal), lost.Token);

        Assert.Equal(ErrorCategory.UnknownOutcome, outcome.ErrorCategory);
        var found = await connector.FindPublicationAsync(Request(fake.Identity(), content, checkpoints: journal.Saved), default);
        Assert.Equal(ReconcileState.Found, found.State);
        var video = Assert.Single(fake.Videos.Values);
        Assert.Equal(video["id"]!.ToString(), found.Publication!.ExternalId);
        Assert.Equal($"https://www.youtube.com/watch?v={found.Publication.ExternalId}", found.Publication.Permalink);
    }

    [Fact]
    public async Task A_last_chunk_that_hangs_before_youtube_stores_it_reconciles_as_not_found_and_resumes()
    {
        await using var fake = await FakeYouTubeApi.StartAsync();
        fake.HangLastChunk = true;
        var connector = fake.Connector(settings: SmallChunksTwoSecondTimeout);
        var content = Video(fake, Chunk + 1);
        var journal = new MemoryJournal();

        var outcome = await connector.PublishAsync(Request(fake.Identity(), content, journal), default);

        Assert.Equal(ErrorCategory.UnknownOutcome, outcome.ErrorCategory);
        Assert.Empty(fake.Videos);
        Assert.Equal(ReconcileState.NotFound, (await connector.FindPublicationAsync(Request(fake.Identity(), content, checkpoints: journal.Saved), default)).State);

        var resumed = await connector.PublishAsync(Request(fake.Identity(), content, journal, journal.Saved), default);
        Assert.True(resumed.Succeeded, resumed.Message);
        Assert.Single(fake.Sessions);
        Assert.Single(fake.Videos);
    }

    [Fact]
    public async Task An_expired_session_is_not_found_and_the_next_attempt_opens_a_new_one()
    {
        await using var fake = await FakeYouTubeApi.StartAsync();
        fake.HangLastChunk = true;
        var connector = fake.Connector(settings: SmallChunks);
        using var lost = new CancellationTokenSource();
        fake.OnHang = lost.Cancel;
        var content = Video(fake, 1000);
        var journal = new MemoryJournal();
        await connector.PublishAsync(Request(fake.Identity(), content, journal), lost.Token);
        fake.Sessions.Values.Single().Expired = true;

        Assert.Equal(ReconcileState.NotFound, (await connector.FindPublicationAsync(Request(fake.Identity(), content, checkpoints: journal.Saved), default)).State);
        var again = await connector.PublishAsync(Request(fake.Identity(), content, journal, journal.Saved), default);

        Assert.True(again.Succeeded, again.Message);
        Assert.Equal(2, fake.Sessions.Count);
        Assert.NotEqual(fake.Sessions.Values.Single(s => s.Expired).Id, QueryHelpers.ParseQuery(new Uri(journal.Saved[YouTubeConnector.SessionCheckpoint]).Query)["upload_id"].ToString());
    }

    [Fact]
    public async Task Without_a_saved_session_no_byte_was_sent_so_nothing_was_published()
    {
        await using var fake = await FakeYouTubeApi.StartAsync();
        var connector = fake.Connector();

        var reconciled = await connector.FindPublicationAsync(Request(fake.Identity(), Video(fake, 10)), default);

        Assert.Equal(ReconcileState.NotFound, reconciled.State);
        Assert.DoesNotContain(fake.Server.Requests, r => r.Method == "PUT");
    }

    // ---- helpers ----


    [Fact]
    public async Task A_first_comment_is_commentThreads_insert_on_the_video_and_reconciliation_finds_it_by_its_text()
    {
        await using var fake = await FakeYouTubeApi.StartAsync();
        var connector = fake.Connector();
        var video = await connector.PublishAsync(Request(fake.Identity(), Video(fake, 1000)), default);
        Assert.True(video.Succeeded, video.Message);
        var comment = new FollowUp(1, FollowUpKind.Comment, "Chapters: 0:00 intro", []);

        var outcome = await connector.PublishFollowUpAsync(new FollowUpRequest(fake.Identity(), comment, video.ExternalId!, DateTimeOffset.UtcNow), default);

        Assert.True(outcome.Succeeded, outcome.Message);
        var sent = Assert.Single(fake.Calls("POST", "/youtube/v3/commentThreads"));
        Assert.Equal("?part=snippet", sent.Query);
        Assert.Equal($"Bearer {fake.AccessToken}", sent.Header("Authorization"));
        var expected = new JsonObject
        {
            ["snippet"] = new JsonObject
            {
                ["videoId"] = video.ExternalId,
                ["topLevelComment"] = new JsonObject { ["snippet"] = new JsonObject { ["textOriginal"] = "Chapters: 0:00 intro" } },
            },
        };
        Assert.True(JsonNode.DeepEquals(expected, JsonNode.Parse(sent.Body)), sent.Body);
        var stored = Assert.Single(fake.CommentThreads);
        Assert.Equal((stored.Id, video.ExternalId), (outcome.ExternalId, stored.VideoId));

        var found = await connector.FindFollowUpAsync(new FollowUpRequest(fake.Identity(), comment, video.ExternalId!, DateTimeOffset.UtcNow), default);
        Assert.Equal((ReconcileState.Found, stored.Id), (found.State, found.Publication?.ExternalId));
        var missing = await connector.FindFollowUpAsync(new FollowUpRequest(fake.Identity(), comment with { Text = "Never sent" }, video.ExternalId!, DateTimeOffset.UtcNow), default);
        Assert.Equal(ReconcileState.NotFound, missing.State);
    }

    private static PublishRequest Request(PublishingIdentity identity, PostContent content, IPublishJournal? journal = null, IReadOnlyDictionary<string, string>? checkpoints = null) =>
        new("post-1~acc-1", "attempt-1", identity, content, checkpoints, journal);

    private static PostContent Video(FakeYouTubeApi fake, int bytes) =>
        new("My video\nwith a description", [new MediaItem(fake.AddMedia($"clip-{bytes}-{Guid.NewGuid():N}.mp4", RandomBytes(bytes), "video/mp4"), MediaType.Video)]);

    private static byte[] RandomBytes(int count)
    {
        var bytes = new byte[count];
        Random.Shared.NextBytes(bytes);
        return bytes;
    }

    private static int Index(FakeYouTubeApi fake, string method) => fake.Server.Requests.ToList().FindIndex(r => r.Method == method && r.Path == "/upload/youtube/v3/videos");

    private static Dictionary<string, string> Form(string body) =>
        QueryHelpers.ParseQuery(body).ToDictionary(p => p.Key, p => p.Value.ToString());


    private static Task<string> ConsentAsync(Uri authorizeUrl) => ContractHelpers.ConsentAsync(authorizeUrl, Callback);
}
