using Xunit;

namespace PostNext.Testing;

/// <summary>One private PostgreSQL server shared by a test collection; each test makes its own database.</summary>
public sealed class PostgresFixture : IAsyncLifetime
{
    private PostgresServer? _server;

    public PostgresServer Server => _server ?? throw new InvalidOperationException("The PostgreSQL server is not started.");

    public Task<string> CreateDatabaseAsync(string prefix = "postnext") => Server.CreateDatabaseAsync(prefix);

    public async Task InitializeAsync() => _server = await PostgresServer.StartAsync();

    public async Task DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }
    }
}
