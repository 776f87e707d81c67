using Microsoft.AspNetCore.Builder;
using PostNext.Front;
using PostNext.Silo.Hosting;

namespace PostNext.Hosting.Tests;

/// <summary>Starts the real silo and front hosts in this process, configured the way an operator would.</summary>
internal static class ClusterHosts
{
    public const string OperatorKey = "test-operator-key-0123456789";

    public static Task<RunningHost> StartSiloAsync(string connectionString, string clusterId, params string[] extra)
    {
        var args = ClusterArgs(connectionString, clusterId)
            .Concat([$"--PostNext:Cluster:SiloPort={FreePort.Next()}", $"--PostNext:Cluster:GatewayPort={FreePort.Next()}"])
            .Concat(extra)
            .ToArray();
        return RunningHost.StartAsync(SiloHost.Build(SiloHost.CreateBuilder(args)));
    }

    public static Task<RunningHost> StartFrontAsync(string connectionString, string clusterId) =>
        RunningHost.StartAsync(FrontHost.Build(FrontHost.CreateBuilder(ClusterArgs(connectionString, clusterId).ToArray())));

    public static Task<RunningHost> StartEmbeddedAsync(params string[] extra)
    {
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            $"--PostNext:Cluster:SiloPort={FreePort.Next()}",
            $"--PostNext:Cluster:GatewayPort={FreePort.Next()}",
            .. extra,
        ];
        return RunningHost.StartAsync(SiloHost.Build(SiloHost.CreateBuilder(args)));
    }

    private static IEnumerable<string> ClusterArgs(string connectionString, string clusterId) =>
    [
        "--urls=http://127.0.0.1:0",
        $"--ConnectionStrings:PostNext={connectionString}",
        $"--PostNext:OperatorKey={OperatorKey}",
        "--PostNext:KeyRingSecret=test-key-ring-secret-0123456789",
        $"--PostNext:Cluster:ClusterId={clusterId}",
        "--PostNext:Cluster:AdvertisedIPAddress=127.0.0.1",
    ];

    public static HttpRequestMessage Get(string path, string? bearer = OperatorKey)
    {
        var request = new HttpRequestMessage(HttpMethod.Get, path.TrimStart('/'));
        if (bearer is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", bearer);
        }

        return request;
    }
}
