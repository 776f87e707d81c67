using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Routing;
using Orleans;
using Orleans.Runtime;
using PostNext.ServiceDefaults.Security;

namespace PostNext.Api.Apis;

/// <summary>Operator view of the cluster: which silos are members and active.</summary>
public static class ClusterApi
{
    public static RouteGroupBuilder MapClusterApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapGroup("/v1/cluster")
            .WithTags("Cluster")
            .RequireAuthorization(ApiKeyDefaults.OperatorPolicy)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        group.MapGet("/", GetClusterAsync)
            .WithName("GetCluster")
            .WithSummary("List the silos of the cluster and their status (operator).");

        return group;
    }

    public static async Task<Ok<ClusterView>> GetClusterAsync(IGrainFactory grains)
    {
        var management = grains.GetGrain<IManagementGrain>(0);
        var hosts = await management.GetDetailedHosts(onlyActive: false);
        var silos = hosts
            .Select(host => new SiloView(host.SiloAddress.ToParsableString(), host.SiloName, host.Status.ToString(), host.StartTime))
            .OrderBy(silo => silo.Address, StringComparer.Ordinal)
            .ToList();
        return TypedResults.Ok(new ClusterView(silos.Count(s => s.Status == nameof(SiloStatus.Active)), silos));
    }
}

public sealed record ClusterView(int ActiveSilos, IReadOnlyList<SiloView> Silos);

public sealed record SiloView(string Address, string Name, string Status, DateTime StartedAt);
