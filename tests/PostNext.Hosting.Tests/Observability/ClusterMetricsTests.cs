using System.Net;
using System.Text.RegularExpressions;
using Microsoft.Extensions.DependencyInjection;
using PostNext.Silo.Hosting;

namespace PostNext.Hosting.Tests.Observability;

/// <summary>A silo and the API front in cluster mode: /metrics shows the PostgreSQL pool (Npgsql) and Orleans' meters on both.</summary>
[Collection(PostgresCollection.Name)]
public sealed partial class ClusterMetricsTests(PostgresFixture postgres)
{
    [Fact]
    public async Task Cluster_silos_and_fronts_export_postgres_pool_and_orleans_metrics()
    {
        var database = await postgres.CreateDatabaseAsync();
        var cluster = "metrics-" + Guid.NewGuid().ToString("N")[..8];
        await using var silo = await ClusterHosts.StartSiloAsync(database, cluster);
        await using var front = await ClusterHosts.StartFrontAsync(database, cluster);

        foreach (var host in new[] { silo, front })
        {
            Assert.Equal(HttpStatusCode.OK, (await host.Http.SendAsync(ClusterHosts.Get("/v1/cluster"))).StatusCode);
            var metrics = await (await host.Http.SendAsync(ClusterHosts.Get("/metrics"))).Content.ReadAsStringAsync();
            Assert.Matches(PoolInUse(), metrics);
            Assert.Matches(new Regex("^db_client_connection_max", RegexOptions.Multiline), metrics);
            Assert.Matches(new Regex("^orleans_", RegexOptions.Multiline), metrics);
        }
    }

    [Fact]
    public void Kubernetes_hosting_is_wired_only_when_configured()
    {
        string[] cluster =
        [
            "--ConnectionStrings:PostNext=Host=127.0.0.1;Database=none", $"--PostNext:OperatorKey={ClusterHosts.OperatorKey}",
            "--PostNext:KeyRingSecret=test-key-ring-secret-0123456789", "--PostNext:MigrateOnStartup=false",
        ];
        var plain = SiloHost.CreateBuilder(cluster).Services;
        var kubernetes = SiloHost.CreateBuilder([.. cluster, "--PostNext:Cluster:Kubernetes=true"]).Services;

        // Registrations only: Orleans' Kubernetes hosting needs the pod's environment (POD_NAMESPACE, …) to start.
        static bool WatchesPods(IServiceCollection services) =>
            services.Any(d => (d.ImplementationType ?? d.ServiceType).FullName!.StartsWith("Orleans.Hosting.Kubernetes", StringComparison.Ordinal));

        Assert.False(WatchesPods(plain));
        Assert.True(WatchesPods(kubernetes));
    }

    [GeneratedRegex("^db_client_connection_count\\{[^}]*db_client_connection_state=\"(used|idle)\"", RegexOptions.Multiline)]
    private static partial Regex PoolInUse();
}
