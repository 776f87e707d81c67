namespace PostNext.SchedulerBenchmark.Schedulers;

/// <summary>
/// One scheduler as the benchmark drives it: started, given N jobs due at one instant, then watched through the
/// rows its job bodies record (<see cref="Runs"/>), the statements its database ran and its process's memory.
/// </summary>
public interface ISchedulerUnderTest : IAsyncDisposable
{
    /// <summary>Short name in the table: postnext, quartz, hangfire.</summary>
    string Name { get; }

    /// <summary>The database (on the run's PostgreSQL) this scheduler uses alone.</summary>
    string Database { get; }

    /// <summary>How it is configured, one setting a line, for the report.</summary>
    IReadOnlyList<string> Configuration { get; }

    /// <summary>Where its job bodies record their runs.</summary>
    RunSource Runs { get; }

    /// <summary>The process whose memory is the scheduler's (null when not running).</summary>
    int? ProcessId { get; }

    /// <summary>Starts the scheduler's process and waits until it can take jobs.</summary>
    Task StartAsync(CancellationToken cancellationToken);

    /// <summary>Registers <paramref name="jobs"/> jobs all due at one instant, <paramref name="lead"/> after registration starts.</summary>
    Task<Registration> RegisterAsync(int jobs, TimeSpan lead, CancellationToken cancellationToken);
}

/// <summary>What registration did: the key of every job, the instant they are due, and how long registering took.</summary>
public sealed record Registration(IReadOnlyList<string> Keys, DateTimeOffset Due, DateTimeOffset StartedAt, DateTimeOffset FinishedAt, int Retries)
{
    public double Seconds => (FinishedAt - StartedAt).TotalSeconds;

    public double PerSecond => Seconds > 0 ? Keys.Count / Seconds : 0;

    /// <summary>True when registration was still going at the due time (its late jobs' lateness includes registration).</summary>
    public bool Overran => FinishedAt > Due;
}
