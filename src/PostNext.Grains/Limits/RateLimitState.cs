namespace PostNext.Grains.Limits;

[GenerateSerializer, Alias("PostNext.RateLimitState")]
public sealed class RateLimitState
{
    /// <summary>Per window name: permits granted per time bucket (bucket index → count); at most ~60 buckets per window.</summary>
    [Id(0)] public Dictionary<string, Dictionary<long, int>> Used { get; set; } = [];

    [Id(1)] public DateTimeOffset? BlockedUntil { get; set; }

    [Id(2)] public string? BlockedReason { get; set; }

    /// <summary>Publications waiting, each with its reserved time; times follow the publications' original due order.</summary>
    [Id(3)] public Dictionary<string, DateTimeOffset> Reservations { get; set; } = [];

    /// <summary>The original due time of each waiting publication (orders the reservations).</summary>
    [Id(5)] public Dictionary<string, DateTimeOffset> WaitingDueAt { get; set; } = [];

    /// <summary>The most recent grants (publication → time), so an unused permit can be given back.</summary>
    [Id(4)] public Dictionary<string, DateTimeOffset> RecentGrants { get; set; } = [];
}
