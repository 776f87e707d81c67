using Npgsql;
using PostNext.Storage.Migrations;

namespace PostNext.Silo.Hosting;

/// <summary>
/// Brings the schema up to date before Orleans starts (hosted-service "starting" runs before any service starts).
/// Waits a bounded time for PostgreSQL to accept connections, so a silo started alongside its database still comes up.
/// </summary>
internal sealed partial class MigrateOnStartup(SchemaMigrator migrator, ILogger<MigrateOnStartup> logger) : IHostedLifecycleService
{
    private static readonly TimeSpan WaitForDatabase = TimeSpan.FromSeconds(60);

    public async Task StartingAsync(CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + WaitForDatabase;
        while (true)
        {
            try
            {
                await migrator.ApplyAsync(cancellationToken);
                return;
            }
            catch (NpgsqlException ex) when (ex.IsTransient && DateTime.UtcNow < deadline)
            {
                LogWaiting(ex.Message);
                await Task.Delay(TimeSpan.FromSeconds(2), cancellationToken);
            }
        }
    }

    public Task StartAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StartedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppingAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    public Task StoppedAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Warning, Message = "PostgreSQL is not reachable yet ({Reason}); retrying")]
    private partial void LogWaiting(string reason);
}
