using System.Globalization;
using System.Text;

namespace PostNext.SchedulerBenchmark.Results;

/// <summary>The one table the benchmark prints (Markdown, so it can go into the README as it is).</summary>
public static class ResultTable
{
    private static readonly string[] Header =
    [
        "scheduler", "jobs", "registered/s", "p50 late s", "p99 late s", "max late s", "drain jobs/s", "writes/job", "locks/job",
        "DISCARD ALL/job", "peak RSS MiB", "lost", "dup",
    ];

    public static string Format(IEnumerable<SchedulerResult> results)
    {
        var rows = results.Select(Row).ToList();
        var text = new StringBuilder();
        text.AppendLine("| " + string.Join(" | ", Header) + " |");
        text.AppendLine("|" + string.Join("|", Header.Select((_, i) => i == 0 ? "---" : "---:")) + "|");
        foreach (var row in rows)
        {
            text.AppendLine("| " + string.Join(" | ", row) + " |");
        }

        return text.ToString();
    }

    private static string[] Row(SchedulerResult r)
    {
        if (r.Error is not null)
        {
            return [r.Scheduler, N(r.Jobs), $"failed: {r.Error.Split('\n')[0]}", .. Enumerable.Repeat("", Header.Length - 3)];
        }

        var late = r.Lateness;
        return
        [
            r.Scheduler + (r.RegistrationOverran ? " (registration overran the instant)" : ""),
            N(r.Jobs),
            F(r.RegisteredPerSecond, "0"),
            F(late?.P50Seconds, "0.00"),
            F(late?.P99Seconds, "0.00"),
            F(late?.MaxSeconds, "0.00"),
            F(late?.DrainPerSecond, "0"),
            F(r.WritesPerJob, "0.0"),
            F(r.LocksPerJob, "0.0"),
            F(r.DiscardAllPerJob, "0.0"),
            F(r.PeakRssMiB, "0"),
            late is null ? "" : N(late.Lost),
            late is null ? "" : N(late.Duplicated),
        ];
    }

    private static string N(int value) => value.ToString("N0", CultureInfo.InvariantCulture);

    private static string F(double? value, string format) => value is { } v ? v.ToString(format, CultureInfo.InvariantCulture) : "n/a";
}
