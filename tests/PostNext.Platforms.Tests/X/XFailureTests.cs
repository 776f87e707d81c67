using PostNext.Platforms.Tests.Common;

namespace PostNext.Platforms.Tests.X;

/// <summary>Each failure X documents lands in the one taxonomy, with when a limit clears and X's own message kept.</summary>
public sealed class XFailureTests : IAsyncLifetime
{
    private static readonly PostContent Text = new("Scheduled hello", []);
    private XTestbed _x = null!;

    /// <summary>System time: the HTTP client's timeout runs on the registered clock, so a fake clock would never time out.</summary>
    public async Task InitializeAsync() => _x = await XTestbed.StartAsync(requestTimeout: TimeSpan.FromSeconds(1));

    public async Task DisposeAsync() => await _x.DisposeAsync();

    [Fact]
    public async Task An_expired_access_token_is_auth()
    {
        _x.Api.Server.Fail("POST", "/2/tweets", 401, """{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}""");

        var outcome = await PublishAsync();

        Assert.Equal(ErrorCategory.Auth, outcome.ErrorCategory);
    }

    [Fact]
    public async Task A_revoked_token_the_fake_no_longer_accepts_is_auth()
    {
        var revoked = ConnectorHarness.Identity(PlatformIds.X, FakeXApi.UserId, FakeXApi.Username, token: "revoked-token");

        var outcome = await _x.Connector.PublishAsync(_x.Publish(Text, revoked), CancellationToken.None);

        Assert.Equal(ErrorCategory.Auth, outcome.ErrorCategory);
        Assert.Empty(_x.Api.Tweets);
    }

    [Fact]
    public async Task A_429_is_rate_limited_until_the_x_rate_limit_reset()
    {
        _x.Api.Server.Fail("POST", "/2/tweets", 429, """{"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429}""",
            ("x-rate-limit-limit", "100"), ("x-rate-limit-remaining", "0"), ("x-rate-limit-reset", "1796119200"));

        var outcome = await PublishAsync();

        Assert.Equal(ErrorCategory.RateLimited, outcome.ErrorCategory);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1796119200), outcome.RetryAfter);
    }

    [Fact]
    public async Task A_spent_24_hour_user_limit_wins_over_a_15_minute_window_with_room()
    {
        _x.Api.Server.Fail("POST", "/2/tweets", 429, """{"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429}""",
            ("x-rate-limit-limit", "100"), ("x-rate-limit-remaining", "99"), ("x-rate-limit-reset", "1796119200"),
            ("x-user-limit-24hour-limit", "17"), ("x-user-limit-24hour-remaining", "0"), ("x-user-limit-24hour-reset", "1796180000"));

        var outcome = await PublishAsync();

        Assert.Equal(ErrorCategory.RateLimited, outcome.ErrorCategory);
        Assert.Equal(DateTimeOffset.FromUnixTimeSeconds(1796180000), outcome.RetryAfter);
    }

    [Fact]
    public async Task A_usage_cap_is_rate_limited_until_the_cap_period_ends()
    {
        await using var x = await XTestbed.StartAsync(time: ConnectorHarness.FakeTime());
        x.Api.Server.Fail("POST", "/2/tweets", 429, """
            {"title":"UsageCapExceeded","detail":"Usage cap exceeded: Monthly product cap","type":"https://api.twitter.com/2/problems/usage-capped","period":"Monthly","scope":"Product"}
            """);

        var outcome = await x.Connector.PublishAsync(x.Publish(Text), CancellationToken.None);

        Assert.Equal(ErrorCategory.RateLimited, outcome.ErrorCategory);
        Assert.Equal(new DateTimeOffset(2027, 1, 1, 0, 0, 0, TimeSpan.Zero), outcome.RetryAfter); // the fake clock is 2026-12-01
        Assert.Contains("Usage cap exceeded", outcome.Message);
    }

    [Fact]
    public async Task Spent_pay_per_use_credits_wait_like_a_limit_instead_of_failing_the_post_as_invalid_content()
    {
        await using var x = await XTestbed.StartAsync(time: ConnectorHarness.FakeTime());
        x.Api.CreditsExhausted = true;

        var outcome = await x.Connector.PublishAsync(x.Publish(Text), CancellationToken.None);

        Assert.Equal(ErrorCategory.RateLimited, outcome.ErrorCategory);
        Assert.Equal(ConnectorHarness.FakeTime().GetUtcNow().AddHours(1), outcome.RetryAfter);
        Assert.Contains("credits", outcome.Message, StringComparison.Ordinal);
        Assert.Empty(x.Api.Tweets);
    }

    [Fact]
    public async Task Posting_the_same_text_again_is_a_duplicate_and_not_retried()
    {
        Assert.True((await PublishAsync()).Succeeded);

        var again = await PublishAsync();

        Assert.Equal(ErrorCategory.Duplicate, again.ErrorCategory);
        Assert.Contains("duplicate content", again.Message);
        Assert.Equal(2, _x.Requests("POST", "/2/tweets").Count);
    }

    [Fact]
    public async Task Media_X_rejects_at_create_time_is_invalid_content_with_Xs_message()
    {
        _x.Api.Server.Fail("POST", "/2/tweets", 400, """
            {"errors":[{"parameters":{"media.media_ids":["1455952740635586573"]},"message":"Your media IDs are invalid."}],"title":"Invalid Request","detail":"One or more parameters to your request was invalid.","type":"https://api.twitter.com/2/problems/invalid-request"}
            """);

        var outcome = await PublishAsync();

        Assert.Equal(ErrorCategory.InvalidContent, outcome.ErrorCategory);
        Assert.Contains("Your media IDs are invalid.", outcome.Message);
    }

    [Fact]
    public async Task A_post_X_does_not_permit_is_invalid_content()
    {
        _x.Api.Server.Fail("POST", "/2/tweets", 403, """{"detail":"You are not permitted to perform this action.","type":"about:blank","title":"Forbidden","status":403}""");

        var outcome = await PublishAsync();

        Assert.Equal(ErrorCategory.InvalidContent, outcome.ErrorCategory);
        Assert.Contains("You are not permitted to perform this action.", outcome.Message);
    }

    [Fact]
    public async Task A_suspended_user_is_auth()
    {
        _x.Api.Server.Fail("POST", "/2/tweets", 403, """{"title":"Forbidden","detail":"Your account is suspended and is not permitted to access this feature.","type":"https://api.twitter.com/2/problems/user-suspended","status":403}""");

        Assert.Equal(ErrorCategory.Auth, (await PublishAsync()).ErrorCategory);
    }

    [Fact]
    public async Task A_503_on_the_create_is_transient()
    {
        _x.Api.Server.Fail("POST", "/2/tweets", 503, """{"title":"Service Unavailable","detail":"Service Unavailable","type":"about:blank","status":503}""");

        Assert.Equal(ErrorCategory.Transient, (await PublishAsync()).ErrorCategory);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(502)]
    [InlineData(504)]
    public async Task Another_5xx_answering_the_create_may_hide_a_created_post_so_it_is_an_unknown_outcome(int status)
    {
        _x.Api.Server.Fail("POST", "/2/tweets", status, """{"title":"Server Error","type":"about:blank"}""");

        Assert.Equal(ErrorCategory.UnknownOutcome, (await PublishAsync()).ErrorCategory);
    }

    [Fact]
    public async Task A_5xx_during_the_upload_is_transient_because_nothing_was_posted()
    {
        _x.Api.Server.Fail("POST", "/2/media/upload/initialize", 500, """{"title":"Internal Error","type":"about:blank","status":500}""");
        var content = new PostContent("pic", [new MediaItem(_x.Api.ServeFile("p.png", XConnectorTests.Bytes(64, 1), "image/png"), MediaType.Image)]);

        var outcome = await _x.Connector.PublishAsync(_x.Publish(content), CancellationToken.None);

        Assert.Equal(ErrorCategory.Transient, outcome.ErrorCategory);
        Assert.Empty(_x.Requests("POST", "/2/tweets"));
    }

    [Fact]
    public async Task A_timeout_before_the_create_is_transient()
    {
        _x.Api.Server.Hang("POST", "/2/media/upload/initialize", TimeSpan.FromSeconds(30));
        var content = new PostContent("pic", [new MediaItem(_x.Api.ServeFile("p.png", XConnectorTests.Bytes(64, 1), "image/png"), MediaType.Image)]);

        var outcome = await _x.Connector.PublishAsync(_x.Publish(content), CancellationToken.None);

        Assert.Equal(ErrorCategory.Transient, outcome.ErrorCategory);
        Assert.Empty(_x.Requests("POST", "/2/tweets"));
    }

    [Fact]
    public async Task A_timeout_on_the_create_is_an_unknown_outcome()
    {
        _x.Api.Server.Hang("POST", "/2/tweets", TimeSpan.FromSeconds(30));

        var outcome = await PublishAsync();

        Assert.Equal(ErrorCategory.UnknownOutcome, outcome.ErrorCategory);
    }

    private Task<PublishOutcome> PublishAsync() => _x.Connector.PublishAsync(_x.Publish(Text), CancellationToken.None);
}
