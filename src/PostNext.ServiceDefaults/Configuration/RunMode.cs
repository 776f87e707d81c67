using Microsoft.Extensions.Configuration;

namespace PostNext.ServiceDefaults.Configuration;

/// <summary>How this process keeps its data, decided by configuration alone.</summary>
public enum RunMode
{
    /// <summary>One process, localhost clustering, in-memory storage and reminders: nothing is kept.</summary>
    Embedded,

    /// <summary>PostgreSQL for membership, grain state and reminders; several silos form one cluster.</summary>
    Cluster,
}

public static class RunModes
{
    /// <summary>The connection string name that switches a process to cluster mode.</summary>
    public const string ConnectionStringName = "PostNext";

    public static RunMode FromConfiguration(IConfiguration configuration) =>
        string.IsNullOrWhiteSpace(configuration.GetConnectionString(ConnectionStringName)) ? RunMode.Embedded : RunMode.Cluster;

    public static string? ConnectionString(IConfiguration configuration) => configuration.GetConnectionString(ConnectionStringName);
}
