using PostNext.Abstractions;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Analytics;
using PostNext.Abstractions.Posts;
using PostNext.Abstractions.Workspaces;
using PostNext.Grains.Analytics;

namespace PostNext.Grains.Tests.Analytics;

/// <summary>Engagement rate, health band, first-hour velocity, hashtags and content types on a small fixed data set, checked by hand.</summary>
public sealed class EngagementFiguresTests
{
    private static readonly DateTimeOffset D = new(2026, 3, 2, 0, 0, 0, TimeSpan.Zero); // a Monday, workspace in UTC

    [Theory]
    [InlineData(1_000, 3.0, 5.0)]
    [InlineData(10_000, 3.0, 5.0)]
    [InlineData(31_623, 2.0, 4.0)] // 10^4.5: half-way between 10K and 100K in log scale
    [InlineData(100_000, 1.0, 3.0)]
    [InlineData(2_000_000, 1.0, 3.0)]
    public void The_healthy_range_is_3_to_5_percent_under_10K_and_1_to_3_over_100K_moving_in_log10_between(long followers, double low, double high)
    {
        var range = HealthBands.HealthyRange(followers);

        Assert.Equal(low, range.Low, 3);
        Assert.Equal(high, range.High, 3);
    }

    [Theory]
    [InlineData(2.99, HealthLevel.Below)]
    [InlineData(3.00, HealthLevel.Healthy)]
    [InlineData(5.00, HealthLevel.Healthy)]
    [InlineData(5.01, HealthLevel.Above)]
    public void A_small_account_is_healthy_between_3_and_5_percent_inclusive(double rate, HealthLevel expected) =>
        Assert.Equal(expected, HealthBands.For(5_000, rate)!.Level);

    [Theory]
    [InlineData("Morning #Coffee and #launch, #coffee again", "coffee,launch")]
    [InlineData("no#tag, &#39; entity, #2026 digits only, #été_2026 ok", "été_2026")]
    [InlineData("", "")]
    public void Hashtags_are_distinct_lower_case_words_after_a_free_standing_hash(string text, string expected) =>
        Assert.Equal(expected, string.Join(",", PostTraits.HashtagsIn(text)));

    [Fact]
    public void Posts_are_text_image_video_or_carousel_by_their_media()
    {
        MediaItem image = new("https://cdn.example.com/a.jpg", MediaType.Image), video = new("https://cdn.example.com/a.mp4", MediaType.Video);

        Assert.Equal(ContentKind.Text, PostTraits.KindOf(new PostContent("hi", [])));
        Assert.Equal(ContentKind.Image, PostTraits.KindOf(new PostContent("hi", [image])));
        Assert.Equal(ContentKind.Video, PostTraits.KindOf(new PostContent("hi", [video])));
        Assert.Equal(ContentKind.Carousel, PostTraits.KindOf(new PostContent("hi", [image, video])));
    }

    [Fact]
    public async Task Rates_health_velocity_hashtags_and_content_types_match_the_hand_computed_figures()
    {
        await using var cluster = await AnalyticsCluster.StartInMemoryAsync(D);
        var (ws, account) = await cluster.CreateAccountAsync("UTC");
        var grain = cluster.Client.GetGrain<IAccountEngagementGrain>(account);
        await grain.RecordAudienceAsync(new AccountMetrics(20_000, null, null, D.AddHours(8)));

        // P1, text, two readings (the daily series takes the difference); P2 image; P3 video without impressions.
        await grain.RecordPostAsync(Post("p1", D.AddHours(9), ContentKind.Text, ["coffee", "launch"], null));
        await grain.RecordPostAsync(Post("p1", D.AddHours(9), ContentKind.Text, ["coffee", "launch"], new PostMetrics(200, 20, 5, 4_000, null, 5, D.AddHours(10))));
        await grain.RecordPostAsync(Post("p1", D.AddHours(9), ContentKind.Text, ["coffee", "launch"], new PostMetrics(500, 60, 20, 12_000, null, 20, D.AddHours(33)), 2.5));
        await grain.RecordPostAsync(Post("p2", D.AddHours(12), ContentKind.Image, ["launch"], new PostMetrics(800, 100, 50, 20_000, null, 50, D.AddHours(36)), 4.0));
        await grain.RecordPostAsync(Post("p3", D.AddHours(42), ContentKind.Video, ["coffee"], new PostMetrics(300, 40, 30, null, 5_000, 30, D.AddHours(66))));
        await grain.RecordAudienceAsync(new AccountMetrics(21_000, null, null, D.AddDays(3)));

        var report = await grain.GetReportAsync(D, D.AddDays(7));

        // Interactions: p1 500+60+20+20 = 600, p2 800+100+50+50 = 1000, p3 300+40+30+30 = 400, all read at 20,000 followers.
        Assert.Equal(3, report.PostsPublished);
        Assert.Equal(new EngagementTotals(1_600, 200, 100, 100, 32_000, 5_000, 2_000), report.Totals);
        Assert.Equal((3.0 + 5.0 + 2.0) / 3, report.Rates.ByFollowers!.Value, 9);
        Assert.Equal((5.0 + 5.0) / 2, report.Rates.ByImpressions!.Value, 9); // 600/12,000 and 1,000/20,000; p3 has none
        Assert.Equal((2.5 + 4.0) / 2, report.AverageFirstHourLikesPerMinute!.Value, 9);
        Assert.Equal(21_000, report.Followers);
        Assert.Equal(1_000, report.FollowersChange);

        // Health at 21,000 followers: both ends move down by 2 × log10(21,000 / 10,000).
        var shift = 2 * Math.Log10(2.1);
        Assert.Equal(3 - shift, report.Health!.HealthyLow, 4);
        Assert.Equal(5 - shift, report.Health.HealthyHigh, 4);
        Assert.Equal(HealthLevel.Healthy, report.Health.Level);

        // Daily: differences between readings land on the day of the reading.
        Assert.Equal(7, report.Daily.Count);
        Assert.Equal((200L, 30L, 2), (report.Daily[0].Likes, report.Daily[0].Comments + report.Daily[0].Shares + report.Daily[0].Saves, report.Daily[0].PostsPublished));
        Assert.Equal((300L + 800, 1), (report.Daily[1].Likes, report.Daily[1].PostsPublished));
        Assert.Equal((300L, 5_000L), (report.Daily[2].Likes, report.Daily[2].Views));
        Assert.Equal(21_000, report.Daily[3].Followers);

        Assert.Equal(["p2", "p1", "p3"], report.TopPosts.Select(p => p.PostId));
        Assert.Equal(
            [(ContentKind.Text, 1, 600.0, (double?)3.0), (ContentKind.Image, 1, 1_000.0, 5.0), (ContentKind.Video, 1, 400.0, 2.0), (ContentKind.Carousel, 0, 0.0, null)],
            report.ContentKinds.Select(k => (k.Kind, k.Posts, k.AverageInteractions, k.AverageRate)));
        Assert.Equal(
            [("launch", 2, 800.0, (double?)4.0), ("coffee", 2, 500.0, 2.5)],
            report.Hashtags.Select(h => (h.Hashtag, h.Uses, h.AverageInteractions, h.AverageRate)));

        var monday9 = report.Heatmap.Single(c => c.Day == DayOfWeek.Monday && c.Hour == 9);
        Assert.Equal((1, (double?)3.0), (monday9.Posts, monday9.AverageScore));
        Assert.Equal(168, report.Heatmap.Count);
    }

    [Fact]
    public async Task The_workspace_rolls_its_accounts_up_and_gives_each_its_own_health_band()
    {
        await using var cluster = await AnalyticsCluster.StartInMemoryAsync(D);
        var (ws, big) = await cluster.CreateAccountAsync("UTC");
        var small = Ids.New(Ids.Account);
        await cluster.Client.GetGrain<IAccountGrain>(small).ConnectAsync(new ConnectAccount(ws, "sandbox", "small", null, null, null));
        await cluster.Client.GetGrain<IWorkspaceGrain>(ws).AddAccountAsync(small);

        await cluster.Client.GetGrain<IAccountEngagementGrain>(big).RecordAudienceAsync(new AccountMetrics(200_000, null, null, D));
        await cluster.Client.GetGrain<IAccountEngagementGrain>(small).RecordAudienceAsync(new AccountMetrics(5_000, null, null, D));
        await cluster.Client.GetGrain<IAccountEngagementGrain>(big).RecordPostAsync(
            Post("b1", D.AddHours(10), ContentKind.Carousel, ["team"], new PostMetrics(3_000, 500, 300, 100_000, null, 200, D.AddHours(20))));
        await cluster.Client.GetGrain<IAccountEngagementGrain>(small).RecordPostAsync(
            Post("s1", D.AddHours(11), ContentKind.Text, ["team"], new PostMetrics(200, 30, 10, null, null, 10, D.AddHours(20))));

        var report = await cluster.Client.GetGrain<IWorkspaceAnalyticsGrain>(ws).GetReportAsync(D, D.AddDays(1));

        // b1: 4,000 / 200,000 = 2 %; s1: 250 / 5,000 = 5 %.
        Assert.Equal(2, report.PostsPublished);
        Assert.Equal(205_000, report.Followers);
        Assert.Equal(4_250, report.Totals.Interactions);
        Assert.Equal(3.5, report.Rates.ByFollowers!.Value, 9);
        Assert.Null(report.Health);
        var lines = report.Accounts.ToDictionary(a => a.AccountId);
        Assert.Equal((1.0, 3.0, HealthLevel.Healthy), (lines[big].Health!.HealthyLow, lines[big].Health!.HealthyHigh, lines[big].Health!.Level));
        Assert.Equal((3.0, 5.0, HealthLevel.Healthy), (lines[small].Health!.HealthyLow, lines[small].Health!.HealthyHigh, lines[small].Health!.Level));
        Assert.Equal(("team", 2, 2_125.0), (report.Hashtags[0].Hashtag, report.Hashtags[0].Uses, report.Hashtags[0].AverageInteractions));
    }

    private static PostReading Post(string id, DateTimeOffset publishedAt, ContentKind kind, string[] hashtags, PostMetrics? metrics, double? velocity = null) =>
        new(id, publishedAt, kind, hashtags, metrics, velocity);
}
