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
}
