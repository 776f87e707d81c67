using Microsoft.Extensions.Time.Testing;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Analytics;
using PostNext.Abstractions.Posts;

namespace PostNext.Grains.Tests.Analytics;

/// <summary>On PostgreSQL, the snapshot history and the aggregates survive a full cluster restart, and collection carries on after it.</summary>
[Collection(PostgresCollection.Name)]
public sealed class MetricsHistoryRestartTests(PostgresFixture postgres)
{
    private static readonly DateTimeOffset Start = new(2026, 3, 2, 8, 0, 0, TimeSpan.Zero);

    [Fact]
    public async Task Snapshot_history_survives_a_full_cluster_restart_on_postgres()
    {
        var database = await postgres.CreateDatabaseAsync();
        var serviceId = Guid.NewGuid().ToString("N");
        var time = new FakeTimeProvider(Start);
        TrackPost post;
        string account;
        IReadOnlyList<PostMetrics> before;
        EngagementReport reportBefore;

        await using (var cluster = await AnalyticsCluster.StartOnPostgresAsync(database, serviceId, time))
        {
            (var ws, account) = await cluster.CreateAccountAsync("UTC", new SandboxBehaviour(Followers: 8_000));
            post = AnalyticsCluster.Published(ws, account, Start, "Restart-proof #history");
            var grain = cluster.Client.GetGrain<IPostMetricsGrain>(PublicationKey.For(post.PostId, account));
            await grain.StartAsync(post);
            for (var minutes = 5; minutes <= 20; minutes += 5)
            {
                time.SetUtcNow(Start.AddMinutes(minutes));
                await grain.CollectDueAsync();
            }

            before = (await grain.GetSeriesAsync())!.Readings;
            reportBefore = await cluster.Client.GetGrain<IAccountEngagementGrain>(account).GetReportAsync(Start, Start.AddDays(1));
        }

        await using (var cluster = await AnalyticsCluster.StartOnPostgresAsync(database, serviceId, time))
        {
            var grain = cluster.Client.GetGrain<IPostMetricsGrain>(PublicationKey.For(post.PostId, account));
            var series = (await grain.GetSeriesAsync())!;
            var engagement = cluster.Client.GetGrain<IAccountEngagementGrain>(account);
            var reportAfter = await engagement.GetReportAsync(Start, Start.AddDays(1));

            Assert.Equal(4, before.Count);
            Assert.Equal(before, series.Readings);
            Assert.Equal(Start.AddMinutes(25), series.Progress.NextReadingAt);
            Assert.Equal(reportBefore.Totals, reportAfter.Totals);
            Assert.Equal(8_000, reportAfter.Followers);
            Assert.Equal(["history"], reportAfter.TopPosts.Single().Hashtags);
            var audience = await cluster.Metrics.ListAccountSnapshotsAsync(account, DateTimeOffset.MinValue.AddYears(1), DateTimeOffset.MaxValue.AddYears(-1));
            Assert.Equal(8_000, Assert.Single(audience).Metrics.Followers);

            time.SetUtcNow(Start.AddMinutes(25));
            var progress = await grain.CollectDueAsync();
            Assert.Equal(5, progress.Readings);
            Assert.Equal(5, (await cluster.Metrics.ListPostSnapshotsAsync(post.PostId, account)).Count);
            Assert.True((await engagement.GetReportAsync(Start, Start.AddDays(1))).Totals.Likes >= reportBefore.Totals.Likes);
        }
    }
}
