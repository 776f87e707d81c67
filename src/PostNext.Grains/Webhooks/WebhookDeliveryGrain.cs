using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PostNext.Abstractions.Diagnostics;
using PostNext.Abstractions.Webhooks;
using PostNext.Grains.Common;
using PostNext.Storage.Webhooks;

namespace PostNext.Grains.Webhooks;

/// <summary>
/// Delivers one webhook's pending deliveries, oldest first, and owns their retries. A pass sends what is due through a
/// bounded window of concurrent requests (<see cref="WebhookOptions.MaxInFlightPerWebhook"/>), each resource's events
/// one after another and in order (<see cref="WebhookLanes"/>); events about different resources may overtake each
/// other. A failure pauses the whole webhook until the failed delivery's next attempt (a dead receiver is not hammered),
/// but a delivery its receiver keeps refusing is isolated after a few attempts: it waits alone with its own backoff,
/// its retry window counted from its first attempt, and the others go on. A grain timer wakes the next pass; a
/// reminder, registered while anything is pending, is the durable wake-up after a restart. The passes run in the
/// background on this activation, so kicks never wait for a receiver.
/// </summary>
public sealed partial class WebhookDeliveryGrain(
    IWebhookDeliveryStore store,
    WebhookSender sender,
    IOptions<WebhookOptions> options,
    TimeProvider time,
    ILogger<WebhookDeliveryGrain> logger) : Grain, IWebhookDeliveryGrain, IRemindable
{
    public const string ReminderName = "webhook-delivery";

    /// <summary>Pending deliveries read at a time (due or not), to keep each resource's events in order.</summary>
    private const int PendingWindow = 500;

    /// <summary>Failed attempts after which a delivery its receiver keeps refusing no longer holds back the others.</summary>
    public const int IsolateAfter = 5;

    /// <summary>Deliveries a probe after a pause may try: the oldest, and the next one when the oldest is isolated.</summary>
    private const int ProbeSize = 2;

    private static readonly TimeSpan MinimumWait = TimeSpan.FromMilliseconds(20);
    private static readonly TimeSpan PruneEvery = TimeSpan.FromHours(1);

    private string _workspaceId = "";
    private string _webhookId = "";
    private IGrainTimer? _timer;
    private Task? _pump;
    private bool _again;
    private bool? _reminderArmed;
    private readonly SharedCall _arming = new();
    private DateTimeOffset _pausedUntil;

    /// <summary>When the last pass's reading of the pending deliveries has something to send again.</summary>
    private DateTimeOffset _heldUntil;
    private bool _inOutage;
    private bool _receiverAnswered;
    private int _failuresInARow;
    private DateTimeOffset _prunedAt;

    private WebhookOptions Options => options.Value;

    public override Task OnActivateAsync(CancellationToken cancellationToken)
    {
        (_workspaceId, _webhookId) = WebhookDeliveryKey.Parse(this.GetPrimaryKeyString());
        _timer = this.RegisterGrainTimer(_ =>
        {
            Pump();
            return Task.CompletedTask;
        }, new GrainTimerCreationOptions { DueTime = Timeout.InfiniteTimeSpan, Period = Timeout.InfiniteTimeSpan, Interleave = true, KeepAlive = true });
        return Task.CompletedTask;
    }

    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        _timer?.Dispose();
        if (_pump is { } pump)
        {
            try
            {
                await pump.WaitAsync(cancellationToken);
            }
            catch (OperationCanceledException)
            {
                // The reminder brings the rest back.
            }
        }
    }

    /// <summary>
    /// Starts a pass for deliveries just stored. The reminder is armed first when it can be; a silo that cannot register
    /// reminders yet (its reminder service still starting, its table unreachable) still takes the event: the rows are
    /// stored, this pass sends them, and each pass arms the reminder again while anything stays pending. A refused
    /// reminder never fails the emitter, whose own outcome (a publication's) waits for the event to be taken.
    /// </summary>
    public async Task KickAsync()
    {
        try
        {
            await EnsureReminderAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogReminderRefused(_webhookId, ex.Message);
        }

        Pump();
    }

    public Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == ReminderName)
        {
            Pump();
        }

        return Task.CompletedTask;
    }

    /// <summary>Starts a pass in the background, or asks the running one to go round again.</summary>
    private void Pump()
    {
        if (_pump is not null)
        {
            _again = true;
            return;
        }

        _pump = PumpAsync();
    }

    private async Task PumpAsync()
    {
        await Task.Yield(); // leave the calling turn first, so _pump is set before this can finish
        try
        {
            do
            {
                _again = false;
                await RunPassAsync();
                await ScheduleNextAsync();
            }
            while (_again);
        }
        catch (Exception ex)
        {
            // The store or the cluster is unhappy: try again later; the reminder is the backstop.
            LogPassFailed(ex, _webhookId);
            _timer?.Change(Options.InitialRetryDelay, Timeout.InfiniteTimeSpan);
        }
        finally
        {
            _pump = null;
        }
    }

    private async Task RunPassAsync()
    {
        if (time.GetUtcNow() < _pausedUntil)
        {
            // The receiver is down: nothing is sent (and nothing written) until the pause ends.
            return;
        }

        var target = await GrainFactory.GetGrain<IWebhooksGrain>(_workspaceId).GetTargetAsync(_webhookId);
        if (target is null)
        {
            // Deleted (an event emitted while it was being deleted may have left a row behind).
            await store.RemoveWebhookAsync(_workspaceId, _webhookId);
            return;
        }

        _heldUntil = DateTimeOffset.MinValue;
        WebhookLanes lanes;
        bool again;
        do
        {
            var pending = await store.PendingAsync(_workspaceId, _webhookId, PendingWindow);
            var probing = _inOutage;
            _failuresInARow = 0;

            // After a pause, probe with the oldest pending deliveries, one at a time, whatever their own next attempt, so
            // that once the receiver answers everything goes out (the second one only if the oldest is isolated and fails).
            lanes = new WebhookLanes(pending, probing ? DateTimeOffset.MaxValue : time.GetUtcNow());
            var (sent, paused) = await SendAsync(target, lanes, probing ? ProbeSize : int.MaxValue);
            if (paused)
            {
                return;
            }

            // Resumed after a probe, or more pending than one read holds: read again.
            again = probing ? !_inOutage : sent > 0 && pending.Count == PendingWindow;
        }
        while (again);

        _heldUntil = lanes.NextReadyAt ?? DateTimeOffset.MinValue;
        await PruneAsync();
    }

    /// <summary>
    /// Sends what <paramref name="lanes"/> allow, at most <paramref name="limit"/> deliveries, with up to
    /// <see cref="WebhookOptions.MaxInFlightPerWebhook"/> requests at once (one at a time while probing, and until the
    /// receiver has answered once since activation, so a receiver that is down gets one request, not a window of them).
    /// Stops taking more once the webhook pauses, and returns only when no request is left in flight: the next read must
    /// not see a delivery being sent as pending. Answers how many were sent and whether the webhook paused.
    /// </summary>
    private async Task<(int Sent, bool Paused)> SendAsync(WebhookTarget target, WebhookLanes lanes, int limit)
    {
        var inFlight = new List<Task<(WebhookDelivery Updated, WebhookSendResult Result)>>();
        var sent = 0;
        var paused = false;
        try
        {
            while (true)
            {
                var window = _inOutage || !_receiverAnswered ? 1 : Options.MaxInFlightPerWebhook;
                while (!paused && sent < limit && inFlight.Count < window && lanes.TryTake(out var delivery))
                {
                    inFlight.Add(AttemptAsync(target, delivery));
                    sent++;
                }

                if (inFlight.Count == 0)
                {
                    return (sent, paused);
                }

                var done = await Task.WhenAny(inFlight);
                inFlight.Remove(done);
                var (updated, result) = await done;
                lanes.Complete(updated);

                // Once paused, the answers still in flight are recorded (each in its own row) but decide nothing more.
                paused = paused || await AfterAttemptAsync(result, updated);
            }
        }
        finally
        {
            // A failing pass still waits for its requests, so the retried pass cannot send one of them twice.
            await ((Task)Task.WhenAll(inFlight)).ConfigureAwait(ConfigureAwaitOptions.SuppressThrowing | ConfigureAwaitOptions.ContinueOnCapturedContext);
        }
    }

    /// <summary>One attempt of one delivery, its row written with the outcome.</summary>
    private async Task<(WebhookDelivery Updated, WebhookSendResult Result)> AttemptAsync(WebhookTarget target, WebhookDelivery delivery)
    {
        var result = await sender.SendAsync(target, delivery);
        var updated = Apply(delivery, result);
        await store.UpdateAsync(updated);
        Record(updated, result);
        if (updated.Status == WebhookDeliveryStatus.Failed)
        {
            LogGaveUp(delivery.EventId, _webhookId, updated.AttemptCount, result.Attempt.Error);
        }

        return (updated, result);
    }

    /// <summary>
    /// Tells a receiver that is down from one event it refuses. A failure pauses the whole webhook (in memory: no row is
    /// rewritten) until the failed delivery's next attempt, as a receiver that is down should not be hammered, unless
    /// that delivery has already failed <see cref="IsolateAfter"/> times and the receiver was reached: then it waits
    /// alone and the pass goes on; if the next answer is a failure too, the receiver is down after all. The first success
    /// after a pause makes everything pending due again (each resource's events still in order). True when the pass should stop.
    /// </summary>
    private async Task<bool> AfterAttemptAsync(WebhookSendResult result, WebhookDelivery updated)
    {
        if (result.Delivered)
        {
            _failuresInARow = 0;
            _receiverAnswered = true;
            if (_inOutage)
            {
                _inOutage = false;
                await store.ResumeAsync(_workspaceId, _webhookId, time.GetUtcNow());
            }

            return false;
        }

        if (!result.ReceiverUnavailable)
        {
            return false;
        }

        _failuresInARow++;
        var isolated = updated.AttemptCount >= IsolateAfter && result.Attempt.StatusCode is not null && _failuresInARow == 1;
        if (!isolated && updated.NextAttemptAt is { } next)
        {
            _inOutage = true;
            _pausedUntil = next;
            return true;
        }

        return false;
    }

    /// <summary>Delivery lag (event created to 2xx) and failed attempts by reason.</summary>
    private void Record(WebhookDelivery updated, WebhookSendResult result)
    {
        if (result.Delivered)
        {
            PostNextTelemetry.WebhookDeliveryLag.Record(
                Math.Max(0, ((updated.DeliveredAt ?? time.GetUtcNow()) - updated.CreatedAt).TotalSeconds),
                new KeyValuePair<string, object?>(PostNextTelemetry.EventTypeTag, updated.EventType));
            return;
        }

        var reason = updated.Status == WebhookDeliveryStatus.Failed ? "gave_up"
            : result.Attempt.StatusCode is >= 500 ? "http_5xx"
            : result.Attempt.StatusCode is not null ? "http_4xx"
            : "unreachable";
        PostNextTelemetry.WebhookDeliveryFailures.Add(1, PostNextTelemetry.Reason(reason));
    }

    private WebhookDelivery Apply(WebhookDelivery delivery, WebhookSendResult result)
    {
        var attempts = delivery.Attempts.Append(result.Attempt).TakeLast(Options.AttemptsKept).ToList();
        var count = delivery.AttemptCount + 1;
        var first = delivery.FirstAttemptAt ?? result.Attempt.At;
        if (result.Delivered)
        {
            return delivery with
            {
                Status = WebhookDeliveryStatus.Delivered, AttemptCount = count, NextAttemptAt = null, DeliveredAt = result.Attempt.At, Attempts = attempts,
                FirstAttemptAt = first,
            };
        }

        // The retry window runs from the first attempt: an event that waited behind others still gets all of it.
        var next = WebhookRetrySchedule.NextAttempt(first, count, time.GetUtcNow(), Options, Random.Shared.NextDouble());
        return delivery with
        {
            Status = next is null ? WebhookDeliveryStatus.Failed : WebhookDeliveryStatus.Pending, AttemptCount = count, NextAttemptAt = next, Attempts = attempts,
            FirstAttemptAt = first,
        };
    }

    /// <summary>
    /// Sets the timer for the earliest pending delivery, but not before the pause ends nor before a delivery that heads
    /// its resource is due (the due ones behind it cannot go sooner), and keeps the reminder while anything is pending.
    /// New and redelivered events kick a pass themselves.
    /// </summary>
    private async Task ScheduleNextAsync()
    {
        var next = await store.NextDueAsync(_workspaceId, _webhookId);
        if (next is null)
        {
            _timer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
            await DisarmReminderAsync();
            return;
        }

        var wake = new[] { next.Value, _pausedUntil, _heldUntil }.Max();
        var wait = wake - time.GetUtcNow();
        _timer?.Change(wait < MinimumWait ? MinimumWait : wait, Timeout.InfiniteTimeSpan);
        await EnsureReminderAsync();
    }

    private async Task EnsureReminderAsync()
    {
        if (_reminderArmed == true)
        {
            return;
        }

        // Kicks interleave: events of many publications stored at once share one registration in flight.
        await _arming.RunAsync(async () =>
        {
            await this.RegisterOrUpdateReminder(ReminderName, Options.ReminderPeriod, Options.ReminderPeriod);
            _reminderArmed = true;
        });
    }

    private async Task DisarmReminderAsync()
    {
        if (_reminderArmed == false)
        {
            return;
        }

        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        _reminderArmed = false;
    }

    /// <summary>Forgets finished deliveries past the retention, at most once an hour per activation.</summary>
    private async Task PruneAsync()
    {
        var now = time.GetUtcNow();
        if (now - _prunedAt < PruneEvery)
        {
            return;
        }

        _prunedAt = now;
        await store.PruneAsync(_workspaceId, _webhookId, now - Options.DeliveryRetention);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {WebhookId}: its reminder could not be armed ({Reason}); delivering now and arming it on the next pass")]
    private partial void LogReminderRefused(string webhookId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Webhook {WebhookId}: a delivery pass failed; retrying shortly")]
    private partial void LogPassFailed(Exception exception, string webhookId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Event {EventId} to webhook {WebhookId} failed for good after {Attempts} attempts: {Error}")]
    private partial void LogGaveUp(string eventId, string webhookId, int attempts, string? error);
}
