using PostNext.Platforms.LinkedIn;
using PostNext.Platforms.Tests.Common;

namespace PostNext.Platforms.Tests.LinkedIn;

/// <summary>Each failure LinkedIn documents lands in the one taxonomy, with when a limit clears and LinkedIn's message kept.</summary>
public sealed class LinkedInFailureTests : IAsyncLifetime
{
    private static readonly PostContent Text = new("Scheduled hello", []);
    private LinkedInTestbed _li = null!;

    /// <summary>System time: the HTTP client's timeout runs on the registered clock, so a fake clock would never time out.</summary>
    public async Task InitializeAsync() => _li = await LinkedInTestbed.StartAsync(requestTimeout: TimeSpan.FromSeconds(1));

    public async Task DisposeAsync() => await _li.DisposeAsync();

    [Fact]
    public async Task An_expired_access_token_is_auth()
    {
        _li.Api.AccessTokens["access-token-1"] = TokenState.Expired;

        var outcome = await PublishAsync();

        Assert.Equal(ErrorCategory.Auth, outcome.ErrorCategory);
        Assert.Contains("has expired", outcome.Message);
    }

    [Fact]
    public async Task A_revoked_access_token_65601_is_auth()
    {
        _li.Api.AccessTokens["access-token-1"] = TokenState.Revoked;

        var outcome = await PublishAsync();

        Assert.Equal(ErrorCategory.Auth, outcome.ErrorCategory);
        Assert.Empty(_li.Api.Posts);
    }

    [Fact]
    public async Task A_429_without_headers_is_rate_limited_until_the_daily_reset_at_midnight_UTC()
    {
        await using var li = await LinkedInTestbed.StartAsync(time: ConnectorHarness.FakeTime());
        li.Api.Server.Fail("POST", "/rest/posts", 429, """{"status":429,"message":"Too Many Requests"}""");

        var outcome = await li.Connector.PublishAsync(li.Publish(Text), CancellationToken.None);

        Assert.Equal(ErrorCategory.RateLimited, outcome.ErrorCategory);
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero), outcome.RetryAfter); // fake clock: 2026-12-01 09:00 UTC
    }

    [Fact]
    public async Task A_spent_daily_quota_is_rate_limited_until_midnight_UTC_with_LinkedIns_message()
    {
        await using var li = await LinkedInTestbed.StartAsync(time: ConnectorHarness.FakeTime());
        li.Api.Server.Fail("POST", "/rest/posts", 429, """{"message":"Resource level throttle APPLICATION DAY limit for calls to this resource is reached.","status":429}""");

        var outcome = await li.Connector.PublishAsync(li.Publish(Text), CancellationToken.None);

        Assert.Equal(ErrorCategory.RateLimited, outcome.ErrorCategory);
        Assert.Equal(new DateTimeOffset(2026, 12, 2, 0, 0, 0, TimeSpan.Zero), outcome.RetryAfter);
        Assert.Contains("APPLICATION DAY limit", outcome.Message);
    }

    [Fact]
    public async Task A_429_with_a_Retry_After_header_is_limited_for_that_long()
    {
        var time = ConnectorHarness.FakeTime();
        await using var li = await LinkedInTestbed.StartAsync(time: time);
        li.Api.Server.Fail("POST", "/rest/posts", 429, """{"status":429,"message":"Too Many Requests"}""", ("Retry-After", "120"));

        var outcome = await li.Connector.PublishAsync(li.Publish(Text), CancellationToken.None);

        Assert.Equal(time.GetUtcNow().AddSeconds(120), outcome.RetryAfter);
    }

    [Fact]
    public async Task The_same_commentary_again_is_a_duplicate()
    {
        Assert.True((await PublishAsync()).Succeeded);

        var again = await PublishAsync();

        Assert.Equal(ErrorCategory.Duplicate, again.ErrorCategory);
        Assert.Contains("Content is a duplicate of " + _li.Api.Posts.Single().Urn, again.Message);
    }

    [Fact]
    public async Task Media_LinkedIn_does_not_know_is_invalid_content_with_its_message()
    {
        _li.Api.Server.Fail("POST", "/rest/posts", 422, """
            {"message":"ERROR :: /content/media/id :: urn:li:image:C4E10AQnope does not exist","status":422,"errorDetails":{"inputErrors":[{"description":"does not exist","input":{"inputPath":{"fieldPath":"/content/media/id"}},"code":"INVALID_MEDIA"}]}}
            """);

        var outcome = await PublishAsync();

        Assert.Equal(ErrorCategory.InvalidContent, outcome.ErrorCategory);
        Assert.Contains("urn:li:image:C4E10AQnope does not exist", outcome.Message);
    }

    [Fact]
    public async Task A_missing_permission_is_auth()
    {
        _li.Api.Server.Fail("POST", "/rest/posts", 403, """{"status":403,"serviceErrorCode":100,"code":"ACCESS_DENIED","message":"Not enough permissions to access: partnerApiPostsExternal.CREATE.20260101"}""");

        Assert.Equal(ErrorCategory.Auth, (await PublishAsync()).ErrorCategory);
    }

    [Fact]
    public async Task A_retired_api_version_is_a_configuration_error_naming_the_setting_not_invalid_content()
    {
        _li.Api.Version = "202701";

        var outcome = await PublishAsync();

        Assert.Equal(ErrorCategory.Configuration, outcome.ErrorCategory);
        Assert.Contains("PostNext:Platforms:linkedin:ApiVersion", outcome.Message);
        Assert.Contains("Requested version 202601 is not active", outcome.Message);
        Assert.Empty(_li.Api.Posts);
    }

    [Fact]
    public async Task A_create_answered_DUPLICATE_POST_after_an_earlier_attempt_sent_its_create_is_that_earlier_post()
    {
        var content = new PostContent("sent once, answer lost", []);
        var earlier = _li.Api.AddPost(FakeLinkedInApi.MemberUrn, LittleText.Escape(content.Text), DateTimeOffset.UtcNow.AddMinutes(-3));
        var checkpoints = new Dictionary<string, string> { [LinkedInConnector.CreateSentCheckpoint] = DateTimeOffset.UtcNow.AddMinutes(-3).ToString("O") };

        var outcome = await _li.Connector.PublishAsync(
            new PublishRequest("pub-li-1", "attempt-2", _li.Member, content, checkpoints, _li.Journal), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal(earlier.Urn, outcome.ExternalId);
        Assert.Equal("https://www.linkedin.com/feed/update/" + earlier.Urn, outcome.Permalink);
        Assert.Single(_li.Api.Posts);
    }

    [Fact]
    public async Task A_DUPLICATE_POST_on_a_first_attempt_stays_a_duplicate_because_the_other_post_is_not_this_publications()
    {
        _li.Api.AddPost(FakeLinkedInApi.MemberUrn, LittleText.Escape(Text.Text), DateTimeOffset.UtcNow.AddDays(-1));

        var outcome = await PublishAsync();

        Assert.Equal(ErrorCategory.Duplicate, outcome.ErrorCategory);
    }

    [Fact]
    public async Task A_503_on_the_create_is_transient()
    {
        _li.Api.Server.Fail("POST", "/rest/posts", 503, """{"status":503,"message":"Service Unavailable"}""");

        Assert.Equal(ErrorCategory.Transient, (await PublishAsync()).ErrorCategory);
    }

    [Theory]
    [InlineData(500)]
    [InlineData(504)]
    public async Task Another_5xx_answering_the_create_is_an_unknown_outcome(int status)
    {
        _li.Api.Server.Fail("POST", "/rest/posts", status, """{"status":500,"message":"Internal Server Error"}""");

        Assert.Equal(ErrorCategory.UnknownOutcome, (await PublishAsync()).ErrorCategory);
    }

    [Fact]
    public async Task A_5xx_during_the_upload_is_transient_because_nothing_was_posted()
    {
        _li.Api.Server.Fail("POST", "/rest/images", 500, """{"status":500,"message":"Internal Server Error"}""");
        var content = new PostContent("pic", [new MediaItem(_li.Api.ServeFile("p.png", LinkedInTestbed.Bytes(64, 1), "image/png"), MediaType.Image)]);

        var outcome = await _li.Connector.PublishAsync(_li.Publish(content), CancellationToken.None);

        Assert.Equal(ErrorCategory.Transient, outcome.ErrorCategory);
        Assert.Empty(_li.Requests("POST", "/rest/posts"));
    }

    [Fact]
    public async Task A_timeout_before_the_create_is_transient()
    {
        _li.Api.Server.Hang("PUT", "/dms-uploads/image/", TimeSpan.FromSeconds(30));
        var content = new PostContent("pic", [new MediaItem(_li.Api.ServeFile("p.png", LinkedInTestbed.Bytes(64, 1), "image/png"), MediaType.Image)]);

        var outcome = await _li.Connector.PublishAsync(_li.Publish(content), CancellationToken.None);

        Assert.Equal(ErrorCategory.Transient, outcome.ErrorCategory);
        Assert.Empty(_li.Requests("POST", "/rest/posts"));
    }

    [Fact]
    public async Task A_timeout_on_the_create_is_an_unknown_outcome()
    {
        _li.Api.Server.Hang("POST", "/rest/posts", TimeSpan.FromSeconds(30));

        Assert.Equal(ErrorCategory.UnknownOutcome, (await PublishAsync()).ErrorCategory);
    }

    private Task<PublishOutcome> PublishAsync() => _li.Connector.PublishAsync(_li.Publish(Text), CancellationToken.None);
}
