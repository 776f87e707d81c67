using System.Globalization;
using System.Text;

namespace PostNext.Chaos.Results;

/// <summary>The report as a plain-text table for the console and the test output.</summary>
public static class ReportText
{
    public static string Format(ChaosReport r)
    {
        var text = new StringBuilder();
        void Line(string label, object value) => text.AppendLine(CultureInfo.InvariantCulture, $"  {label,-34} {value}");
        void Section(string title) => text.AppendLine().AppendLine(title);
        void List(string title, IReadOnlyList<string> items)
        {
            if (items.Count == 0)
            {
                return;
            }

            text.AppendLine(CultureInfo.InvariantCulture, $"  {title}:");
            foreach (var item in items)
            {
                text.AppendLine(CultureInfo.InvariantCulture, $"    - {item}");
            }
        }

        var t = r.Timeline;
        text.AppendLine(CultureInfo.InvariantCulture, $"CHAOS REPORT  seed {r.Seed}  {(r.Passed ? "PASSED" : "FAILED")}  run directory {r.RunDirectory}");
        Section("Run");
        foreach (var (name, value) in r.Settings)
        {
            Line(name, value);
        }

        Line("chaos settings (not defaults)", r.ChaosSettings.Count == 0 ? "none: shipped defaults" : string.Join(' ', r.ChaosSettings));
        Line("intake", $"{Span(t.IntakeStarted, t.IntakeEnded)} long, ended {Span(t.IntakeEnded, t.WindowStart)} before the window start, {Span(t.IntakeEnded, t.Instant)} before the instant");
        Line("window", $"{t.WindowStart:HH:mm:ss} to {t.WindowEnd:HH:mm:ss} UTC, instant {t.Instant:HH:mm:ss}");
        Line("settled", $"{Span(t.WindowEnd, t.Settled)} after the window end; webhooks {Span(t.WindowEnd, t.WebhooksSettled)} after it");

        Section("Targets");
        Line("posts planned / targets created", $"{r.PostsPlanned} / {r.TargetsCreated} ({r.CreateRetries} API retries)");
        Line("published (and received)", r.Published);
        Line("failed with a reason", r.FailedByCategory.Count == 0 ? "0" : string.Join(", ", r.FailedByCategory.Select(f => $"{f.Value} {f.Key}")));
        Line("LOST", $"{r.Lost} (of which not final: {r.LostStuck}; 'published' never received: {r.PublishedWithoutReceipt})");
        Line("DUPLICATES", $"{r.Duplicates} targets received more than once ({r.DuplicateReceipts} extra receipts)");
        Line("STUCK (not final after the grace)", r.Stuck == 0 ? "0" : $"{r.Stuck}: " + string.Join(", ", r.StuckByStatus.Select(s => $"{s.Value} {s.Key}")));
        Line("failed though received", r.FailedThoughReceived);
        Line("calendar row differs from the API", r.CalendarDisagreements);
        Line("lateness p50 / p99 / max", $"{r.Lateness.P50Seconds:0.0} s / {r.Lateness.P99Seconds:0.0} s / {r.Lateness.MaxSeconds:0.0} s (first receipt - due, {r.Lateness.Count} published; {r.Lateness.MarkedLate} marked late)");

        Section("Webhooks");
        var w = r.Webhooks;
        Line("events expected / delivered", $"{w.Expected} / {w.DeliveredAtLeastOnce} at least once ({w.Missing} missing)");
        Line("received", $"{w.Received} POSTs, {w.DistinctEvents} distinct events, {w.RedeliveredEvents} delivered more than once (allowed)");
        Line("order per resource (delivery seq)", $"{w.OrderViolations} violations");
        Line("invalid signatures", w.InvalidSignatures);
        Line("rows not delivered", w.PendingOrFailedRows);

        Section("Faults injected");
        foreach (var fault in r.Faults)
        {
            Line($"{fault.At:HH:mm:ss.f} {fault.Kind}", $"{fault.Target} {fault.Detail}");
        }

        Section("Goals");
        foreach (var goal in r.Goals)
        {
            Line(goal.Name, $"{goal.Value} (goal {goal.Target}) {(goal.Met ? "ok" : "MISSED")}{(goal.Gating ? "" : " (reported, not gating)")}");
        }

        if (r.LostExamples.Count + r.DuplicateExamples.Count + r.StuckExamples.Count + r.OtherExamples.Count + w.MissingExamples.Count + w.OrderExamples.Count + r.CreateErrors.Count > 0)
        {
            Section("Examples");
            List("not created", r.CreateErrors);
            List("lost", r.LostExamples);
            List("duplicates", r.DuplicateExamples);
            List("stuck", r.StuckExamples);
            List("other", r.OtherExamples);
            List("webhook events missing", w.MissingExamples);
            List("webhook order", w.OrderExamples);
        }

        return text.ToString();
    }

    private static string Span(DateTimeOffset from, DateTimeOffset to) =>
        from == default || to == default ? "n/a" : ((to - from).TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture) + " s");
}
