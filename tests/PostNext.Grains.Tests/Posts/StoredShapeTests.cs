using System.Text;
using Npgsql;
using PostNext.Abstractions;
using PostNext.Abstractions.Posts;

namespace PostNext.Grains.Tests.Posts;

/// <summary>
/// Posts through the real ADO.NET grain storage (JSON): one stored as versions before per-target options stored every
/// post (no options member at all), and one with options, both read back whole after a full restart.
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

        // What is stored: a post without options has no options member anywhere, exactly as earlier versions wrote it.
        Assert.DoesNotContain("\"Options\"", await PayloadAsync(database, serviceId, plainId), StringComparison.Ordinal);
        Assert.Contains("\"Options\"", await PayloadAsync(database, serviceId, withOptionsId), StringComparison.Ordinal);

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

    private static async Task<string> PayloadAsync(string database, string serviceId, string grainKey)
    {
        await using var connection = new NpgsqlConnection(database);
        await connection.OpenAsync();
        await using var select = new NpgsqlCommand("SELECT payload FROM orleans_grain_state WHERE service_id = $1 AND grain_id_ext = $2", connection);
        select.Parameters.Add(new NpgsqlParameter { Value = serviceId });
        select.Parameters.Add(new NpgsqlParameter { Value = grainKey });
        return Encoding.UTF8.GetString((byte[])(await select.ExecuteScalarAsync())!);
    }
}
