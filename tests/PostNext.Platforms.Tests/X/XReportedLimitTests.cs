using System.Globalization;

namespace PostNext.Platforms.Tests.X;

/// <summary>
/// What X's rate-limit headers say comes back in the outcome (<see cref="PublishOutcome.Limit"/>), successes included:
/// a post that spends the last of a window blocks the account until its reset just as a 429 would, whichever call of
/// the publish spent it.
/// </summary>
public sealed class XReportedLimitTests : IAsyncLifetime
{
    private static readonly DateTimeOffset Reset = DateTimeOffset.FromUnixTimeSeconds(1796119200);
    private static readonly DateTimeOffset LaterReset = DateTimeOffset.FromUnixTimeSeconds(1796180000);
    private XTestbed _x = null!;

    public async Task InitializeAsync() => _x = await XTestbed.StartAsync();

    public async Task DisposeAsync() => await _x.DisposeAsync();

    [Fact]
    public async Task A_post_that_spends_the_last_of_the_window_succeeds_and_reports_the_account_blocked_until_the_reset()
    {
        _x.Api.Server.AddHeaders("POST", "/2/tweets", Window(100, 0, Reset));

        var outcome = await _x.Connector.PublishAsync(_x.Publish(new PostContent("The last one", [])), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Single(_x.Api.Tweets);
        Assert.Equal(new PlatformLimit(100, 0, Reset, Reset), outcome.Limit);
    }

    [Fact]
    public async Task A_post_with_budget_left_reports_what_is_left_and_blocks_nothing()
    {
        _x.Api.Server.AddHeaders("POST", "/2/tweets", Window(100, 42, Reset));

        var outcome = await _x.Connector.PublishAsync(_x.Publish(new PostContent("Plenty left", [])), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal(new PlatformLimit(100, 42, Reset, null), outcome.Limit);
    }

    [Fact]
    public async Task A_media_upload_that_spends_its_window_is_reported_even_though_the_post_itself_had_room()
    {
        _x.Api.Server.AddHeaders("POST", "/2/media/upload/initialize", Window(500, 0, Reset));
        _x.Api.Server.AddHeaders("POST", "/2/tweets", Window(100, 99, LaterReset));
        var content = new PostContent("A picture", [new MediaItem(_x.Api.ServeFile("one.png", new byte[300], "image/png"), MediaType.Image)]);

        var outcome = await _x.Connector.PublishAsync(_x.Publish(content), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal(new PlatformLimit(500, 0, Reset, Reset), outcome.Limit);
    }

    [Fact]
    public async Task A_spent_24_hour_user_limit_on_a_success_wins_over_a_15_minute_window_with_room()
    {
        _x.Api.Server.AddHeaders("POST", "/2/tweets", [
            .. Window(100, 99, Reset),
            ("x-user-limit-24hour-limit", "17"), ("x-user-limit-24hour-remaining", "0"), ("x-user-limit-24hour-reset", Unix(LaterReset)),
        ]);

        var outcome = await _x.Connector.PublishAsync(_x.Publish(new PostContent("Seventeenth today", [])), CancellationToken.None);

        Assert.True(outcome.Succeeded, outcome.Message);
        Assert.Equal(LaterReset, outcome.Limit?.BlockedUntil);
    }

    [Fact]
    public async Task A_429_carries_its_limit_as_well_as_its_retry_time()
    {
        _x.Api.Server.Fail("POST", "/2/tweets", 429, """{"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429}""",
            Window(100, 0, Reset));

        var outcome = await _x.Connector.PublishAsync(_x.Publish(new PostContent("One too many", [])), CancellationToken.None);

        Assert.Equal(ErrorCategory.RateLimited, outcome.ErrorCategory);
        Assert.Equal(Reset, outcome.RetryAfter);
        Assert.Equal(Reset, outcome.Limit?.BlockedUntil);
    }

    private static (string Name, string Value)[] Window(int limit, int remaining, DateTimeOffset reset) =>
    [
        ("x-rate-limit-limit", limit.ToString(CultureInfo.InvariantCulture)),
        ("x-rate-limit-remaining", remaining.ToString(CultureInfo.InvariantCulture)),
        ("x-rate-limit-reset", Unix(reset)),
    ];

    private static string Unix(DateTimeOffset at) => at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
}
