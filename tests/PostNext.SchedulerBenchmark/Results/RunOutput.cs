namespace PostNext.SchedulerBenchmark.Results;

/// <summary>Where a run writes: its results directory, and its log (to the console or a test's output, and to benchmark.log there), which begins with the machine.</summary>
public sealed class RunOutput : IDisposable
{
    private RunOutput(string directory, RunLog log, MachineInfo machine)
    {
        Directory = directory;
        Log = log;
        Machine = machine;
    }

    public string Directory { get; }

    public RunLog Log { get; }

    public MachineInfo Machine { get; }

    public static RunOutput Open(BenchmarkOptions options, Action<string> output)
    {
        var directory = options.CreateResultsDirectory();
        var log = new RunLog(output);
        log.WriteTo(Path.Combine(directory, "benchmark.log"));
        var machine = MachineInfo.Describe();
        log.Line($"Machine: {machine}");
        return new RunOutput(directory, log, machine);
    }

    public void Dispose() => Log.Dispose();
}
