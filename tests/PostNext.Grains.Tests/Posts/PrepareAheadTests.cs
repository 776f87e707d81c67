using Npgsql;
using PostNext.Abstractions.Posts;

namespace PostNext.Grains.Tests.Posts;

/// <summary>
/// A scheduled publication prepares its attempt ahead of its time (permit, token, lease) and calls the platform only at
/// the time; an attempt abandoned before it sent anything goes back to waiting instead of leaving a lease to reconcile.
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class PrepareAheadTests(PostgresFixture postgres)
{
    private static readonly Dictionary<string, string?> Prepare = new() { ["PostNext:Scheduling:PrepareAhead"] = "00:00:05" };

    [Fact]
    public async Task A_publication_prepared_ahead_shows_publishing_before_its_time_and_reaches_the_platform_at_its_time_once()
    {
        var database = await postgres.CreateDatabaseAsync();
        await using var cluster = await SchedulingCluster.StartOnPostgresAsync(database, Guid.NewGuid().ToString("N"), settings: Prepare);
        var (ws, accounts) = await cluster.CreateWorkspaceAsync(1);
        var due = DateTimeOffset.UtcNow.AddSeconds(8);
        var postId = await cluster.SchedulePostAsync(ws, accounts, due);
        var key = PublicationKey.For(postId, accounts[0]);

        await cluster.WaitForPostAsync(postId, p => p.Targets[0].Publication?.Status == PublicationStatus.Publishing, TimeSpan.FromSeconds(8));
        Assert.True(DateTimeOffset.UtcNow < due, "the attempt was not prepared ahead of its time");
        Assert.Empty(await cluster.Sandbox.FindAsync(accounts[0], key));

        await cluster.WaitForPostAsync(postId, p => p.Status == PostStatus.Published, TimeSpan.FromSeconds(30));
        var receipt = Assert.Single(await cluster.Sandbox.FindAsync(accounts[0], key));
        Assert.True(receipt.ReceivedAt >= due, $"sent at {receipt.ReceivedAt:O}, before its time {due:O}");
    }

    [Fact]
    public async Task A_prepared_attempt_whose_silo_stops_before_its_time_sends_nothing_is_stored_as_scheduled_again_and_publishes_once_after_the_restart()
    {
        var database = await postgres.CreateDatabaseAsync();
        var serviceId = Guid.NewGuid().ToString("N");
        string postId;
        IReadOnlyList<string> accounts;
        var due = DateTimeOffset.UtcNow.AddSeconds(9);
        await using (var before = await SchedulingCluster.StartOnPostgresAsync(database, serviceId, settings: Prepare))
        {
            (var ws, accounts) = await before.CreateWorkspaceAsync(1);
            postId = await before.SchedulePostAsync(ws, accounts, due);
            await before.WaitForPostAsync(postId, p => p.Targets[0].Publication?.Status == PublicationStatus.Publishing, TimeSpan.FromSeconds(8));
        }

        // Stopped gracefully while the attempt waited for its time: the lease is given back, not left to run out.
        Assert.True(DateTimeOffset.UtcNow < due, "the cluster stopped only after the time; the test proves nothing");
        await using (var connection = new NpgsqlConnection(database))
        {
            await connection.OpenAsync();
            await using var read = new NpgsqlCommand("SELECT status FROM postnext_calendar WHERE post_id = $1", connection);
            read.Parameters.Add(new NpgsqlParameter { Value = postId });
            Assert.Equal("scheduled", (string?)await read.ExecuteScalarAsync());
        }

        await using var after = await SchedulingCluster.StartOnPostgresAsync(database, serviceId, settings: Prepare);
        Assert.Empty(await after.Sandbox.FindAsync(accounts[0], PublicationKey.For(postId, accounts[0])));
        var post = await after.WaitForPostAsync(postId, p => p.Status == PostStatus.Published, TimeSpan.FromSeconds(40));
        var receipt = Assert.Single(await after.Sandbox.FindAsync(accounts[0], PublicationKey.For(postId, accounts[0])));
        Assert.True(receipt.ReceivedAt >= due);
        Assert.Equal(1, post.Targets[0].Publication!.Attempts);
    }
}
