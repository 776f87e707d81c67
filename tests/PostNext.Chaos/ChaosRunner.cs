using System.Collections.Concurrent;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using System.Text.Json.Serialization;
using PostNext.Chaos.Load;
using PostNext.Chaos.Processes;
using PostNext.Chaos.Results;

namespace PostNext.Chaos;

/// <summary>
/// One chaos run, start to finish: the cluster up, the load in through the API, the faults during the window, the
/// wait for every target to become final (bounded), the figures read back and reported. Every process it started is
/// gone when it returns or throws.
/// </summary>
public static class ChaosRunner
{
    private static readonly string[] WebhookEvents = ["post.published", "post.failed", "post.deferred"];
    private static readonly TimeSpan FarFuture = TimeSpan.FromDays(1);
    private static readonly TimeSpan MinimumLead = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(2);

    private static readonly JsonSerializerOptions ReportJson = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter() },
    };

    /// <summary>Runs the suite; <paramref name="output"/> receives the narrative and, at the end, the report table.</summary>
    public static async Task<ChaosReport> RunAsync(ChaosOptions options, Action<string> output, CancellationToken cancellationToken)
    {
        var runDirectory = options.RunDirectory ?? Path.Combine(Path.GetTempPath(),
            string.Create(CultureInfo.InvariantCulture, $"postnext-chaos-{DateTime.UtcNow:yyyyMMdd-HHmmss}-{options.Seed}"));
        Directory.CreateDirectory(runDirectory);
        ChaosReport? report = null;
        using (var log = new RunLog(output))
        {
            log.WriteTo(Path.Combine(runDirectory, "chaos.log"));
            log.Line($"chaos run, seed {options.Seed}, run directory {runDirectory}");
            try
            {
                report = await RunInAsync(options, runDirectory, log, cancellationToken);
            }
            catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
            {
                log.Line("interrupted: every process was stopped");
                throw;
            }
            catch (Exception ex)
            {
                log.Line($"the run failed: {ex}");
                throw;
            }
        }

        if (report.Passed && !options.Keep)
        {
            Directory.Delete(runDirectory, recursive: true);
        }

        return report;
    }

    private static async Task<ChaosReport> RunInAsync(ChaosOptions options, string runDirectory, RunLog log, CancellationToken cancellationToken)
    {
        var timeline = new Timeline { Started = DateTimeOffset.UtcNow };
        await using var cluster = await ChaosCluster.StartAsync(options, runDirectory, log, cancellationToken);
        timeline.ClusterReady = DateTimeOffset.UtcNow;
        await using var receiver = await WebhookReceiver.StartAsync(runDirectory);
        using var api = new FrontClient(cluster.Front.HttpAddress, options.Concurrency * 2);

        var plan = LoadPlan.Create(options);
        var workspace = await api.CreateWorkspaceAsync(cluster.OperatorKey, cancellationToken);
        var ws = workspace["id"]!.GetValue<string>();
        var key = workspace["apiKey"]!.GetValue<string>();
        var webhook = await api.CreateWebhookAsync(ws, key, receiver.Url, WebhookReceiver.Secret, WebhookEvents, cancellationToken);
        var accountIds = new string[plan.Accounts.Count];
        await Parallel.ForEachAsync(plan.Accounts, Concurrently(options, cancellationToken), async (account, ct) =>
            accountIds[account.Index] = (await api.CreateAccountAsync(ws, key, account, ct))["id"]!.GetValue<string>());
        log.Line($"workspace {ws}: {accountIds.Length} sandbox accounts ({string.Join(", ", plan.Accounts.GroupBy(a => a.Kind).Select(g => $"{g.Count()} {g.Key}"))}), webhook to {receiver.Url}");

        var (targets, errors) = await IntakeAsync(options, plan, api, ws, key, accountIds, timeline, log, cancellationToken);

        var faults = new FaultInjector(cluster, options, log);
        var faulting = faults.RunAsync(timeline.WindowEnd, options.PostgresRestartAt is { } pg ? timeline.WindowStart + pg : null, cancellationToken);
        var reader = new ResultsReader(cluster.ConnectionString, api, ws, key);
        var states = await SettleAsync(options, targets, reader, timeline, log, cancellationToken);
        await faulting;
        timeline.Settled = DateTimeOffset.UtcNow;
        states = await reader.StatesAsync(targets, options.Concurrency, cancellationToken);

        await AwaitWebhooksAsync(options, targets, states, receiver, timeline, log, cancellationToken);
        var facts = new RunFacts(
            options, runDirectory, timeline, cluster.CommonArguments, plan.Posts.Count, targets, errors, api.Retries, states,
            await reader.CalendarAsync(cancellationToken),
            await reader.ReceiptsAsync(accountIds, cancellationToken),
            await reader.DeliveriesAsync(webhook["id"]!.GetValue<string>(), cancellationToken),
            receiver.Received,
            faults.Events);
        var report = ChaosReport.From(facts);
        await File.WriteAllTextAsync(Path.Combine(runDirectory, "report.json"), JsonSerializer.Serialize(report, ReportJson), cancellationToken);
        var text = ReportText.Format(report);
        await File.WriteAllTextAsync(Path.Combine(runDirectory, "report.txt"), text, cancellationToken);
        log.Line("report:" + Environment.NewLine + text);
        return report;
    }

    /// <summary>
    /// Creates the posts. A first few, due a day ahead and not part of the run, measure how fast this machine takes
    /// posts; the window then starts far enough ahead that the whole intake ends before it.
    /// </summary>
    private static async Task<(List<CreatedTarget> Targets, List<string> Errors)> IntakeAsync(
        ChaosOptions options, LoadPlan plan, FrontClient api, string ws, string key, string[] accountIds, Timeline timeline, RunLog log,
        CancellationToken cancellationToken)
    {
        var probes = Math.Clamp(options.Posts / 40, 10, 100);
        var probeDue = DateTimeOffset.UtcNow + FarFuture;
        var perPost = TimeSpan.Zero;
        foreach (var round in new[] { "warm-up", "measure" })
        {
            // The first round only warms the hosts up (JIT, pools); the second one is timed.
            var clock = Stopwatch.StartNew();
            await Parallel.ForEachAsync(Enumerable.Range(0, probes), Concurrently(options, cancellationToken), async (i, ct) =>
                await api.CreatePostAsync(ws, key, accountIds[i % accountIds.Length], $"chaos {round} {i}", probeDue, $"chaos-{options.Seed}-{round}-{i}", ct));
            perPost = clock.Elapsed / probes;
        }

        var lead = perPost * plan.Posts.Count * 1.5 + TimeSpan.FromSeconds(5);
        lead = lead < MinimumLead ? MinimumLead : lead;
        timeline.WindowStart = DateTimeOffset.UtcNow + lead;
        timeline.Instant = timeline.WindowStart + plan.Instant;
        timeline.WindowEnd = timeline.WindowStart + options.Window;
        log.Line($"{2 * probes} warm-up posts (due in a day, not counted) took {perPost.TotalMilliseconds:0.0} ms each: the window starts in {lead.TotalSeconds:0} s, at {timeline.WindowStart:HH:mm:ss}");

        var targets = new ConcurrentBag<CreatedTarget>();
        var errors = new ConcurrentBag<string>();
        timeline.IntakeStarted = DateTimeOffset.UtcNow;
        var progress = Stopwatch.StartNew();
        await Parallel.ForEachAsync(plan.Posts, Concurrently(options, cancellationToken), async (post, ct) =>
        {
            var accountId = accountIds[post.Account];
            var due = timeline.WindowStart + post.DueOffset;
            try
            {
                var created = await api.CreatePostAsync(ws, key, accountId, $"chaos {options.Seed} post {post.Index}", due, post.IdempotencyKey(options.Seed), ct);
                var target = created["targets"]!.AsArray().Single()!;
                targets.Add(new CreatedTarget(created["id"]!.GetValue<string>(), accountId, plan.Accounts[post.Account].Kind,
                    target["scheduledAt"]!.GetValue<DateTimeOffset>(), DateTimeOffset.UtcNow, post.AtInstant));
            }
            catch (Exception ex) when (ex is ApiRefusedException or InvalidOperationException)
            {
                errors.Add($"post {post.Index} due {due:HH:mm:ss.fff}: {ex.Message}");
            }

            if (progress.Elapsed > TimeSpan.FromSeconds(5))
            {
                progress.Restart();
                log.Line($"intake: {targets.Count} of {plan.Posts.Count} posts created");
            }
        });
        timeline.IntakeEnded = DateTimeOffset.UtcNow;
        log.Line($"intake: {targets.Count} posts created ({errors.Count} refused) in {(timeline.IntakeEnded - timeline.IntakeStarted).TotalSeconds:0.0} s, " +
                 $"{(timeline.WindowStart - timeline.IntakeEnded).TotalSeconds:0.0} s before the window start, {(timeline.Instant - timeline.IntakeEnded).TotalSeconds:0.0} s before the instant");
        return (targets.ToList(), errors.ToList());
    }

    /// <summary>
    /// Waits until every target is final (the calendar says so, then each post confirms it), or until the grace after
    /// the window end runs out. Returns the states last read from the API.
    /// </summary>
    private static async Task<Dictionary<string, TargetState>> SettleAsync(
        ChaosOptions options, List<CreatedTarget> targets, ResultsReader reader, Timeline timeline, RunLog log, CancellationToken cancellationToken)
    {
        var deadline = timeline.WindowEnd + options.Grace;
        var states = new Dictionary<string, TargetState>(StringComparer.Ordinal);
        var open = targets.ToList();
        var reported = DateTimeOffset.MinValue;
        while (true)
        {
            await Task.Delay(Poll, cancellationToken);
            var calendar = await reader.CalendarAsync(cancellationToken);
            var statuses = open.Select(t => calendar.GetValueOrDefault(t.PublicationKey)?.Status ?? "no row").ToList();
            var now = DateTimeOffset.UtcNow;
            if (now - reported > TimeSpan.FromSeconds(10))
            {
                reported = now;
                var counts = calendar.Values.GroupBy(r => r.Status).OrderBy(g => g.Key, StringComparer.Ordinal).Select(g => $"{g.Count()} {g.Key}");
                log.Line($"calendar: {string.Join(", ", counts)}; {(timeline.WindowEnd - now).TotalSeconds:0} s to the window end");
            }

            if (now > timeline.WindowEnd && statuses.Count(s => !TargetState.FinalStatuses.Contains(s)) <= Math.Max(50, targets.Count / 100))
            {
                // The calendar is a projection (it may lag): once it shows (nearly) everything final, each post's own
                // answer through the API decides; from then on only the targets still open are asked, each poll.
                foreach (var (key, state) in await reader.StatesAsync(open, options.Concurrency, cancellationToken))
                {
                    states[key] = state;
                }

                open = open.Where(t => !states[t.PublicationKey].IsFinal).ToList();
                if (open.Count == 0)
                {
                    log.Line($"every target is final, {(now - timeline.WindowEnd).TotalSeconds:0} s after the window end");
                    return states;
                }

                if (now - reported > TimeSpan.FromSeconds(8))
                {
                    log.Line($"{open.Count} targets not final yet (API)");
                }
            }

            if (now > deadline)
            {
                log.Line($"grace over ({options.Grace.TotalSeconds:0} s after the window end): {statuses.Count(s => !TargetState.FinalStatuses.Contains(s))} targets not final in the calendar");
                return states;
            }
        }
    }

    /// <summary>Waits until the receiver has the event every final target calls for, or the webhook grace runs out.</summary>
    private static async Task AwaitWebhooksAsync(
        ChaosOptions options, List<CreatedTarget> targets, Dictionary<string, TargetState> states, WebhookReceiver receiver, Timeline timeline, RunLog log,
        CancellationToken cancellationToken)
    {
        var expected = targets
            .Where(t => states.GetValueOrDefault(t.PublicationKey)?.Status is "published" or "failed")
            .Select(t => ("post." + states[t.PublicationKey].Status, t.PostId, t.AccountId))
            .ToHashSet();
        var deadline = DateTimeOffset.UtcNow + options.WebhookGrace;
        int missing;
        while (true)
        {
            var arrived = receiver.Received.Select(w => (w.EventType, w.PostId ?? "", w.AccountId ?? "")).ToHashSet();
            missing = expected.Count(e => !arrived.Contains(e));
            if (missing == 0 || DateTimeOffset.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(Poll, cancellationToken);
        }

        timeline.WebhooksSettled = DateTimeOffset.UtcNow;
        log.Line(missing == 0
            ? $"webhooks: all {expected.Count} expected events arrived"
            : $"webhooks: {missing} of {expected.Count} expected events had not arrived when the webhook grace ran out");
    }

    private static ParallelOptions Concurrently(ChaosOptions options, CancellationToken cancellationToken) =>
        new() { MaxDegreeOfParallelism = options.Concurrency, CancellationToken = cancellationToken };
}
