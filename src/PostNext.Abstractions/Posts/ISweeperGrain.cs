namespace PostNext.Abstractions.Posts;

/// <summary>
/// Finds publications still pending past their time that no reminder fired (an outage, a lost reminder) and wakes
/// them: nothing stays scheduled in the past. One per cluster (key <see cref="Key"/>), on its own reminder.
/// </summary>
[Alias("PostNext.ISweeperGrain")]
public interface ISweeperGrain : IGrainWithStringKey
{
    public const string Key = "sweeper";

    /// <summary>Registers the sweeper's reminder (idempotent; every silo calls it at start-up).</summary>
    [Alias("Start")]
    Task StartAsync();

    /// <summary>Sweeps once now; returns how many publications were woken.</summary>
    [Alias("Sweep")]
    Task<int> SweepAsync();
}
