using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using PostNext.Storage.Migrations;

namespace PostNext.Grains.Tests;

/// <summary>A store test's own migrated database on the shared PostgreSQL, and the store on it; both disposed with the test.</summary>
public sealed class MigratedDatabase(PostgresFixture postgres) : IAsyncDisposable
{
    private NpgsqlDataSource? _dataSource;
    private IAsyncDisposable? _store;

    /// <summary>The database's data source, once created (for a test that also works on the tables directly).</summary>
    public NpgsqlDataSource DataSource => _dataSource ?? throw new InvalidOperationException("The database is not created yet.");

    /// <summary>Creates the database, applies every migration and builds the store on it.</summary>
    public async Task<TStore> StoreOnNewDatabaseAsync<TStore>(Func<NpgsqlDataSource, TStore> create)
    {
        _dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        await new SchemaMigrator(_dataSource, NullLogger<SchemaMigrator>.Instance).ApplyAsync();
        var store = create(_dataSource);
        _store = store as IAsyncDisposable;
        return store;
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }

    }
}
