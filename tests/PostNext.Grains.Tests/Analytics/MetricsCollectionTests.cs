using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Analytics;
using PostNext.Abstractions.Posts;
using PostNext.Grains.Analytics;

namespace PostNext.Grains.Tests.Analytics;

/// <summary>After publishing, a post is read on a decaying schedule; every reading is kept; velocity comes from the first hour.</summary>
public sealed class MetricsCollectionTests
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public void The_schedule_reads_every_5_minutes_for_an_hour_then_hourly_for_a_day_then_daily_for_30_days()
    {
        var offsets = MetricsSchedule.Offsets(new AnalyticsOptions());

        Assert.Equal(12 + 23 + 29, offsets.Count);
        Assert.Equal(Enumerable.Range(1, 12).Select(i => TimeSpan.FromMinutes(5 * i)), offsets.Take(12));
        Assert.Equal(Enumerable.Range(2, 23).Select(h => TimeSpan.FromHours(h)), offsets.Skip(12).Take(23));
        Assert.Equal(Enumerable.Range(2, 29).Select(d => TimeSpan.FromDays(d)), offsets.Skip(35));
    }

    [Fact]
    public async Task A_published_post_is_read_64_times_in_30_days_and_every_reading_is_kept()
    {
        await using var cluster = await AnalyticsCluster.StartInMemoryAsync(Start);
        var (ws, account) = await cluster.CreateAccountAsync("UTC", new SandboxBehaviour(Followers: 20_000));
        var post = AnalyticsCluster.Published(ws, account, Start.AddMinutes(1), "Launch #day", new MediaItem("https://cdn.example.com/a.jpg", MediaType.Image));
        var grain = cluster.Client.GetGrain<IPostMetricsGrain>(PublicationKey.For(post.PostId, account));

        var first = await grain.StartAsync(post);
        var again = await grain.StartAsync(post with { PublishedAt = Start.AddDays(3) });
        Assert.Equal(post.PublishedAt.AddMinutes(5), first.NextReadingAt);
        Assert.Equal(first, again);
        Assert.Equal(0, (await grain.CollectDueAsync()).Readings); // nothing due yet

        var offsets = MetricsSchedule.Offsets(new AnalyticsOptions());
        var done = await PlayReadingsAsync(cluster, grain, post.PublishedAt.AddDays(31));
        var series = (await grain.GetSeriesAsync())!;

        Assert.True(done.Finished);
        Assert.Null(done.NextReadingAt);
        Assert.Equal(offsets.Count, done.Readings);
        Assert.Equal(offsets.Select(o => post.PublishedAt + o), series.Readings.Select(r => r.ReadAt));
        Assert.Equal(series.Readings.Count, (await cluster.Metrics.ListPostSnapshotsAsync(post.PostId, account)).Count);
        Assert.True(series.Readings.Zip(series.Readings.Skip(1)).All(p => p.Second.Likes >= p.First.Likes), "likes only grow");
        Assert.True(series.Readings[11].Likes > series.Readings[^1].Likes / 10, "much of the engagement comes early");
        Assert.Equal(ContentKind.Image, series.ContentKind);

        var sixtyMinutes = series.Readings.Single(r => r.ReadAt == post.PublishedAt.AddMinutes(60));
        Assert.Equal(sixtyMinutes.Likes / 60.0, series.FirstHourLikesPerMinute!.Value, 9);

        var audience = await cluster.Metrics.ListAccountSnapshotsAsync(account, DateTimeOffset.MinValue, DateTimeOffset.MaxValue);
        Assert.Equal(20_000, Assert.Single(audience).Metrics.Followers);
    }

    [Fact]
    public async Task Readings_missed_during_an_outage_collapse_into_one_and_the_schedule_resumes_after_it()
    {
        await using var cluster = await AnalyticsCluster.StartInMemoryAsync(Start);
        var (ws, account) = await cluster.CreateAccountAsync("UTC");
        var post = AnalyticsCluster.Published(ws, account, Start);
        var grain = cluster.Client.GetGrain<IPostMetricsGrain>(PublicationKey.For(post.PostId, account));
        await grain.StartAsync(post);

        cluster.Time.SetUtcNow(Start.AddMinutes(45));
        await grain.CollectDueAsync();
        cluster.Time.SetUtcNow(Start.AddMinutes(70)); // the 55- and 60-minute readings were missed
        var afterGap = await grain.CollectDueAsync();
        cluster.Time.SetUtcNow(Start.AddDays(3).AddHours(1));
        var afterOutage = await grain.CollectDueAsync();
        var idle = await grain.CollectDueAsync();
        var series = (await grain.GetSeriesAsync())!;

        Assert.Equal(Start.AddHours(2), afterGap.NextReadingAt);
        Assert.Equal(3, afterOutage.Readings);
        Assert.Equal(Start.AddDays(4), afterOutage.NextReadingAt);
        Assert.Equal(afterOutage, idle);
        Assert.Equal([Start.AddMinutes(45), Start.AddMinutes(70), Start.AddDays(3).AddHours(1)], series.Readings.Select(r => r.ReadAt));

        // Velocity: the reading nearest 60 minutes within the first 75 is the 70-minute one (45 is further away).
        Assert.Equal(series.Readings[1].Likes / 70.0, series.FirstHourLikesPerMinute!.Value, 9);
    }

    [Fact]
    public async Task Collection_stops_when_the_account_is_removed()
    {
        await using var cluster = await AnalyticsCluster.StartInMemoryAsync(Start);
        var (ws, account) = await cluster.CreateAccountAsync("UTC");
        var post = AnalyticsCluster.Published(ws, account, Start);
        var grain = cluster.Client.GetGrain<IPostMetricsGrain>(PublicationKey.For(post.PostId, account));
        await grain.StartAsync(post);
        await cluster.Client.GetGrain<IAccountGrain>(account).RemoveAsync();

        cluster.Time.SetUtcNow(Start.AddMinutes(5));
        var progress = await grain.CollectDueAsync();

        Assert.True(progress.Finished);
        Assert.Null(progress.NextReadingAt);
        Assert.Equal(0, progress.Readings);
        Assert.NotNull(progress.LastError);
    }

    private static async Task<MetricsProgress> PlayReadingsAsync(AnalyticsCluster cluster, IPostMetricsGrain grain, DateTimeOffset until)
    {
        var progress = await grain.CollectDueAsync();
        while (progress.NextReadingAt is { } next && next <= until)
        {
            if (next > cluster.Time.GetUtcNow())
            {
                cluster.Time.SetUtcNow(next);
            }

            progress = await grain.CollectDueAsync();
        }

        return progress;
    }
}
