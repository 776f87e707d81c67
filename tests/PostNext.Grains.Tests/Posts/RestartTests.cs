using PostNext.Abstractions.Posts;

namespace PostNext.Grains.Tests.Posts;

/// <summary>On the PostgreSQL providers: publications survive a full cluster restart, and those due during the outage publish late, not never.</summary>
[Collection(PostgresCollection.Name)]
public sealed class RestartTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_post_scheduled_three_seconds_ahead_publishes_once_to_each_account_on_postgres()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var cluster = await SchedulingCluster.StartOnPostgresAsync(database, Guid.NewGuid().ToString("N"), silos: 2);
        var (ws, accounts) = await cluster.CreateWorkspaceAsync(3);
        var due = DateTimeOffset.UtcNow.AddSeconds(3);

        var postId = await cluster.SchedulePostAsync(ws, accounts, due);
        await cluster.WaitForPostAsync(postId, p => p.Status == PostStatus.Published, TimeSpan.FromSeconds(40));
        await Task.Delay(TimeSpan.FromSeconds(6));

        foreach (var account in accounts)
        {
            var receipt = Assert.Single(await cluster.Sandbox.FindAsync(account, PublicationKey.For(postId, account)));
            Assert.True(receipt.ReceivedAt >= due);
        }
    }

    [Fact]
    public async Task Posts_scheduled_before_a_full_restart_publish_after_it_once_and_one_due_during_the_outage_is_marked_late()
    {
        var database = await postgres.CreateDatabaseAsync();
        var serviceId = Guid.NewGuid().ToString("N");
        string ws, duringOutage, afterRestart;
        IReadOnlyList<string> accounts;

        await using (var before = await SchedulingCluster.StartOnPostgresAsync(database, serviceId))
        {
            (ws, accounts) = await before.CreateWorkspaceAsync(2);
            duringOutage = await before.SchedulePostAsync(ws, accounts, DateTimeOffset.UtcNow.AddSeconds(4));
            afterRestart = await before.SchedulePostAsync(ws, accounts, DateTimeOffset.UtcNow.AddSeconds(25));
        }

        await Task.Delay(TimeSpan.FromSeconds(9)); // the first post falls due while no silo runs

        await using var after = await SchedulingCluster.StartOnPostgresAsync(database, serviceId);
        var late = await after.WaitForPostAsync(duringOutage, p => p.Status == PostStatus.Published, TimeSpan.FromSeconds(40));
        var onTime = await after.WaitForPostAsync(afterRestart, p => p.Status == PostStatus.Published, TimeSpan.FromSeconds(60));
        await Task.Delay(TimeSpan.FromSeconds(6));

        Assert.All(late.Targets, t => Assert.True(t.Publication!.Late));
        Assert.All(onTime.Targets, t => Assert.False(t.Publication!.Late));
        foreach (var account in accounts)
        {
            Assert.Single(await after.Sandbox.FindAsync(account, PublicationKey.For(duringOutage, account)));
            Assert.Single(await after.Sandbox.FindAsync(account, PublicationKey.For(afterRestart, account)));
        }
    }

    [Fact]
    public async Task A_publication_whose_reminder_was_lost_is_swept_and_published_once()
    {
        var database = await postgres.CreateDatabaseAsync();
        var serviceId = Guid.NewGuid().ToString("N");
        string ws, postId;
        IReadOnlyList<string> accounts;
        await using (var before = await SchedulingCluster.StartOnPostgresAsync(database, serviceId))
        {
            (ws, accounts) = await before.CreateWorkspaceAsync(1);
            postId = await before.SchedulePostAsync(ws, accounts, DateTimeOffset.UtcNow.AddSeconds(3));
        }

        // Lose every wake-up but the sweeper's while the cluster is down (a bad restore, a manual clean-up): no reminder can tick it any more.
        await using (var connection = new Npgsql.NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var delete = new Npgsql.NpgsqlCommand("DELETE FROM orleans_reminder WHERE reminder_name <> 'sweep' AND $1 <> ''", connection);
            delete.Parameters.Add(new Npgsql.NpgsqlParameter { Value = postId });
            Assert.True(await delete.ExecuteNonQueryAsync() >= 1, "no wake-up to lose");
        }

        await Task.Delay(TimeSpan.FromSeconds(4));
        await using var after = await SchedulingCluster.StartOnPostgresAsync(database, serviceId);
        var post = await after.WaitForPostAsync(postId, p => p.Status == PostStatus.Published, TimeSpan.FromSeconds(40));

        Assert.Single(await after.Sandbox.FindAsync(accounts[0], PublicationKey.For(postId, accounts[0])));
        Assert.True(post.Targets[0].Publication!.Late);
    }
}
