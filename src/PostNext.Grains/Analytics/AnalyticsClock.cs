namespace PostNext.Grains.Analytics;

/// <summary>
/// The clock the analytics grains read: the silo's <see cref="TimeProvider"/> unless a test supplies its own, so
/// weeks of collection can be simulated without moving the clock Orleans itself runs on.
/// </summary>
public sealed class AnalyticsClock(TimeProvider time)
{
    public TimeProvider Time { get; } = time;

    public DateTimeOffset UtcNow => Time.GetUtcNow();
}
