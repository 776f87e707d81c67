namespace PostNext.Abstractions;

/// <summary>Names of the Orleans grain-storage providers every silo registers.</summary>
public static class StorageNames
{
    /// <summary>The provider that holds every grain's state (in memory when embedded, PostgreSQL in cluster mode).</summary>
    public const string Grains = "postnext";
}
