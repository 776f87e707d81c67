using Orleans.Hosting;
using PostNext.Abstractions;

namespace PostNext.Grains.Tests;

/// <summary>The grain-storage and reminder providers of a test silo: in memory, or the product's ADO.NET providers on PostgreSQL.</summary>
internal static class TestProviders
{
    public static ISiloBuilder UseInMemoryProviders(this ISiloBuilder silo) =>
        silo.AddMemoryGrainStorage(StorageNames.Grains).UseInMemoryReminderService();

    public static ISiloBuilder UsePostgresProviders(this ISiloBuilder silo, string connectionString) =>
        silo
            .AddAdoNetGrainStorage(StorageNames.Grains, o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
            })
            .UseAdoNetReminderService(o =>
            {
                o.Invariant = "Npgsql";
                o.ConnectionString = connectionString;
            });
}
