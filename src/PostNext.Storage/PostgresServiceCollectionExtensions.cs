using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Npgsql;
using PostNext.Storage.Migrations;

namespace PostNext.Storage;

public static class PostgresServiceCollectionExtensions
{
    /// <summary>Registers one shared <see cref="NpgsqlDataSource"/> (with <see cref="PostgresConnectionStrings"/>' defaults) and the schema migrator.</summary>
    public static IServiceCollection AddPostNextPostgres(this IServiceCollection services, string connectionString)
    {
        services.TryAddSingleton(_ => new NpgsqlDataSourceBuilder(PostgresConnectionStrings.WithDefaults(connectionString)) { Name = "PostNext" }.Build());
        services.TryAddSingleton<SchemaMigrator>();
        return services;
    }
}
