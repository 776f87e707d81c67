using System.Globalization;

namespace PostNext.Chaos.Results;

/// <summary>
/// A figure of the run that has a goal, and whether the run met it. Gating goals (issue #10's: nothing lost,
/// nothing published twice, nothing stuck; and every post created, without which the run proves nothing) decide
/// whether the run passed; the others are promises reported alongside.
/// </summary>
public sealed record Goal(string Name, long Value, long Target, bool Met, bool Gating = true);

/// <summary>Lateness of published targets: first receipt by the sandbox minus the due time, in seconds.</summary>
public sealed record Lateness(int Count, double P50Seconds, double P99Seconds, double MaxSeconds, int MarkedLate);

/// <summary>What the webhook receiver got, against what the targets' final statuses call for.</summary>
public sealed record WebhookFigures(
    int Expected, int DeliveredAtLeastOnce, int Missing, int Received, int DistinctEvents, int RedeliveredEvents,
    int OrderViolations, int InvalidSignatures, int PendingOrFailedRows, IReadOnlyList<string> MissingExamples, IReadOnlyList<string> OrderExamples);

/// <summary>
/// The figures of one chaos run. Each target lands in one outcome: <c>published</c> (status published and received
/// by the sandbox), <c>failed with a reason</c>, or neither. <see cref="Lost"/> counts targets never received and not
/// failed with a reason (stuck ones included); <see cref="Stuck"/> counts targets not final after the grace (received
/// or not); <see cref="Duplicates"/> counts targets the sandbox received more than once.
/// </summary>
public sealed record ChaosReport
{
    public required int Seed { get; init; }

    public required string RunDirectory { get; init; }

    public required IReadOnlyDictionary<string, string> Settings { get; init; }

    public required IReadOnlyList<string> ChaosSettings { get; init; }

    public required Timeline Timeline { get; init; }

    public required int PostsPlanned { get; init; }

    public required int TargetsCreated { get; init; }

    public required int CreateRetries { get; init; }

    public required IReadOnlyList<string> CreateErrors { get; init; }

    public required int Published { get; init; }

    public required IReadOnlyDictionary<string, int> FailedByCategory { get; init; }

    public required int Lost { get; init; }

    public required int LostStuck { get; init; }

    public required int PublishedWithoutReceipt { get; init; }

    public required int FailedThoughReceived { get; init; }

    public required int Stuck { get; init; }

    public required IReadOnlyDictionary<string, int> StuckByStatus { get; init; }

    public required int Duplicates { get; init; }

    public required int DuplicateReceipts { get; init; }

    public required int CalendarDisagreements { get; init; }

    public required Lateness Lateness { get; init; }

    public required WebhookFigures Webhooks { get; init; }

    public required IReadOnlyList<FaultEvent> Faults { get; init; }

    public required IReadOnlyList<string> LostExamples { get; init; }

    public required IReadOnlyList<string> StuckExamples { get; init; }

    public required IReadOnlyList<string> DuplicateExamples { get; init; }

    public required IReadOnlyList<string> OtherExamples { get; init; }

    public required IReadOnlyList<Goal> Goals { get; init; }

    public bool Passed => Goals.Where(g => g.Gating).All(g => g.Met);

    private const int Examples = 8;

    public static ChaosReport From(RunFacts facts)
    {
        var receipts = facts.Receipts.GroupBy(r => r.PublicationKey, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.ToList(), StringComparer.Ordinal);
        var published = new List<(CreatedTarget Target, TargetState State, DateTimeOffset FirstReceipt)>();
        var failed = new Dictionary<string, int>(StringComparer.Ordinal);
        var lost = new List<string>();
        var stuck = new List<string>();
        var stuckByStatus = new Dictionary<string, int>(StringComparer.Ordinal);
        var duplicates = new List<string>();
        var other = new List<string>();
        int lostStuck = 0, phantom = 0, failedThoughReceived = 0, duplicateReceipts = 0, disagreements = 0;

        foreach (var target in facts.Targets)
        {
            var key = target.PublicationKey;
            var state = facts.States.GetValueOrDefault(key) ?? new TargetState("missing", null, null, 0, false, null, null);
            var received = receipts.GetValueOrDefault(key) ?? [];
            var row = facts.Calendar.GetValueOrDefault(key);
            var describe = Describe(target, state, row, received);
            if (row?.Status != state.Status)
            {
                disagreements++;
            }

            if (received.Count > 1)
            {
                duplicateReceipts += received.Count - 1;
                duplicates.Add(describe);
            }

            if (!state.IsFinal)
            {
                stuck.Add(describe);
                stuckByStatus[state.Status] = stuckByStatus.GetValueOrDefault(state.Status) + 1;
            }

            if (state.Status == "published" && received.Count > 0)
            {
                published.Add((target, state, received.Min(r => r.ReceivedAt)));
            }
            else if (state.FailedWithReason)
            {
                failed[state.ErrorCategory!] = failed.GetValueOrDefault(state.ErrorCategory!) + 1;
                if (received.Count > 0)
                {
                    failedThoughReceived++;
                    other.Add("failed though received: " + describe);
                }
            }
            else if (received.Count == 0)
            {
                lost.Add(describe);
                lostStuck += state.IsFinal ? 0 : 1;
                phantom += state.Status == "published" ? 1 : 0;
            }
            else if (state.IsFinal)
            {
                // Received, yet final as neither published nor failed with a reason (e.g. failed without one).
                other.Add("received but final as " + state.Status + ": " + describe);
            }
        }

        var lateness = published.Select(p => (p.FirstReceipt - p.Target.DueAt).TotalSeconds).Order().ToList();
        var webhooks = WebhookCheck.Run(facts, Examples);
        var timeline = facts.Timeline;
        var options = facts.Options;
        return new ChaosReport
        {
            Seed = options.Seed,
            RunDirectory = facts.RunDirectory,
            Settings = new Dictionary<string, string>(StringComparer.Ordinal)
            {
                ["posts"] = options.Posts.ToString(CultureInfo.InvariantCulture),
                ["accounts"] = options.Accounts.ToString(CultureInfo.InvariantCulture),
                ["window"] = Seconds(options.Window),
                ["instant"] = $"{options.InstantShare:P0} of the posts at {Seconds(options.Window * options.InstantAt)} into the window",
                ["silos"] = options.Silos.ToString(CultureInfo.InvariantCulture),
                ["kill every"] = options.KillEvery > TimeSpan.Zero ? $"{Seconds(options.KillEvery)} (SIGKILL a random silo, restart after {Seconds(options.RestartAfter)})" : "never",
                ["PostgreSQL restart"] = options.PostgresRestartAt is { } pg ? $"{Seconds(pg)} after the window start (immediate mode)" : "none",
                ["grace"] = $"{Seconds(options.Grace)} after the window end; webhooks {Seconds(options.WebhookGrace)} more",
                ["sandbox faults"] = $"{options.FaultRate:P0} of calls on faulty accounts (503, 429 reset {options.RateLimitResetSeconds} s, timeout after received)",
                ["configuration"] = options.Configuration,
                ["silo and front arguments"] = string.Join(' ', facts.SiloArguments),
            },
            ChaosSettings = options.ChaosSettings.Select(s => $"{s.Key}={s.Value}").ToList(),
            Timeline = timeline,
            PostsPlanned = facts.PlannedPosts,
            TargetsCreated = facts.Targets.Count,
            CreateRetries = facts.CreateRetries,
            CreateErrors = facts.CreateErrors.Take(Examples).ToList(),
            Published = published.Count,
            FailedByCategory = failed,
            Lost = lost.Count,
            LostStuck = lostStuck,
            PublishedWithoutReceipt = phantom,
            FailedThoughReceived = failedThoughReceived,
            Stuck = stuck.Count,
            StuckByStatus = stuckByStatus,
            Duplicates = duplicates.Count,
            DuplicateReceipts = duplicateReceipts,
            CalendarDisagreements = disagreements,
            Lateness = new Lateness(lateness.Count, Percentile(lateness, 0.50), Percentile(lateness, 0.99), lateness.Count == 0 ? 0 : lateness[^1],
                published.Count(p => p.State.Late)),
            Webhooks = webhooks,
            Faults = facts.Faults,
            LostExamples = lost.Take(Examples).ToList(),
            StuckExamples = stuck.Take(Examples).ToList(),
            DuplicateExamples = duplicates.Take(Examples).ToList(),
            OtherExamples = other.Take(Examples).ToList(),
            Goals =
            [
                new Goal("posts created", facts.Targets.Count, facts.PlannedPosts, facts.Targets.Count == facts.PlannedPosts),
                new Goal("lost", lost.Count, 0, lost.Count == 0),
                new Goal("duplicates", duplicates.Count, 0, duplicates.Count == 0),
                new Goal("stuck", stuck.Count, 0, stuck.Count == 0),
                new Goal("webhook events missing", webhooks.Missing, 0, webhooks.Missing == 0, Gating: false),
                new Goal("webhook order violations", webhooks.OrderViolations, 0, webhooks.OrderViolations == 0, Gating: false),
            ],
        };
    }

    private static string Describe(CreatedTarget target, TargetState state, CalendarRow? row, List<SandboxReceiptRow> received)
    {
        var receipts = received.Count == 0
            ? "never received"
            : $"received {received.Count}x: " + string.Join(", ", received.Select(r => $"attempt {r.AttemptId[..Math.Min(8, r.AttemptId.Length)]} at {r.ReceivedAt:HH:mm:ss.fff}"));
        var error = state.ErrorCategory is null ? "" : $", error {state.ErrorCategory}: {state.ErrorMessage}";
        var defer = state.DeferReason is null ? "" : $", deferred until {state.DeferredUntil:HH:mm:ss}: {state.DeferReason}";
        return $"{target.PublicationKey} ({target.Kind}, due {target.DueAt:HH:mm:ss.fff}): {state.Status} after {state.Attempts} attempt(s){error}{defer}; " +
               $"calendar {row?.Status ?? "no row"}; {receipts}";
    }

    private static double Percentile(IReadOnlyList<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];

    private static string Seconds(TimeSpan span) => span.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";
}
