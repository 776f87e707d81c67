namespace PostNext.Abstractions.Analytics;

/// <summary>A workspace's analytics: the roll-up of its accounts' engagement aggregates. Stateless. Key: the workspace id.</summary>
[Alias("PostNext.IWorkspaceAnalyticsGrain")]
public interface IWorkspaceAnalyticsGrain : IGrainWithStringKey
{
    /// <summary>Every account's figures for [from, to) combined into one report, with one line per account.</summary>
    [Alias("GetReport")]
    Task<EngagementReport> GetReportAsync(DateTimeOffset from, DateTimeOffset to);
}
