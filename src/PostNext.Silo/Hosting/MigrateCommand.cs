using Microsoft.Extensions.Logging.Console;
using PostNext.ServiceDefaults.Configuration;
using PostNext.Storage;
using PostNext.Storage.Migrations;

namespace PostNext.Silo.Hosting;

/// <summary><c>PostNext.Silo migrate</c>: apply the schema migrations to the configured database and exit.</summary>
public static class MigrateCommand
{
    public const string Name = "migrate";

    public static async Task<int> RunAsync(string[] args)
    {
        var builder = Host.CreateApplicationBuilder(args);
        builder.Logging.AddSimpleConsole(options => options.SingleLine = true);
        var connectionString = RunModes.ConnectionString(builder.Configuration);
        if (string.IsNullOrWhiteSpace(connectionString))
        {
            await Console.Error.WriteLineAsync(
                $"migrate needs a database: set ConnectionStrings:{RunModes.ConnectionStringName} " +
                $"(environment variable ConnectionStrings__{RunModes.ConnectionStringName}).");
            return 2;
        }

        builder.Services.AddPostNextPostgres(connectionString);
        using var host = builder.Build();
        var migrator = host.Services.GetRequiredService<SchemaMigrator>();
        var applied = await migrator.ApplyAsync();
        Console.WriteLine(applied.Count == 0
            ? "Schema is up to date; nothing applied."
            : $"Applied migrations: {string.Join(", ", applied)}.");
        return 0;
    }
}
