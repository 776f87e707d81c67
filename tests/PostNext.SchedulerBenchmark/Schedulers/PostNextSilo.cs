using System.Diagnostics;
using System.Security.Cryptography;
using PostNext.Testing;

namespace PostNext.SchedulerBenchmark.Schedulers;

/// <summary>
/// One PostNext silo process in cluster mode (the built PostNext.Silo.dll, run as the chaos suite runs it), with the
/// shipped defaults: only what it needs to run is set (connection string, operator key, key-ring secret, loopback
/// address and ports) plus the API rate limit lifted, so the benchmark's one key is not throttled while it creates
/// thousands of posts. <see cref="ExtraSettings"/> (from --silo-setting) are added on top and reported.
/// </summary>
public sealed class PostNextSilo : IAsyncDisposable
{
    public static readonly TimeSpan ReadyTimeout = TimeSpan.FromMinutes(5);

    /// <summary>The API rate limit per key, lifted (the shipped 600 a minute would throttle the intake).</summary>
    public static readonly IReadOnlyList<string> RateLimitLifted =
    [
        "--PostNext:ApiRateLimit:PermitsPerMinute=100000000",
        "--PostNext:ApiRateLimit:Burst=1000000",
    ];

    private readonly NodeProcess _node;

    private PostNextSilo(NodeProcess node, IReadOnlyList<string> extraSettings)
    {
        _node = node;
        ExtraSettings = extraSettings;
    }

    public string OperatorKey { get; private init; } = "";

    /// <summary>Embedded or cluster mode, in words.</summary>
    public string Mode { get; private init; } = "";

    public Uri Address => _node.HttpAddress;

    public int? ProcessId => _node.ProcessId;

    public string LogPath => _node.LogPath;

    public IReadOnlyList<string> ExtraSettings { get; }

    /// <summary>What the silo runs with, secrets left out.</summary>
    public IReadOnlyList<string> Configuration =>
    [
        $"{Mode}, ASPNETCORE_ENVIRONMENT=Production, shipped defaults",
        .. RateLimitLifted,
        .. ExtraSettings,
    ];

    public static PostNextSilo Create(string siloAssembly, string connectionString, string runDirectory, IReadOnlyList<string> extraSettings) =>
        Start(siloAssembly, runDirectory, extraSettings, "one silo process, cluster mode (ConnectionStrings:PostNext set)",
        [
            $"--ConnectionStrings:PostNext={connectionString}",
            $"--PostNext:KeyRingSecret={Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(32))}",
            "--PostNext:Cluster:AdvertisedIPAddress=127.0.0.1",
        ]);

    /// <summary>The silo as the README's first command runs it: embedded (no connection string, everything in process memory).</summary>
    public static PostNextSilo CreateEmbedded(string siloAssembly, string runDirectory, IReadOnlyList<string> extraSettings) =>
        Start(siloAssembly, runDirectory, extraSettings, "one silo process, embedded (no connection string: in-memory storage)", []);

    private static PostNextSilo Start(string siloAssembly, string runDirectory, IReadOnlyList<string> extraSettings, string mode, IReadOnlyList<string> modeSettings)
    {
        var http = FreePort.Next();
        var operatorKey = "bench-operator-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(12));
        string[] arguments =
        [
            $"--urls=http://127.0.0.1:{http}",
            .. modeSettings,
            $"--PostNext:OperatorKey={operatorKey}",
            $"--PostNext:Cluster:SiloPort={FreePort.Next()}",
            $"--PostNext:Cluster:GatewayPort={FreePort.Next()}",
            .. RateLimitLifted,
            .. extraSettings,
        ];
        var node = new NodeProcess("silo", DotnetHost(), siloAssembly, arguments, new Uri($"http://127.0.0.1:{http}/"), Path.Combine(runDirectory, "postnext-silo.log"));
        return new PostNextSilo(node, extraSettings) { OperatorKey = operatorKey, Mode = mode };
    }

    /// <summary>Starts the process and waits for <c>/health/ready</c>; returns how long that took.</summary>
    public async Task<TimeSpan> StartAsync(CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        await _node.StartAsync();
        await _node.WaitReadyAsync(ReadyTimeout, cancellationToken);
        return clock.Elapsed;
    }

    /// <summary>SIGKILL (a crash: no graceful deactivation of its grains).</summary>
    public Task KillAsync() => _node.KillAsync();

    public ValueTask DisposeAsync() => _node.DisposeAsync();

    /// <summary>The dotnet host running this process (dotnet run / dotnet test say where it is), else the one on the PATH.</summary>
    public static string DotnetHost() =>
        Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") is { Length: > 0 } host && File.Exists(host) ? host
        : Path.GetFileNameWithoutExtension(Environment.ProcessPath) == "dotnet" ? Environment.ProcessPath!
        : "dotnet";
}
