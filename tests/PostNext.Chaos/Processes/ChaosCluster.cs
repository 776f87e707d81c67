using System.Security.Cryptography;
using PostNext.Testing;

namespace PostNext.Chaos.Processes;

/// <summary>
/// The system under test as real processes: a throwaway PostgreSQL, N silos and the API front, configured on the
/// command line the way an operator would (cluster mode), each silo on ports that stay fixed across its restarts.
/// </summary>
public sealed class ChaosCluster : IAsyncDisposable
{
    /// <summary>3 silos and a front each keep a few connection pools; PostgreSQL's default of 100 is not enough.</summary>
    private const int MaxConnections = 1000;

    private static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(2);

    private readonly string _runDirectory;
    private readonly RunLog _log;
    private PostgresServer? _postgres;

    private ChaosCluster(string runDirectory, RunLog log)
    {
        _runDirectory = runDirectory;
        _log = log;
    }

    public string OperatorKey { get; } = "chaos-operator-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));

    public string ConnectionString { get; private set; } = "";

    public IReadOnlyList<NodeProcess> Silos { get; private set; } = [];

    public NodeProcess Front { get; private set; } = null!;

    /// <summary>Settings given to every process besides the cluster's own (reported).</summary>
    public IReadOnlyList<string> CommonArguments { get; private set; } = [];

    /// <summary>Starts PostgreSQL, the silos and the front, and waits until each is ready.</summary>
    public static async Task<ChaosCluster> StartAsync(ChaosOptions options, string runDirectory, RunLog log, CancellationToken cancellationToken)
    {
        var cluster = new ChaosCluster(runDirectory, log);
        try
        {
            await cluster.StartCoreAsync(options, cancellationToken);
            return cluster;
        }
        catch
        {
            await cluster.DisposeAsync();
            throw;
        }
    }

    private async Task StartCoreAsync(ChaosOptions options, CancellationToken cancellationToken)
    {
        var (silo, front) = Binaries.Prepare(options.Configuration, _runDirectory, _log);

        // Durable: the run crashes PostgreSQL (immediate mode); without fsync and synchronous commit an acknowledged
        // write (a publication's outcome, the sandbox's receipt) could vanish, which no real deployment allows.
        _postgres = await PostgresServer.StartAsync(MaxConnections, allowExternal: false, durable: true);
        _postgres.StopWhenThisProcessExits();
        ConnectionString = await _postgres.CreateDatabaseAsync("chaos");
        _log.Line($"PostgreSQL up ({new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString).Port}, max_connections {MaxConnections}), database {new Npgsql.NpgsqlConnectionStringBuilder(ConnectionString).Database}");

        var clusterId = "chaos-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(4));
        CommonArguments =
        [
            "--PostNext:Webhooks:AllowPrivateNetworks=true",
            // The load comes through one API key at a few hundred requests a second; the default is 600 a minute.
            "--PostNext:ApiRateLimit:PermitsPerMinute=10000000",
            "--PostNext:ApiRateLimit:Burst=100000",
        ];
        string[] shared =
        [
            $"--ConnectionStrings:PostNext={ConnectionString}",
            $"--PostNext:OperatorKey={OperatorKey}",
            $"--PostNext:Cluster:ClusterId={clusterId}",
            "--PostNext:Cluster:AdvertisedIPAddress=127.0.0.1",
            .. CommonArguments,
        ];
        var dotnet = DotnetHost();
        var keyRingSecret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32));
        Silos = Enumerable.Range(1, options.Silos).Select(i =>
        {
            var http = FreePort.Next();
            string[] args =
            [
                $"--urls=http://127.0.0.1:{http}",
                .. shared,
                $"--PostNext:KeyRingSecret={keyRingSecret}",
                $"--PostNext:Cluster:SiloPort={FreePort.Next()}",
                $"--PostNext:Cluster:GatewayPort={FreePort.Next()}",
                .. options.ChaosSettings.Select(s => $"--{s.Key}={s.Value}"),
            ];
            return new NodeProcess($"silo{i}", dotnet, silo, args, new Uri($"http://127.0.0.1:{http}/"), Path.Combine(_runDirectory, $"silo{i}.log"));
        }).ToList();
        var frontHttp = FreePort.Next();
        Front = new NodeProcess("front", dotnet, front, [$"--urls=http://127.0.0.1:{frontHttp}", .. shared],
            new Uri($"http://127.0.0.1:{frontHttp}/"), Path.Combine(_runDirectory, "front.log"));

        // The first silo applies the schema (under an advisory lock); the others may start alongside it.
        foreach (var node in Silos)
        {
            await node.StartAsync();
        }

        await Task.WhenAll(Silos.Select(s => s.WaitReadyAsync(ReadyTimeout, cancellationToken)));
        _log.Line($"{Silos.Count} silos ready: {string.Join(", ", Silos.Select(s => $"{s.Name} pid {s.ProcessId} {s.HttpAddress}"))}");
        await Front.StartAsync();
        await Front.WaitReadyAsync(ReadyTimeout, cancellationToken);
        _log.Line($"front ready: pid {Front.ProcessId} {Front.HttpAddress}");
    }

    /// <summary>Restarts PostgreSQL in immediate mode: every session is cut, recovery runs on start.</summary>
    public Task RestartPostgresAsync() => _postgres!.RestartAsync(immediate: true);

    public async ValueTask DisposeAsync()
    {
        foreach (var node in Silos.Append(Front).OfType<NodeProcess>())
        {
            await node.DisposeAsync();
        }

        if (_postgres is not null)
        {
            if (_postgres.LogPath is { } log && File.Exists(log))
            {
                File.Copy(log, Path.Combine(_runDirectory, "postgres.log"), overwrite: true);
            }

            await _postgres.DisposeAsync();
            _postgres = null;
        }
    }

    /// <summary>The dotnet host running this process (dotnet run / dotnet test say where it is), else the one on the PATH.</summary>
    private static string DotnetHost()
    {
        if (Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host))
        {
            return host;
        }

        return Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath! : "dotnet";
    }
}
