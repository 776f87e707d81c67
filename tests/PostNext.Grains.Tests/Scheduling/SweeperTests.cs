using Npgsql;
using PostNext.Abstractions.Posts;

namespace PostNext.Grains.Tests.Scheduling;

/// <summary>The sweeper wakes publications whose tick is overdue, and healthy attempts never crowd them out.</summary>
[Collection(PostgresCollection.Name)]
public sealed class SweeperTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_lost_reminder_is_swept_even_behind_more_healthy_publishing_attempts_than_one_sweep_takes()
    {
        var database = await postgres.CreateDatabaseAsync();
        var serviceId = Guid.NewGuid().ToString("N");
        string postId;
        IReadOnlyList<string> accounts;
        await using (var before = await SchedulingCluster.StartOnPostgresAsync(database, serviceId))
        {
            (var ws, accounts) = await before.CreateWorkspaceAsync(1);
            postId = await before.SchedulePostAsync(ws, accounts, DateTimeOffset.UtcNow.AddSeconds(3));
        }

        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();

            // Lose every wake-up but the sweeper's while the cluster is down: only the sweeper can still wake this publication.
            await using (var delete = new NpgsqlCommand("DELETE FROM orleans_reminder WHERE reminder_name <> 'sweep' AND $1 <> ''", connection))
            {
                delete.Parameters.Add(new NpgsqlParameter { Value = postId });
                Assert.True(await delete.ExecuteNonQueryAsync() >= 1, "no wake-up to lose");
            }

            // 600 attempts in flight, all due earlier, each inside its lease (as a busy cluster has them): more than one sweep takes.
            await using var healthy = new NpgsqlCommand("""
                INSERT INTO postnext_calendar (workspace_id, post_id, account_id, platform, status, scheduled_at, at, published_at, revision, wake_at)
                SELECT 'ws-busy', 'post-busy-' || n, 'acc-busy', 'sandbox', 'publishing', now() - interval '10 minutes', now() - interval '10 minutes', NULL, 3,
                       now() + interval '5 minutes'
                FROM generate_series(1, 600) AS n
                """, connection);
            Assert.Equal(600, await healthy.ExecuteNonQueryAsync());
        }

        await Task.Delay(TimeSpan.FromSeconds(4));
        await using var after = await SchedulingCluster.StartOnPostgresAsync(database, serviceId);
        var post = await after.WaitForPostAsync(postId, p => p.Status == PostStatus.Published, TimeSpan.FromSeconds(40));

        Assert.Single(await after.Sandbox.FindAsync(accounts[0], PublicationKey.For(postId, accounts[0])));
        Assert.True(post.Targets[0].Publication!.Late);
    }
}
