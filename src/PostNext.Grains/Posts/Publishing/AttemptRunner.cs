using System.Collections.Concurrent;
using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Diagnostics;
using PostNext.Abstractions.Posts;
using PostNext.Grains.Common;
using PostNext.Grains.Scheduling;
using PostNext.Platforms;
using PostNext.Content.Media;
using PostNext.Content.Rules;

namespace PostNext.Grains.Posts.Publishing;

/// <summary>
/// Runs publications' platform calls on this silo, outside the grains' turns, so a slow platform never blocks a
/// publication grain. A publish fetches the account's token, waits for a slot of the silo's throttle, takes the
/// attempt's lease through the grain (persisted before anything is sent), calls the platform, frees the slot and
/// delivers the outcome back; a
/// reconciliation asks the platform and delivers its answer. Every exception ends in a classified report. At most one
/// call per publication runs at a time, and the grains ask this registry whether "their" attempt is still running here.
/// </summary>
public sealed partial class AttemptRunner(
    IGrainFactory grains,
    PlatformConnectors connectors,
    PublishThrottle throttle,
    MediaChecker mediaChecker,
    IOptions<SchedulingOptions> options,
    TimeProvider time,
    ILogger<AttemptRunner> logger)
{
    private static readonly TimeSpan[] DeliveryBackoff =
        [TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), TimeSpan.FromSeconds(8), TimeSpan.FromSeconds(15), TimeSpan.FromSeconds(30)];

    private readonly ConcurrentDictionary<string, Run> _runs = new(StringComparer.Ordinal);

    private readonly SharedReads<string, PublishingIdentity?> _identities = new();

    private SchedulingOptions Options => options.Value;

    /// <summary>True while an attempt or reconciliation of this publication runs on this silo.</summary>
    public bool IsRunning(string publicationKey) => _runs.ContainsKey(publicationKey);

    /// <summary>True while this very attempt runs on this silo.</summary>
    public bool IsRunning(string publicationKey, string attemptId) =>
        _runs.TryGetValue(publicationKey, out var run) && run.AttemptId == attemptId;

    /// <summary>Queues a publish attempt; false when one of this publication already runs here.</summary>
    /// <remarks>
    /// A <paramref name="prepared"/> attempt starts ahead of its time: its lease is taken at once and its call waits for
    /// the time (see <see cref="SchedulingOptions.PrepareAhead"/>).
    /// </remarks>
    public bool TryStartPublish(string publicationKey, string attemptId, string accountId, string platform, bool prepared = false)
    {
        var run = new Run(attemptId);
        if (!_runs.TryAdd(publicationKey, run))
        {
            return false;
        }

        _ = Task.Run(() => PublishAsync(run, publicationKey, accountId, platform, prepared));
        return true;
    }

    /// <summary>Starts asking the platform about an unconfirmed attempt; false when something of this publication already runs here.</summary>
    public bool TryStartReconcile(string publicationKey, string attemptId, string accountId, string platform, PostContent content, IReadOnlyDictionary<string, string> checkpoints)
    {
        var run = new Run(attemptId);
        if (!_runs.TryAdd(publicationKey, run))
        {
            return false;
        }

        _ = Task.Run(() => ReconcileAsync(run, publicationKey, accountId, platform, content, checkpoints));
        return true;
    }

    /// <summary>
    /// Abandons this attempt if it runs here and has not started sending (a prepared attempt waiting for its time): it
    /// will send nothing, and it no longer counts as running. False when it is not here or already sending.
    /// </summary>
    public bool TryAbandon(string publicationKey, string attemptId)
    {
        if (!_runs.TryGetValue(publicationKey, out var run) || run.AttemptId != attemptId || !run.TryAbandon())
        {
            return false;
        }

        _runs.TryRemove(new KeyValuePair<string, Run>(publicationKey, run));
        return true;
    }

    /// <summary>
    /// Waits (at most <paramref name="timeout"/>) for the platform call of this attempt, if it is the one running here,
    /// and returns its report: a deactivating grain records it itself instead of leaving it to a later reconciliation.
    /// </summary>
    public async Task<AttemptReport?> DrainAsync(string publicationKey, string attemptId, TimeSpan timeout)
    {
        if (!_runs.TryGetValue(publicationKey, out var run) || run.AttemptId != attemptId || !run.Calling)
        {
            return null;
        }

        var call = run.Call.Task;
        await Task.WhenAny(call, Task.Delay(timeout, time)).ConfigureAwait(false);
        return call.IsCompletedSuccessfully ? call.Result : null;
    }

    private async Task PublishAsync(Run run, string key, string accountId, string platform, bool prepared)
    {
        var grain = grains.GetGrain<IPublicationGrain>(key);
        try
        {
            var identity = await IdentityAsync(accountId).ConfigureAwait(false);
            var connector = connectors.Find(platform);
            if (identity.Error is { } unavailable || identity.Account is not { Status: AccountStatus.Connected } account || connector is null)
            {
                var report = identity.Error is not null
                    ? new AttemptReport(PublishOutcome.Failure(ErrorCategory.Transient, $"The account's token could not be read: {identity.Error}"), Sent: false)
                    : new AttemptReport(PublishOutcome.Failure(ErrorCategory.Auth, "The account was removed or cannot publish; reconnect it."), Sent: false, AccountUnavailable: true);
                await DeliverAsync(key, () => grain.CompleteAttemptAsync(run.AttemptId, report)).ConfigureAwait(false);
                return;
            }

            AttemptReport? sent;
            if (prepared)
            {
                // Prepared ahead of its time: the lease is taken now, the call waits for the time and then for a slot.
                var ticket = await grain.BeginAttemptAsync(run.AttemptId, account).ConfigureAwait(false);
                if (ticket is null)
                {
                    return;
                }

                // A timer may fire a little before the clock says the time has come: wait until it does.
                while (ticket.NotBefore is { } notBefore && notBefore > time.GetUtcNow())
                {
                    await Task.Delay(notBefore - time.GetUtcNow() + TimeSpan.FromMilliseconds(1), time, run.Abandon.Token).ConfigureAwait(false);
                }

                using (await throttle.AcquireAsync().ConfigureAwait(false))
                {
                    // The lease was taken before the wait for a slot: a call is made only while the lease still covers it
                    // whole (the call's timeout and half the margin), so a lease never runs out under a call still going.
                    sent = time.GetUtcNow() + Options.PublishTimeout + Options.LeaseMargin / 2 > ticket.LeaseUntil
                        ? new AttemptReport(PublishOutcome.Failure(ErrorCategory.Transient, "No slot for the platform call came in time; nothing was sent, it is tried again."), Sent: true)
                        : await SendAsync(run, key, accountId, platform, account, connector, grain, ticket).ConfigureAwait(false);
                }
            }
            else
            {
                // The silo's slot bounds the platform calls in flight; it is taken before the lease (so waiting for it never
                // eats into the lease) and given back as soon as the platform answered, not after the outcome is recorded.
                using (await throttle.AcquireAsync().ConfigureAwait(false))
                {
                    // The lease is persisted right before the call: from here until its deadline nobody else sends or reconciles.
                    var ticket = await grain.BeginAttemptAsync(run.AttemptId, account).ConfigureAwait(false);
                    if (ticket is null)
                    {
                        return;
                    }

                    sent = await SendAsync(run, key, accountId, platform, account, connector, grain, ticket).ConfigureAwait(false);
                }
            }

            if (sent is null)
            {
                return;
            }

            run.Call.TrySetResult(sent);
            await DeliverAsync(key, () => grain.CompleteAttemptAsync(run.AttemptId, sent)).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (run.Abandon.IsCancellationRequested)
        {
            // Abandoned while it waited for its time: its grain recorded that nothing was sent.
        }
        catch (Exception ex)
        {
            // Before the lease: nothing was sent and the next tick starts over. After it: the lease runs out and the attempt is reconciled.
            LogRunFailed(ex, key);
        }
        finally
        {
            run.Call.TrySetResult(null);
            _runs.TryRemove(new KeyValuePair<string, Run>(key, run));
        }
    }

    /// <summary>
    /// Under the attempt's lease and a slot: checks the media files once more, then calls the platform; returns the report
    /// to record (none when the attempt was abandoned before anything was sent). A file that breaks its rules is reported
    /// as the leased attempt's outcome, with nothing sent.
    /// </summary>
    private async Task<AttemptReport?> SendAsync(
        Run run, string key, string accountId, string platform, PublishingIdentity account, IPlatformConnector connector, IPublicationGrain grain, PublishTicket ticket)
    {
        // The files are read again right before the call: the file behind a URL may have changed since the post was accepted.
        if (ChainCheckpoints.Post(ticket.Checkpoints) is null && await CheckMediaAsync(platform, ticket.Content).ConfigureAwait(false) is { } refused)
        {
            // The grain counts it like any attempt under a lease: nothing reached the platform, and the category decides
            // what follows (invalid content fails for good, a passing fetch error retries).
            PostNextTelemetry.PublishAttempts.Add(1, PostNextTelemetry.Platform(platform), PostNextTelemetry.Outcome((refused.ErrorCategory ?? ErrorCategory.Transient).TagValue()));
            return new AttemptReport(refused, Sent: true);
        }

        if (!run.TrySend())
        {
            return null; // abandoned by its deactivating grain, which recorded that nothing was sent
        }

        var request = new PublishRequest(key, run.AttemptId, account, ticket.Content, ticket.Checkpoints, new GrainJournal(grain, run.AttemptId));
        using var activity = StartCall("publish", key, run.AttemptId, accountId, platform);
        var started = Stopwatch.GetTimestamp();
        var outcome = await CallAsync(token => ChainPublisher.PublishAsync(connector, request, time, token), key).ConfigureAwait(false);
        var result = outcome.Succeeded ? "success" : (outcome.ErrorCategory ?? ErrorCategory.Transient).TagValue();
        RecordCall(activity, "publish", platform, result, started);
        PostNextTelemetry.PublishAttempts.Add(1, PostNextTelemetry.Platform(platform), PostNextTelemetry.Outcome(result));
        // The platform's own word on its limits, even on success: a call that spent the last of a budget blocks the account.
        var blocked = outcome.Limit?.BlockedUntil is { } until && until > time.GetUtcNow() ? until : (DateTimeOffset?)null;
        return new AttemptReport(outcome, Sent: true, blocked);
    }

    private async Task ReconcileAsync(Run run, string key, string accountId, string platform, PostContent content, IReadOnlyDictionary<string, string> checkpoints)
    {
        var grain = grains.GetGrain<IPublicationGrain>(key);
        try
        {
            ReconcileReport report;
            var identity = await IdentityAsync(accountId).ConfigureAwait(false);
            var connector = connectors.Find(platform);
            if (identity.Account is not { } account || connector is null)
            {
                report = new ReconcileReport(ReconcileFinding.Unknown, null, identity.Error ?? "the account was removed or cannot be asked");
            }
            else
            {
                var request = new PublishRequest(key, run.AttemptId, account, content, checkpoints, new GrainJournal(grain, run.AttemptId));
                using var activity = StartCall("reconcile", key, run.AttemptId, accountId, platform);
                var started = Stopwatch.GetTimestamp();
                report = await FindAsync(connector, request).ConfigureAwait(false);
                var result = report.Finding switch { ReconcileFinding.Found => "found", ReconcileFinding.NotFound => "not_found", ReconcileFinding.Partial => "partial", _ => "unknown" };
                RecordCall(activity, "reconcile", platform, result, started);
                PostNextTelemetry.ReconcileResults.Add(1, PostNextTelemetry.Platform(platform), PostNextTelemetry.Outcome(result));
            }

            await DeliverAsync(key, () => grain.CompleteReconcileAsync(run.AttemptId, report)).ConfigureAwait(false);
        }
        catch (Exception ex)
        {
            LogRunFailed(ex, key);
        }
        finally
        {
            run.Call.TrySetResult(null);
            _runs.TryRemove(new KeyValuePair<string, Run>(key, run));
        }
    }

    /// <summary>The failure to report instead of calling the platform when a media file breaks its rules (or could not be read); null when all pass.</summary>
    private async Task<PublishOutcome?> CheckMediaAsync(string platform, PostContent content)
    {
        using var timeout = new CancellationTokenSource(Options.PublishTimeout, time);
        var (violations, inspections) = await mediaChecker.CheckAsync(platform, content, timeout.Token).ConfigureAwait(false);
        if (violations.Count == 0)
        {
            return null;
        }

        // Only a file that could not be fetched for a passing reason (a timeout, a 5xx) is worth another attempt.
        var transient = violations.All(v => v.Code == ContentViolationCodes.MediaUnavailable) && inspections.Values.Any(i => i.Transient);
        var message = "The media was checked before the platform call and nothing was sent: " +
                      string.Join(" ", violations.Select(v => $"{v.Field} ({v.Code}): {v.Message}"));
        return PublishOutcome.Failure(transient ? ErrorCategory.Transient : ErrorCategory.InvalidContent, message);
    }

    private async Task<(PublishingIdentity? Account, string? Error)> IdentityAsync(string accountId)
    {
        try
        {
            // Shared while in flight: thousands of publications of one account due together ask its grain a few times.
            return (await _identities.ReadAsync(accountId, id => grains.GetGrain<IAccountGrain>(id).GetPublishingIdentityAsync()).ConfigureAwait(false), null);
        }
        catch (Exception ex)
        {
            return (null, ex.Message);
        }
    }

    /// <summary>Calls the platform with the configured timeout; a timeout or crash is an unknown outcome, never a failure.</summary>
    private async Task<PublishOutcome> CallAsync(Func<CancellationToken, Task<PublishOutcome>> call, string key)
    {
        // The connector itself is cancelled at the timeout, so a slow upload cannot send its create after we gave up on it.
        using var timeout = new CancellationTokenSource(Options.PublishTimeout, time);
        try
        {
            return await call(timeout.Token).WaitAsync(Options.PublishTimeout + TimeSpan.FromSeconds(5), time).ConfigureAwait(false);
        }
        catch (TimeoutException)
        {
            return PublishOutcome.Failure(ErrorCategory.UnknownOutcome, $"The platform did not answer within {Options.PublishTimeout}.");
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException)
        {
            return PublishOutcome.Failure(ErrorCategory.UnknownOutcome, $"The call to the platform broke off: {ex.Message}");
        }
        catch (Exception ex)
        {
            LogConnectorCrashed(ex, key);
            return PublishOutcome.Failure(ErrorCategory.UnknownOutcome, "The connector failed unexpectedly; the outcome is being checked.");
        }
    }

    private async Task<ReconcileReport> FindAsync(IPlatformConnector connector, PublishRequest request)
    {
        using var timeout = new CancellationTokenSource(Options.PublishTimeout, time);
        try
        {
            var result = await ChainPublisher.FindAsync(connector, request, timeout.Token).WaitAsync(Options.PublishTimeout + TimeSpan.FromSeconds(5), time).ConfigureAwait(false);
            return result.State switch
            {
                ReconcileState.Found when result.Publication is not null => new ReconcileReport(ReconcileFinding.Found, result.Publication, null),
                ReconcileState.NotFound => new ReconcileReport(ReconcileFinding.NotFound, null, null),
                ReconcileState.Partial => new ReconcileReport(ReconcileFinding.Partial, null, result.Detail),
                _ => new ReconcileReport(ReconcileFinding.Unknown, null, result.Detail ?? "the platform could not tell"),
            };
        }
        catch (Exception ex)
        {
            return new ReconcileReport(ReconcileFinding.Unknown, null, ex.Message);
        }
    }

    /// <summary>Hands a result to the grain, retrying while the grain cannot take it (its silo moving, PostgreSQL restarting): a known outcome is worth keeping.</summary>
    private async Task DeliverAsync(string key, Func<Task> deliver)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                await deliver().ConfigureAwait(false);
                return;
            }
            catch (Exception ex) when (attempt < DeliveryBackoff.Length)
            {
                LogDeliveryRetry(key, attempt + 1, ex.Message);
                await Task.Delay(DeliveryBackoff[attempt], time).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The span of one platform call, a child of the tick that started it; the ids are span attributes, never metric tags.</summary>
    private static Activity? StartCall(string operation, string key, string attemptId, string accountId, string platform)
    {
        var activity = PostNextTelemetry.Source.StartActivity($"{operation} {platform}", ActivityKind.Client);
        if (activity is not null)
        {
            var separator = key.IndexOf('~', StringComparison.Ordinal);
            activity.SetTag(PostNextTelemetry.PostIdAttribute, separator > 0 ? key[..separator] : key)
                .SetTag(PostNextTelemetry.PublicationIdAttribute, key)
                .SetTag(PostNextTelemetry.AttemptIdAttribute, attemptId)
                .SetTag(PostNextTelemetry.AccountIdAttribute, accountId)
                .SetTag(PostNextTelemetry.PlatformTag, platform);
        }

        return activity;
    }

    private static void RecordCall(Activity? activity, string operation, string platform, string result, long started)
    {
        PostNextTelemetry.PlatformCallDuration.Record(
            Stopwatch.GetElapsedTime(started).TotalSeconds,
            PostNextTelemetry.Platform(platform), new KeyValuePair<string, object?>(PostNextTelemetry.OperationTag, operation), PostNextTelemetry.Outcome(result));
        if (activity is not null)
        {
            activity.SetTag(PostNextTelemetry.OutcomeTag, result);
            if (result is not ("success" or "found"))
            {
                activity.SetStatus(ActivityStatusCode.Error, result);
            }
        }
    }

    private sealed class Run(string attemptId)
    {
        public string AttemptId { get; } = attemptId;

        private const int Waiting = 0, Sending = 1, Abandoned = 2;

        private int _phase;

        /// <summary>Set once the lease is taken and the platform is being called.</summary>
        public bool Calling => Volatile.Read(ref _phase) == Sending;

        /// <summary>Cancels the wait of a prepared attempt for its time once it is abandoned.</summary>
        public CancellationTokenSource Abandon { get; } = new();

        /// <summary>Moves to sending; false when the attempt was abandoned first (then nothing may be sent).</summary>
        public bool TrySend() => Interlocked.CompareExchange(ref _phase, Sending, Waiting) != Abandoned;

        /// <summary>Abandons the attempt if nothing was sent yet; false once it is sending.</summary>
        public bool TryAbandon()
        {
            if (Interlocked.CompareExchange(ref _phase, Abandoned, Waiting) == Sending)
            {
                return false;
            }

            Abandon.Cancel();
            return true;
        }

        /// <summary>The call's report once it returned (null when the run ended without one).</summary>
        public TaskCompletionSource<AttemptReport?> Call { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
    }

    /// <summary>Saves checkpoints through a grain call, so the write happens in a request turn of the publication.</summary>
    private sealed class GrainJournal(IPublicationGrain grain, string attemptId) : IPublishJournal
    {
        public Task SaveAsync(string key, string value) => grain.SaveCheckpointAsync(attemptId, key, value);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publication {PublicationKey}: the run ended early; its lease or the next tick takes over")]
    private partial void LogRunFailed(Exception exception, string publicationKey);

    [LoggerMessage(Level = LogLevel.Error, Message = "Connector failed unexpectedly for {PublicationKey}")]
    private partial void LogConnectorCrashed(Exception exception, string publicationKey);

    [LoggerMessage(Level = LogLevel.Information, Message = "Publication {PublicationKey}: handing back the result failed (try {Try}: {Reason}); retrying")]
    private partial void LogDeliveryRetry(string publicationKey, int @try, string reason);
}
