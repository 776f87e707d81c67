using System.Text.Json;

namespace PostNext.SchedulerBenchmark.Workers;

/// <summary>
/// What a worker process (Quartz or Hangfire) tells the benchmark, through a JSON file it rewrites atomically: the due
/// instant it chose, how registration went, its configuration, or why it failed.
/// </summary>
public sealed record WorkerStatus(
    DateTimeOffset? Due = null, DateTimeOffset? RegistrationStarted = null, DateTimeOffset? RegistrationFinished = null,
    int Registered = 0, IReadOnlyList<string>? Configuration = null, string? Error = null)
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web) { WriteIndented = true };

    public bool Done => RegistrationFinished is not null || Error is not null;

    public void WriteTo(string path)
    {
        var temporary = path + ".tmp";
        File.WriteAllText(temporary, JsonSerializer.Serialize(this, Json));
        File.Move(temporary, path, overwrite: true);
    }

    public static WorkerStatus? ReadFrom(string path) =>
        File.Exists(path) ? JsonSerializer.Deserialize<WorkerStatus>(File.ReadAllText(path), Json) : null;
}

/// <summary>A worker's instructions, from its command line: <c>worker &lt;quartz|hangfire&gt; --connection … --jobs … --lead-ms … --concurrency … --status …</c>.</summary>
public sealed record WorkerArguments(string Kind, string ConnectionString, int Jobs, TimeSpan Lead, int Concurrency, string StatusPath, TimeSpan ExitAfter)
{
    public IReadOnlyList<string> ToArguments() =>
    [
        "worker", Kind,
        "--connection", ConnectionString,
        "--jobs", Jobs.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--lead-ms", ((long)Lead.TotalMilliseconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--concurrency", Concurrency.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "--status", StatusPath,
        "--exit-after-s", ((long)ExitAfter.TotalSeconds).ToString(System.Globalization.CultureInfo.InvariantCulture),
    ];

    public static WorkerArguments Parse(IReadOnlyList<string> args)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        for (var i = 1; i + 1 < args.Count; i += 2)
        {
            values[args[i]] = args[i + 1];
        }

        int Int(string name) => int.Parse(values[name], System.Globalization.CultureInfo.InvariantCulture);
        return new WorkerArguments(
            args[0], values["--connection"], Int("--jobs"), TimeSpan.FromMilliseconds(Int("--lead-ms")), Int("--concurrency"), values["--status"],
            TimeSpan.FromSeconds(Int("--exit-after-s")));
    }
}
