using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PostNext.Storage.Migrations;

namespace PostNext.Hosting.Tests;

[Collection(PostgresCollection.Name)]
public sealed class MigrationTests(PostgresFixture postgres)
{
    /// <summary>Every query the 10.4.2 clustering, persistence and reminders providers read from OrleansQuery.</summary>
    private static readonly string[] ProviderQueryKeys =
    [
        "GatewaysQueryKey", "MembershipReadRowKey", "MembershipReadAllKey", "InsertMembershipVersionKey",
        "UpdateIAmAlivetimeKey", "InsertMembershipKey", "UpdateMembershipKey", "DeleteMembershipTableEntriesKey",
        "CleanupDefunctSiloEntriesKey",
        "WriteToStorageKey", "ReadFromStorageKey", "ClearStorageKey", "DeleteStorageKey",
        "ReadReminderRowsKey", "ReadRangeRows1Key", "ReadRangeRows2Key", "ReadReminderRowKey", "UpsertReminderRowKey",
        "DeleteReminderRowKey", "DeleteReminderRowsKey",
    ];

    [Fact]
    public async Task Applies_every_migration_to_an_empty_database_and_reapplying_is_a_no_op()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        var migrator = new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance);

        var first = await migrator.ApplyAsync();
        var second = await migrator.ApplyAsync();

        Assert.Equal(migrator.Migrations.Select(m => m.Version), first);
        Assert.True(first.Count >= 4, "the four Orleans provider migrations are embedded");
        Assert.Empty(second);
        Assert.Equal(first, (await migrator.ReadAppliedAsync()).Keys.Order());

        var keys = new List<string>();
        await using (var command = dataSource.CreateCommand("SELECT QueryKey FROM OrleansQuery"))
        await using (var reader = await command.ExecuteReaderAsync())
        {
            while (await reader.ReadAsync())
            {
                keys.Add(reader.GetString(0));
            }
        }

        Assert.Empty(ProviderQueryKeys.Except(keys));
    }

    [Fact]
    public async Task Silos_migrating_at_the_same_time_apply_each_file_once()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        var migrators = Enumerable.Range(0, 4).Select(_ => new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance)).ToList();

        var results = await Task.WhenAll(migrators.Select(m => m.ApplyAsync()));

        var all = results.SelectMany(r => r).ToList();
        Assert.Equal(migrators[0].Migrations.Select(m => m.Version).Order(), all.Order());
        Assert.Single(results, r => r.Count > 0);
    }

    [Fact]
    public async Task An_applied_migration_that_was_edited_afterwards_is_refused()
    {
        await using var dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        var migrator = new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance);
        await migrator.ApplyAsync();
        await using (var tamper = dataSource.CreateCommand("UPDATE postnext_schema_migrations SET checksum = 'edited' WHERE version = 1"))
        {
            await tamper.ExecuteNonQueryAsync();
        }

        var error = await Assert.ThrowsAsync<InvalidOperationException>(() => migrator.ApplyAsync());
        Assert.Contains("changed after it was applied", error.Message, StringComparison.Ordinal);
    }
}
