using Microsoft.Extensions.Options;
using Orleans.Concurrency;
using PostNext.Abstractions.Analytics;
using PostNext.Abstractions.Workspaces;

namespace PostNext.Grains.Analytics;

/// <summary>Rolls a workspace's accounts' figures up into one report; holds nothing, so any silo can run it.</summary>
[StatelessWorker]
public sealed class WorkspaceAnalyticsGrain(IOptions<AnalyticsOptions> options) : Grain, IWorkspaceAnalyticsGrain
{
    public async Task<EngagementReport> GetReportAsync(DateTimeOffset from, DateTimeOffset to)
    {
        var workspace = GrainFactory.GetGrain<IWorkspaceGrain>(this.GetPrimaryKeyString());
        var zone = (await workspace.GetAsync())?.TimeZone ?? "UTC";
        var ids = await workspace.GetAccountIdsAsync();
        var facts = await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<IAccountEngagementGrain>(id).GetFactsAsync(from, to)));
        return EngagementReports.Build(from, to, zone, facts, options.Value);
    }
}
