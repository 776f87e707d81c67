namespace PostNext.ServiceDefaults.Configuration;

/// <summary>Settings under <c>PostNext</c>; every one has a default that suits the embedded mode.</summary>
public sealed class PostNextOptions
{
    public const string SectionName = "PostNext";

    /// <summary>The key that manages workspaces and opens the dashboard. Required in cluster mode.</summary>
    public string? OperatorKey { get; set; }

    /// <summary>Apply the schema migrations when a silo starts (cluster mode). Safe when several silos start at once.</summary>
    public bool MigrateOnStartup { get; set; } = true;

    public ClusterSettings Cluster { get; set; } = new();

    public DashboardSettings Dashboard { get; set; } = new();
}

/// <summary>Orleans identity and endpoints under <c>PostNext:Cluster</c>.</summary>
public sealed class ClusterSettings
{
    /// <summary>The cluster this process joins; silos and fronts of one deployment share it.</summary>
    public string ClusterId { get; set; } = "postnext";

    /// <summary>Part of every stored grain state and reminder key: never change it once data exists.</summary>
    public string ServiceId { get; set; } = "postnext";

    /// <summary>Silo-to-silo port.</summary>
    public int SiloPort { get; set; } = 11111;

    /// <summary>Port clients (the API front) connect to.</summary>
    public int GatewayPort { get; set; } = 30000;

    /// <summary>The address other silos and clients use to reach this silo; default: the first non-loopback address (loopback in embedded mode).</summary>
    public string? AdvertisedIPAddress { get; set; }

    /// <summary>
    /// Cluster mode on Kubernetes: Orleans' Kubernetes hosting reads the pod's name, namespace and IP (downward API)
    /// and watches the namespace's pods, so a silo whose pod is gone is declared dead at once (deploy/k8s).
    /// </summary>
    public bool Kubernetes { get; set; }
}

/// <summary>The Orleans Dashboard under <c>PostNext:Dashboard</c>.</summary>
public sealed class DashboardSettings
{
    public bool Enabled { get; set; } = true;

    /// <summary>Where the dashboard is mapped.</summary>
    public string Path { get; set; } = "/dashboard";

    /// <summary>Hide live log streaming; null means hidden everywhere except the Development environment.</summary>
    public bool? HideTrace { get; set; }

    /// <summary>
    /// Seconds between the dashboard's samples of the Orleans counters (at least 1). Every sample observes every Orleans
    /// gauge, and some of them walk all activations or the whole directory cache: at the dashboard's own 1 s that cost
    /// a busy silo with tens of thousands of activations a few percent of its CPU while it published. Ten seconds keep
    /// the charts useful (100 samples: about 17 minutes of history).
    /// </summary>
    public int CounterIntervalSeconds { get; set; } = 10;
}
