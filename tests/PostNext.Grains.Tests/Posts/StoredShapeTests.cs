using Npgsql;
using PostNext.Abstractions;
using PostNext.Abstractions.Posts;

namespace PostNext.Grains.Tests.Posts;

/// <summary>
/// Posts in their PostgreSQL rows: one without per-target options and one with them, both read back whole after a
/// full restart; nothing of them is in Orleans grain storage (the state and the list entry are one row).
/// </summary>
[Collection(PostgresCollection.Name)]
public sealed class StoredShapeTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Posts_stored_without_options_as_before_and_with_options_read_back_whole_after_a_restart()
    {
        var database = await postgres.CreateDatabaseAsync();
        var serviceId = Guid.NewGuid().ToString("N");
        var due = DateTimeOffset.UtcNow.AddDays(1);
        var options = new PostOptions(Instagram: new InstagramPostOptions(PostTypes.Reel, true, ["baker.one", "baker.two"], null));
        string plainId, withOptionsId;
        PostView plain, withOptions;
        await using (var before = await SchedulingCluster.StartOnPostgresAsync(database, serviceId))
        {
            var (ws, accounts) = await before.CreateWorkspaceAsync(2);
            plainId = await before.SchedulePostAsync(ws, accounts, due, "Stored as before options");
            withOptionsId = Ids.New(Ids.Post);
            var created = await before.Client.GetGrain<IPostGrain>(withOptionsId).CreateAsync(new CreatePost(
                ws, new PostContent("Stored with options", []), [new TargetSpec(accounts[0], "sandbox", null, due, options), new TargetSpec(accounts[1], "sandbox", null, due)],
                false, "Europe/Paris", "at", Guid.NewGuid().ToString("N")));
            Assert.Equal(PostOutcome.Created, created.Outcome);
            plain = (await before.Client.GetGrain<IPostGrain>(plainId).GetAsync())!;
            withOptions = (await before.Client.GetGrain<IPostGrain>(withOptionsId).GetAsync())!;
        }

        // What is stored: each post's state in its row, and nothing in grain storage.
        foreach (var postId in new[] { plainId, withOptionsId })
        {
            Assert.Equal((1L, 0L), await StoredAsync(database, serviceId, postId));
        }

        await using var after = await SchedulingCluster.StartOnPostgresAsync(database, serviceId);
        foreach (var stored in new[] { plain, withOptions })
        {
            var read = (await after.Client.GetGrain<IPostGrain>(stored.Id).GetAsync())!;
            Assert.Equal((stored.Status, stored.Content.Text, stored.TimeZone, stored.CreatedAt), (read.Status, read.Content.Text, read.TimeZone, read.CreatedAt));
            Assert.Equal(
                stored.Targets.Select(t => (t.AccountId, t.Platform, t.ScheduledAt, t.Options)),
                read.Targets.Select(t => (t.AccountId, t.Platform, t.ScheduledAt, t.Options)));
        }

        var reread = (await after.Client.GetGrain<IPostGrain>(withOptionsId).GetAsync())!;
        Assert.Equal(options, reread.Targets[0].Options);
        Assert.Null(reread.Targets[1].Options);

        // Both are posts like any other after the restart: their text can be changed.
        var edit = await after.Client.GetGrain<IPostGrain>(plainId).UpdateAsync(new UpdatePost(new PostContent("Edited after the upgrade", []), null, null, null, null));
        Assert.Equal(PostOutcome.Ok, edit.Outcome);
    }

    /// <summary>Rows of the post holding a state in postnext_posts, and rows of it in Orleans grain storage.</summary>
    private static async Task<(long Rows, long GrainStorageRows)> StoredAsync(string database, string serviceId, string postId)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var select = new NpgsqlCommand("""
            SELECT (SELECT count(*) FROM postnext_posts WHERE post_id = $2 AND state IS NOT NULL),
                   (SELECT count(*) FROM orleans_grain_state WHERE service_id = $1 AND grain_id_ext = $2)
            """, connection);
        select.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        select.Parameters.Add(new NpgsqlParameter { Value = postId });
        await using var reader = await select.ExecuteReaderAsync();
        await reader.ReadAsync();
        return (reader.GetInt64(0), reader.GetInt64(1));
    }
}
