namespace PostNext.Grains.Tests.Observability;

/// <summary>
/// Tests that read our meter with a <see cref="RecordedMeasurements"/> listener. Meters are process-wide, so these run
/// alone, after the parallel tests: what they see was recorded by their own cluster.
/// </summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class MetricsCollection
{
    public const string Name = "Metrics";
}
