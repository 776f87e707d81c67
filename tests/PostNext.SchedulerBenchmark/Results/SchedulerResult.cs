namespace PostNext.SchedulerBenchmark.Results;

/// <summary>One scheduler's row of the table, and everything behind it (results.json).</summary>
public sealed record SchedulerResult(
    string Scheduler,
    int Jobs,
    DateTimeOffset? Due,
    double? RegistrationSeconds,
    double? RegisteredPerSecond,
    bool RegistrationOverran,
    int RegistrationRetries,
    LatenessSummary? Lateness,
    StatementCounts? Statements,
    double? PeakRssMiB,
    IntakeResult? Intake,
    IReadOnlyList<string> Configuration,
    string? LoadAverageAfterDrain = null,
    string? Error = null,
    IReadOnlyList<StatementTime>? BusiestStatements = null)
{
    public double? WritesPerJob => PerJob(Statements?.Writes);

    public double? LocksPerJob => PerJob(Statements?.Locks);

    public double? DiscardAllPerJob => PerJob(Statements?.DiscardAll);

    public double? TransactionsPerJob => PerJob(Statements?.Transactions);

    /// <summary>Every job ran once, within the timeout.</summary>
    public bool Complete => Error is null && Lateness is { Lost: 0, Duplicated: 0, ExtraRuns: 0 };

    public static SchedulerResult Failed(string scheduler, int jobs, string error) =>
        new(scheduler, jobs, null, null, null, false, 0, null, null, null, null, [], null, error);

    private double? PerJob(long? count) => count is { } c && Jobs > 0 ? c / (double)Jobs : null;
}

/// <summary>The machine a run measured (for the README's results table).</summary>
public sealed record MachineInfo(string Date, int Cores, string CpuModel, double MemoryGiB, string Os, string Runtime)
{
    public static MachineInfo Describe()
    {
        string Field(string file, string name) =>
            File.Exists(file)
                ? File.ReadLines(file).Where(l => l.StartsWith(name, StringComparison.Ordinal)).Select(l => l[(l.IndexOf(':') + 1)..].Trim()).FirstOrDefault() ?? "?"
                : "?";
        var memoryKb = Field("/proc/meminfo", "MemTotal").Split(' ')[0];
        return new MachineInfo(
            DateTimeOffset.UtcNow.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture),
            Environment.ProcessorCount,
            Field("/proc/cpuinfo", "model name"),
            double.TryParse(memoryKb, System.Globalization.CultureInfo.InvariantCulture, out var kb) ? Math.Round(kb / 1024 / 1024, 1) : 0,
            System.Runtime.InteropServices.RuntimeInformation.OSDescription,
            System.Runtime.InteropServices.RuntimeInformation.FrameworkDescription);
    }

    public override string ToString() => $"{Date}, {Cores} cores ({CpuModel}), {MemoryGiB:0.#} GiB, {Os}, {Runtime}";
}
