using Npgsql;
using PostNext.Abstractions.Posts;
using PostNext.Storage.Calendar;

namespace PostNext.Grains.Tests.Scheduling;

/// <summary>Publishes are fired by one reminder per time bucket and due shard, not one per publication.</summary>
[Collection(PostgresCollection.Name)]
public sealed class DueBucketTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Three_hundred_posts_due_at_one_instant_publish_once_each_from_a_handful_of_reminder_rows()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var cluster = await SchedulingCluster.StartOnPostgresAsync(database, Guid.NewGuid().ToString("N"));
        var (ws, accounts) = await cluster.CreateWorkspaceAsync(30);
        var due = DateTimeOffset.UtcNow.AddSeconds(12);
        var posts = new List<string>();
        for (var i = 0; i < 300; i++)
        {
            posts.Add(await cluster.SchedulePostAsync(ws, [accounts[i % accounts.Count]], due));
        }

        long reminders;
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var count = new NpgsqlCommand("SELECT count(*) FROM orleans_reminder", connection);
            reminders = (long)(await count.ExecuteScalarAsync())!;
        }

        // The sweeper's, plus at most every shard of the two buckets an instant can straddle.
        Assert.InRange(reminders, 1, 1 + 2 * DueShards.Count);

        foreach (var post in posts)
        {
            await cluster.WaitForPostAsync(post, p => p.Status == PostStatus.Published, TimeSpan.FromSeconds(60));
        }

        for (var i = 0; i < posts.Count; i++)
        {
            var receipt = Assert.Single(await cluster.Sandbox.FindAsync(accounts[i % accounts.Count], PublicationKey.For(posts[i], accounts[i % accounts.Count])));
            Assert.True(receipt.ReceivedAt >= due, $"published at {receipt.ReceivedAt:O}, before its time {due:O}");
        }
    }

    [Fact]
    public async Task Published_posts_are_followed_for_metrics_by_their_due_buckets_not_by_a_reminder_each()
    {
        var database = await postgres.CreateDatabaseAsync();
        var fastReadings = new Dictionary<string, string?>
        {
            ["PostNext:Analytics:FirstHourInterval"] = "00:00:03",
            ["PostNext:Analytics:FirstHour"] = "00:00:06",
        };
        await using var cluster = await SchedulingCluster.StartOnPostgresAsync(database, Guid.NewGuid().ToString("N"), settings: fastReadings);
        var (ws, accounts) = await cluster.CreateWorkspaceAsync(10);
        var due = DateTimeOffset.UtcNow.AddSeconds(6);
        var posts = new List<(string Post, string Account)>();
        for (var i = 0; i < 40; i++)
        {
            posts.Add((await cluster.SchedulePostAsync(ws, [accounts[i % accounts.Count]], due), accounts[i % accounts.Count]));
        }

        foreach (var (post, _) in posts)
        {
            await cluster.WaitForPostAsync(post, p => p.Status == PostStatus.Published, TimeSpan.FromSeconds(60));
        }

        // Every published post is read at its first reading time, 3 s after publishing, woken by its due bucket.
        var deadline = DateTime.UtcNow.AddSeconds(60);
        foreach (var (post, account) in posts)
        {
            var metrics = cluster.Client.GetGrain<PostNext.Abstractions.Analytics.IPostMetricsGrain>(PublicationKey.For(post, account));
            while ((await metrics.GetSeriesAsync())?.Readings.Count is null or 0)
            {
                Assert.True(DateTime.UtcNow < deadline, $"{post} to {account} was never read");
                await Task.Delay(200);
            }

            var series = (await metrics.GetSeriesAsync())!;
            Assert.True(series.Readings[0].ReadAt >= series.PublishedAt.AddSeconds(3), "read before its first reading was due");
        }

        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var count = new NpgsqlCommand("SELECT reminder_name, count(*) FROM orleans_reminder GROUP BY reminder_name", connection);
        var reminders = new Dictionary<string, long>();
        await using (var reader = await count.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                reminders[reader.GetString(0)] = reader.GetInt64(1);
            }
        }

        // The sweeper's, the due buckets' and one per account (its daily audience reading): none per publication, none per tracked post.
        Assert.Equal(["audience", "due", "sweep"], reminders.Keys.Order().ToArray());
        Assert.InRange(reminders["due"], 1, 2 * DueShards.Count);
        Assert.InRange(reminders["audience"], 1, accounts.Count);
    }

    [Fact]
    public async Task Publications_arming_one_bucket_at_the_same_moment_write_its_reminder_once()
    {
        // 10,000 publications published at one instant each arm the bucket of their first metrics reading: the bucket's
        // arming interleaves, and each call that came before the first registration finished registered again (1,977
        // reminder upserts in the benchmark's publish window).
        var database = await postgres.CreateDatabaseAsync();
        await using var cluster = await SchedulingCluster.StartOnPostgresAsync(database, Guid.NewGuid().ToString("N"));
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using (var trigger = new NpgsqlCommand(
            """
            CREATE TABLE reminder_writes (grain_id text NOT NULL, reminder_name text NOT NULL);
            CREATE FUNCTION count_reminder_write() RETURNS trigger LANGUAGE plpgsql AS
              $$ BEGIN INSERT INTO reminder_writes VALUES (NEW.grain_id, NEW.reminder_name); RETURN NEW; END $$;
            CREATE TRIGGER count_reminder_writes AFTER INSERT OR UPDATE ON orleans_reminder FOR EACH ROW EXECUTE FUNCTION count_reminder_write();
            """, connection))
        {
            await trigger.ExecuteNonQueryAsync();
        }

        var start = DueBuckets.StartOf(DateTimeOffset.UtcNow.AddHours(3), TimeSpan.FromHours(1));
        var bucket = cluster.Client.GetGrain<IDueBucketGrain>(DueBuckets.Key(start, 0));
        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => bucket.EnsureArmedAsync(start.AddSeconds(i))));

        await using var count = new NpgsqlCommand("SELECT count(*) FROM reminder_writes WHERE reminder_name = 'due'", connection);
        Assert.Equal(1L, (long)(await count.ExecuteScalarAsync())!);
    }
}
