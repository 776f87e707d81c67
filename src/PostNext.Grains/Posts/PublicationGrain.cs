using System.Diagnostics;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PostNext.Abstractions;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Analytics;
using PostNext.Abstractions.Calendar;
using PostNext.Abstractions.Diagnostics;
using PostNext.Abstractions.Limits;
using PostNext.Abstractions.Posts;
using PostNext.Abstractions.Webhooks;
using PostNext.Grains.Analytics;
using PostNext.Grains.Common;
using PostNext.Grains.Limits;
using PostNext.Grains.Posts.Publishing;
using PostNext.Grains.Scheduling;
using PostNext.Grains.Webhooks;
using PostNext.Storage.Calendar;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;

namespace PostNext.Grains.Posts;

/// <summary>
/// Publishes one post to one account, exactly once: the state machine of one publication. Its reminder fires the
/// attempt at its time and, with its period, is the durable retry. <see cref="PublicationPolicy"/> decides; this
/// grain persists each transition and then performs its side effects; <see cref="AttemptRunner"/> makes the platform
/// calls. An attempt is a lease persisted right before the call: while it may still run nobody re-sends, and an
/// unknown outcome is reconciled by asking the platform, never blindly re-sent. Writes are fenced by the storage
/// ETag, so a stale activation can neither start a second attempt nor overwrite a newer outcome.
/// </summary>
public sealed partial class PublicationGrain(
    ICalendarStore calendar,
    Serializer<PublicationState> serializer,
    IServiceProvider services,
    AttemptRunner runner,
    SiloLiveness liveness,
    ArmedBuckets armedBuckets,
    IOptionsMonitor<RateLimitOptions> limits,
    IOptions<SchedulingOptions> options,
    IOptions<AnalyticsOptions> analytics,
    TimeProvider time,
    ILogger<PublicationGrain> logger) : Grain, IPublicationGrain, IRemindable
{
    public const string ReminderName = "publish";

    private const int MaxCheckpoints = 64;

    private static readonly TimeSpan MinimumDue = TimeSpan.FromSeconds(1);

    /// <summary>Ticks due sooner than this also get an in-memory timer.</summary>
    private static readonly TimeSpan PreciseHorizon = TimeSpan.FromSeconds(5);

    /// <summary>A publication scheduled further ahead than this is deactivated once scheduled (see <see cref="DropUnlessDueSoon"/>).</summary>
    internal static readonly TimeSpan KeepActiveWithin = TimeSpan.FromMinutes(2);

    private IGrainTimer? _precise;

    /// <summary>The state, kept in the publication's calendar row (loaded on activation).</summary>
    private PublicationRecord state = null!;

    private SchedulingOptions Options => options.Value;

    /// <summary>How long after publishing the first metrics reading is due.</summary>
    private TimeSpan FirstReading => MetricsSchedule.First(analytics.Value);

    private PublicationState S => state.State;

    private string Key => this.GetPrimaryKeyString();

    private bool Exists => state.RecordExists && !S.Deleted;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var separator = key.IndexOf('~', StringComparison.Ordinal);
        state = new PublicationRecord(key[..separator], key[(separator + 1)..], this.GetGrainId(), calendar, serializer,
            services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Grains), FirstReading);
        await state.ReadStateAsync();
    }

    public async Task<PublicationView> ScheduleAsync(SchedulePublication command)
    {
        if (Exists && (!PublicationPolicy.IsChangeable(S) || IsScheduledAs(command)))
        {
            // Started or finished; or already scheduled just so (a post repeating its fan-out): nothing changes.
            return View();
        }

        var previous = state.RecordExists ? S : null;
        state.State = new PublicationState
        {
            WorkspaceId = command.WorkspaceId,
            PostId = command.PostId,
            AccountId = command.AccountId,
            Platform = command.Platform,
            Content = command.Content,
            DueAt = command.DueAt.ToUniversalTime(),
            TimeZone = command.TimeZone,
            Status = PublicationStatus.Scheduled,
            Revision = previous?.Revision ?? 0,
            Attempts = previous?.Attempts ?? 0,
            Checkpoints = previous?.Checkpoints ?? [],
            CurrentAttempt = previous?.CurrentAttempt,
        };
        await SaveAsync();
        await ArmAsync(S.DueAt);
        DropUnlessDueSoon();
        return View();
    }

    /// <summary>
    /// A publication not due for a while gives its activation back as soon as it is scheduled: its due bucket wakes it
    /// shortly ahead of time. A million posts planned over a month then hold no memory until they fall due.
    /// </summary>
    private void DropUnlessDueSoon()
    {
        if (S.DueAt - time.GetUtcNow() > KeepActiveWithin)
        {
            DeactivateOnIdle();
        }
    }

    public Task<PublicationView?> GetAsync() => Task.FromResult(Exists ? View() : null);

    private bool IsScheduledAs(SchedulePublication command) =>
        S.DueAt == command.DueAt.ToUniversalTime() && S.TimeZone == command.TimeZone && S.WorkspaceId == command.WorkspaceId
        && S.Content.Text == command.Content.Text && S.Content.Title == command.Content.Title && S.Content.Media.SequenceEqual(command.Content.Media)
        && S.Content.Options == command.Content.Options;

    public async Task<PublicationChange> EditAsync(PostContent? content, DateTimeOffset? dueAt)
    {
        if (!Exists)
        {
            return new PublicationChange(null, "The publication does not exist.");
        }

        if (!PublicationPolicy.IsChangeable(S))
        {
            return new PublicationChange(View(), $"Publishing to {S.AccountId} has already started ({Api(S.Status)}).");
        }

        S.Content = content ?? S.Content;
        if (dueAt is { } due)
        {
            S.DueAt = due.ToUniversalTime();
            S.Status = PublicationStatus.Scheduled;
            S.DeferredUntil = null;
            S.DeferReason = null;
        }

        await SaveAsync();
        if (dueAt is not null)
        {
            await ArmAsync(S.DueAt);
        }

        return new PublicationChange(View(), null);
    }

    public async Task<PublicationChange> CancelAsync()
    {
        if (!Exists)
        {
            return new PublicationChange(null, "The publication does not exist.");
        }

        if (S.Status == PublicationStatus.Canceled)
        {
            return new PublicationChange(View(), null);
        }

        if (!PublicationPolicy.IsChangeable(S))
        {
            return new PublicationChange(View(), $"Publishing to {S.AccountId} has already started ({Api(S.Status)}).");
        }

        S.Status = PublicationStatus.Canceled;
        S.DeferredUntil = null;
        await SaveAsync();
        Disarm();
        await AfterAsync(LeaveRateLimitLinesAsync);
        return new PublicationChange(View(), null);
    }

    public async Task<PublicationChange> PublishNowAsync()
    {
        if (!Exists)
        {
            return new PublicationChange(null, "The publication does not exist.");
        }

        if (!PublicationPolicy.IsChangeable(S))
        {
            return new PublicationChange(View(), $"Publishing to {S.AccountId} has already started ({Api(S.Status)}).");
        }

        var now = time.GetUtcNow();
        S.DueAt = now;
        S.Status = PublicationStatus.Scheduled;
        S.DeferredUntil = null;
        S.DeferReason = null;
        await SaveAsync();
        await ArmAsync(now + Options.ReminderPeriod);
        await TickAsync();
        return new PublicationChange(View(), null);
    }

    public async Task DeleteAsync()
    {
        if (!Exists)
        {
            return;
        }

        if (!S.Status.IsFinal())
        {
            throw new InvalidOperationException("Only a finished or canceled publication can be deleted.");
        }

        Disarm();

        // The state lives in the calendar row: removing the row forgets the publication.
        await calendar.RemoveAsync(S.WorkspaceId, S.PostId, S.AccountId);
        S.Deleted = true;
        DeactivateOnIdle();
    }

    /// <summary>
    /// A per-publication reminder registered before due buckets drove publishing: ticks once more and is then dropped,
    /// its publication now woken by its due bucket.
    /// </summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName)
        {
            return;
        }

        await TickAsync();
        if (Exists && !S.Status.IsFinal() && PublicationPolicy.WakeAt(S) is { } next)
        {
            await ArmAsync(next);
        }

        if (await this.GetReminder(ReminderName) is { } legacy)
        {
            await this.UnregisterReminder(legacy);
        }
    }

    public async Task NudgeAsync(DateTimeOffset at)
    {
        // A scheduled publication starts its attempt ahead of its time (see SchedulingOptions.PrepareAhead).
        var due = TickAt(at) - time.GetUtcNow();
        if (due <= TimeSpan.Zero)
        {
            await TickAsync();
        }
        else
        {
            SetPreciseTimer(due);
        }
    }

    /// <summary>Runs a tick now (the sweeper's nudge), and makes sure its due bucket is armed in case it was lost.</summary>
    public async Task WakeAsync()
    {
        await TickAsync();
        if (Exists && !S.Status.IsFinal() && PublicationPolicy.WakeAt(S) is { } next)
        {
            armedBuckets.Forget(armedBuckets.BucketOf(S.PostId, S.AccountId, next));
            await ArmAsync(next);
        }
    }

    public async Task<PublishTicket?> BeginAttemptAsync(string attemptId, PublishingIdentity account)
    {
        var now = time.GetUtcNow();
        if (!Exists || !runner.IsRunning(Key, attemptId)
            || PublicationPolicy.OnTick(S, now, attemptRunsHere: false, leaseHolderGone: false, Options).Action != TickAction.Start)
        {
            return null; // Canceled, moved, or not this activation's attempt: nothing goes out.
        }

        // A publication prepared ahead of its time holds its lease from now, and its call waits for the time: the lease
        // and the check count from there.
        var sendAt = PublicationPolicy.SendAt(S);
        var from = sendAt > now ? sendAt : now;
        S.Late |= PublicationPolicy.IsLate(S, now, Options);
        S.Attempts++;
        S.ReconcileAttempts = 0;
        S.ReconcileAt = null;
        S.CurrentAttempt = new PublishAttempt
        {
            Id = attemptId,
            Number = S.Attempts,
            StartedAt = now,
            LeaseUntil = from + Options.PublishTimeout + Options.LeaseMargin,
            Silo = liveness.Self,
            CheckAt = from + Options.ReminderPeriod,
        };
        S.Status = PublicationStatus.Publishing;
        S.DeferredUntil = null;
        S.DeferReason = null;

        // The fence: this write fails on a stale ETag when another activation wrote first, and nothing is sent.
        await SaveAsync();
        return new PublishTicket(S.Content, new Dictionary<string, string>(S.Checkpoints), S.CurrentAttempt.LeaseUntil, sendAt > now ? sendAt : null);
    }

    public async Task CompleteAttemptAsync(string attemptId, AttemptReport report)
    {
        if (!await IsCurrentAsync(attemptId, report.Sent))
        {
            return;
        }

        if (!report.Sent)
        {
            S.Attempts++;
        }

        var transition = PublicationPolicy.OnAttempt(S, report, time.GetUtcNow(), Options, Jitter());
        if (!report.Outcome.Succeeded)
        {
            LogAttemptFailed(S.PostId, S.AccountId, S.Attempts, report.Outcome.ErrorCategory ?? ErrorCategory.Transient, report.Outcome.Message ?? "");
        }

        await ApplyAsync(transition, report.Outcome.ErrorCategory == ErrorCategory.RateLimited ? DeferCause.PlatformRateLimit : DeferCause.Retry);

        // Recorded first, reported after: a limit grain that cannot take the report must not lose a known outcome.
        var blockedUntil = report.PlatformBlockedUntil
                           ?? (report.Outcome.ErrorCategory == ErrorCategory.RateLimited ? report.Outcome.RetryAfter ?? time.GetUtcNow() + Options.RetryBaseDelay : null);
        if (blockedUntil is { } until)
        {
            await ReportBlockedAsync(until, report.Outcome.Message ?? "the platform reported its rate-limit budget spent", report.Outcome.LimitedPostType);
        }
    }

    public async Task CompleteReconcileAsync(string attemptId, ReconcileReport report)
    {
        if (!Exists || S.Status != PublicationStatus.Unconfirmed || S.CurrentAttempt?.Id != attemptId)
        {
            return;
        }

        await ApplyAsync(PublicationPolicy.OnReconcile(S, report, time.GetUtcNow(), Options), DeferCause.NotReceived);
    }

    public async Task SaveCheckpointAsync(string attemptId, string key, string value)
    {
        if (!Exists || S.CurrentAttempt?.Id != attemptId)
        {
            throw new InvalidOperationException("The attempt is no longer current; its checkpoint is refused.");
        }

        if (S.Checkpoints.Count >= MaxCheckpoints && !S.Checkpoints.ContainsKey(key))
        {
            throw new InvalidOperationException($"A publication keeps at most {MaxCheckpoints} checkpoints.");
        }

        S.Checkpoints[key] = value;
        await SaveAsync();
    }

    /// <summary>Drains the platform call running for this activation and records its outcome here, instead of leaving it to a reconciliation.</summary>
    public override async Task OnDeactivateAsync(DeactivationReason reason, CancellationToken cancellationToken)
    {
        if (state is null || !Exists || S.Status != PublicationStatus.Publishing || S.CurrentAttempt is not { } attempt)
        {
            return;
        }

        try
        {
            if (runner.TryAbandon(Key, attempt.Id))
            {
                // Prepared ahead of its time and not sent: it goes back to waiting for its time (and gives its permit back),
                // instead of leaving a lease that would have to be reconciled with the platform.
                S.Status = PublicationStatus.Scheduled;
                S.Attempts = Math.Max(0, S.Attempts - 1);
                await SaveAsync();
                await AfterAsync(ReturnPermitsAsync);
                return;
            }

            var report = await runner.DrainAsync(Key, attempt.Id, Options.DrainTimeout).WaitAsync(cancellationToken);
            if (report is not null)
            {
                await CompleteAttemptAsync(attempt.Id, report);
            }
        }
        catch (Exception ex)
        {
            LogDrainFailed(ex, Key);
        }
    }

    /// <summary>One tick: the policy decides from the state, this performs it. Never calls a platform itself.</summary>
    private async Task TickAsync()
    {
        if (!state.RecordExists)
        {
            return;
        }

        var now = time.GetUtcNow();
        var holder = S.CurrentAttempt?.Silo ?? "";
        var holderGone = holder == liveness.Self || liveness.IsGone(holder);
        var decision = PublicationPolicy.OnTick(S, now, runner.IsRunning(Key), holderGone, Options);
        switch (decision.Action)
        {
            case TickAction.Disarm:
                Disarm();
                break;

            case TickAction.Wait when S.Status == PublicationStatus.Publishing && S.CurrentAttempt is { CheckAt: { } check } attempt && check <= now:
                // The lease runs and its silo is there: look again a reminder period later (or at the lease's end).
                attempt.CheckAt = now + Options.ReminderPeriod < attempt.LeaseUntil ? now + Options.ReminderPeriod : attempt.LeaseUntil;
                await SaveAsync();
                await ArmAsync(attempt.CheckAt.Value);
                break;

            case TickAction.Wait when decision.At is { } at && at - now < PreciseHorizon:
                SetPreciseTimer(at - now);
                break;

            case TickAction.Start:
                var due = S.Status == PublicationStatus.Deferred ? S.DeferredUntil ?? S.DueAt : S.DueAt;
                PostNextTelemetry.DueLag.Record(Math.Max(0, (now - due).TotalSeconds), PostNextTelemetry.Platform(S.Platform));
                Activity.Current?.SetTag(PostNextTelemetry.PostIdAttribute, S.PostId)
                    .SetTag(PostNextTelemetry.PublicationIdAttribute, Key)
                    .SetTag(PostNextTelemetry.AccountIdAttribute, S.AccountId);
                await StartAsync();
                break;

            case TickAction.Unconfirm:
                LogLeaseVoid(S.PostId, S.AccountId, decision.Reason ?? "");
                await ApplyAsync(new Transition.Unconfirm(decision.At ?? now, decision.Reason ?? "The outcome of the attempt is unknown."));
                break;

            case TickAction.Reconcile:
                runner.TryStartReconcile(Key, S.CurrentAttempt?.Id ?? "", S.AccountId, S.Platform, S.Content, new Dictionary<string, string>(S.Checkpoints));
                break;
        }
    }

    /// <summary>
    /// Asks the account's, the platform app's and the post type's limit grains for a permit (before anything is sent,
    /// e.g. a reel's upload), then queues the attempt; without a permit the publication is deferred to its reserved time.
    /// </summary>
    private async Task StartAsync()
    {
        var sendAt = PublicationPolicy.SendAt(S);
        var permit = Permit.Grant;
        var granted = new List<IRateLimitGrain>();
        foreach (var scope in LimitScopes())
        {
            permit = await scope.AcquireAsync(Key, S.DueAt, sendAt);
            if (!permit.Granted)
            {
                // One scope refused: the permits the others granted go back.
                await Task.WhenAll(granted.Select(g => g.ReturnPermitAsync(Key)));
                break;
            }

            granted.Add(scope);
        }

        if (!permit.Granted)
        {
            await ApplyAsync(new Transition.Defer(permit.RetryAt ?? time.GetUtcNow() + Options.RetryBaseDelay, permit.Reason ?? "Waiting for a rate limit to clear."), DeferCause.RateLimit);
            return;
        }

        runner.TryStartPublish(Key, Guid.NewGuid().ToString("N"), S.AccountId, S.Platform, prepared: sendAt > time.GetUtcNow());
    }

    /// <summary>Whether a report belongs to the current attempt; a stale activation reloads once before it decides.</summary>
    private async Task<bool> IsCurrentAsync(string attemptId, bool sent)
    {
        bool Current() => Exists && (sent
            ? S.CurrentAttempt?.Id == attemptId && S.Status is PublicationStatus.Publishing or PublicationStatus.Unconfirmed
            : S.Status.IsPending() && runner.IsRunning(Key, attemptId));

        if (Current())
        {
            return true;
        }

        if (sent && state.RecordExists && S.CurrentAttempt?.Id != attemptId)
        {
            await state.ReadStateAsync();
            return Current();
        }

        return false;
    }

    /// <summary>Persists a transition, then performs its side effects (reminder, webhook, metrics, account), each best effort. <paramref name="cause"/> names why a deferral happens (a metric tag).</summary>
    private async Task ApplyAsync(Transition transition, DeferCause cause = DeferCause.Retry)
    {
        transition = PublicationPolicy.Settle(S, transition);
        var now = time.GetUtcNow();
        switch (transition)
        {
            case Transition.Publish publish:
                S.Status = PublicationStatus.Published;
                S.ExternalId = publish.Outcome.ExternalId;
                S.Permalink = publish.Outcome.Permalink;
                S.PublishedAt = publish.Outcome.PublishedAt ?? now;
                S.Error = null;
                S.ReconcileAt = null;
                await EmitFinalThenSaveAsync();
                RecordCompleted("published", null);
                PostNextTelemetry.PublishLateness.Record(Math.Max(0, (S.PublishedAt.Value - S.DueAt).TotalSeconds), PostNextTelemetry.Platform(S.Platform));

                // The same write set the first metrics reading in the row; its due bucket wakes the tracking then.
                await AfterAsync(() => armedBuckets.EnsureArmedAsync(S.PostId, S.AccountId, S.PublishedAt.Value + FirstReading));
                Disarm();
                break;

            case Transition.Defer defer:
                S.Status = PublicationStatus.Deferred;
                S.DeferredUntil = defer.Until;
                S.DeferReason = defer.Reason;
                S.ReconcileAt = null;
                await SaveAsync();
                RecordDeferral(cause);
                await AfterAsync(EmitWebhookAsync);
                await AfterAsync(() => ArmAsync(defer.Until));
                break;

            case Transition.Fail fail:
                if (fail.ReconnectAccount)
                {
                    await AfterAsync(() => GrainFactory.GetGrain<IAccountGrain>(S.AccountId).MarkReconnectRequiredAsync($"The platform refused the token after a refresh: {fail.Message}"));
                }

                S.Status = PublicationStatus.Failed;
                S.Error = new PublicationError(fail.Category, fail.Message);
                S.ReconcileAt = null;
                await EmitFinalThenSaveAsync();
                RecordCompleted("failed", fail.Category);
                Disarm();
                await AfterAsync(LeaveRateLimitLinesAsync);
                break;

            case Transition.Unconfirm unconfirm:
                S.Status = PublicationStatus.Unconfirmed;
                S.Error = new PublicationError(ErrorCategory.UnknownOutcome, unconfirm.Reason);
                S.ReconcileAt = unconfirm.ReconcileAt;
                await SaveAsync();
                await AfterAsync(() => ArmAsync(unconfirm.ReconcileAt));
                break;

            case Transition.AskAgain again:
                S.ReconcileAttempts++;
                S.ReconcileAt = again.At;
                await SaveAsync();
                await AfterAsync(() => ArmAsync(again.At));
                break;

            case Transition.RefreshToken refresh:
                S.AuthRefreshTried = true;
                AccountView? account = null;
                try
                {
                    account = await GrainFactory.GetGrain<IAccountGrain>(S.AccountId).RefreshTokenAsync(force: true);
                }
                catch (Exception ex)
                {
                    LogSideEffectFailed(ex, Key);
                }

                await ApplyAsync(PublicationPolicy.AfterRefresh(account?.Status == AccountStatus.Connected, refresh.Message, now), DeferCause.TokenRefreshed);
                break;
        }
    }

    private void RecordCompleted(string outcome, ErrorCategory? category)
    {
        var tags = new TagList { PostNextTelemetry.Platform(S.Platform), PostNextTelemetry.Outcome(outcome) };
        if (category is { } error)
        {
            tags.Add(PostNextTelemetry.ErrorTypeTag, error.TagValue());
        }

        PostNextTelemetry.PublicationsCompleted.Add(1, tags);
    }

    /// <summary>Counts a deferral by its cause; those that lead to a new attempt after a failed one are retries too.</summary>
    private void RecordDeferral(DeferCause cause)
    {
        PostNextTelemetry.Deferrals.Add(1, PostNextTelemetry.Platform(S.Platform), PostNextTelemetry.Reason(cause.TagValue()));
        ErrorCategory? retryAfter = cause switch
        {
            DeferCause.Retry => ErrorCategory.Transient,
            DeferCause.NotReceived => ErrorCategory.UnknownOutcome,
            DeferCause.TokenRefreshed => ErrorCategory.Auth,
            _ => null,
        };
        if (retryAfter is { } error)
        {
            PostNextTelemetry.Retries.Add(1, PostNextTelemetry.Platform(S.Platform), new KeyValuePair<string, object?>(PostNextTelemetry.ErrorTypeTag, error.TagValue()));
        }
    }

    /// <summary>A side effect after the state is durable: its failure is logged, never allowed to undo or hide the transition.</summary>
    private async Task AfterAsync(Func<Task> effect)
    {
        try
        {
            await effect();
        }
        catch (Exception ex)
        {
            LogSideEffectFailed(ex, Key);
        }
    }

    /// <summary>A publication that will not go out leaves the rate-limit lines it waits in (a no-op when it waits in none).</summary>
    private Task LeaveRateLimitLinesAsync() => Task.WhenAll(LimitScopes().Select(scope => scope.ReleaseAsync(Key)));

    /// <summary>
    /// The limit grains a publication takes a permit from, in order: its account's; the platform app's, only when the
    /// app has windows (without them it neither counts nor holds a block: no call); its kind of post's, when configured.
    /// </summary>
    private IEnumerable<IRateLimitGrain> LimitScopes()
    {
        yield return GrainFactory.GetGrain<IRateLimitGrain>(RateLimitScopes.Account(S.Platform, S.AccountId));
        if (limits.CurrentValue.For(S.Platform).LimitsApp)
        {
            yield return GrainFactory.GetGrain<IRateLimitGrain>(RateLimitScopes.App(S.Platform));
        }

        if (PostTypeScope() is { } postType)
        {
            yield return postType;
        }
    }

    /// <summary>The limit of this publication's kind of post on its account (a Facebook Page's reels), when one is configured.</summary>
    private IRateLimitGrain? PostTypeScope() =>
        PostTypes.Of(S.Content.Options) is { } type && limits.CurrentValue.For($"{S.Platform}.{type}").LimitsAccount
            ? GrainFactory.GetGrain<IRateLimitGrain>(RateLimitScopes.PostType(S.Platform, type, S.AccountId))
            : null;

    /// <summary>Gives back the permits an attempt that sent nothing was granted.</summary>
    private Task ReturnPermitsAsync() => Task.WhenAll(LimitScopes().Select(scope => scope.ReturnPermitAsync(Key)));

    /// <summary>Records a limit the platform reported: on the post type's scope when it holds for that kind of post only.</summary>
    private async Task ReportBlockedAsync(DateTimeOffset until, string reason, string? limitedPostType) =>
        await AfterAsync(() => (limitedPostType is not null ? PostTypeScope() ?? LimitScope() : LimitScope()).ReportBlockedAsync(until, reason));

    /// <summary>Where a platform-reported limit is recorded: the app scope for platforms whose quota is per app, else the account.</summary>
    private IRateLimitGrain LimitScope()
    {
        var windows = limits.CurrentValue.For(S.Platform);
        var appScoped = windows.LimitsApp && !windows.LimitsAccount;
        return GrainFactory.GetGrain<IRateLimitGrain>(appScoped ? RateLimitScopes.App(S.Platform) : RateLimitScopes.Account(S.Platform, S.AccountId));
    }

    /// <summary>post.published / post.deferred / post.failed to the workspace's webhooks (its id is stable per revision; never throws).</summary>
    private Task EmitWebhookAsync() =>
        GrainFactory.EmitWebhookAsync(S.WorkspaceId, WebhookEvents.ForPublication(S.WorkspaceId, View(), S.Revision, time.GetUtcNow()), logger);

    /// <summary>
    /// A final outcome's event is stored before the outcome itself (its id is stable, so a retry adds nothing): a
    /// crash between the two re-runs the transition and emits again, never loses the event. A failure to store it
    /// fails the transition, which is retried; the in-memory state is restored from storage first.
    /// </summary>
    private async Task EmitFinalThenSaveAsync()
    {
        try
        {
            await GrainFactory.EmitWebhookOrThrowAsync(S.WorkspaceId, WebhookEvents.ForPublication(S.WorkspaceId, View(), S.Revision + 1, time.GetUtcNow()));
        }
        catch
        {
            await state.ReloadOrDeactivateAsync(this, logger);
            throw;
        }

        await SaveAsync();
    }

    private static TimeSpan Jitter() => TimeSpan.FromMilliseconds(Random.Shared.Next(0, 2_000));

    /// <summary>Writes the state and its calendar row in one statement (a failed write reloads the stored state, so memory never runs ahead of storage).</summary>
    private async Task SaveAsync()
    {
        S.Revision++;
        await state.WriteOrReloadAsync(this, logger);
    }

    /// <summary>
    /// Makes sure a tick comes at <paramref name="at"/>: the due bucket of that time (one reminder per bucket and shard)
    /// is the durable wake-up; a tick due within seconds also gets a grain timer, for sub-second precision while this
    /// activation lives (a double tick is harmless).
    /// </summary>
    private async Task ArmAsync(DateTimeOffset at)
    {
        var now = time.GetUtcNow();
        var due = TickAt(at) - now;
        _precise?.Dispose();
        _precise = null;
        if (due < PreciseHorizon)
        {
            SetPreciseTimer(due);
        }

        await armedBuckets.EnsureArmedAsync(S.PostId, S.AccountId, at);
    }

    /// <summary>
    /// When the tick for <paramref name="at"/> comes: a scheduled publication's due time is preceded by its preparation.
    /// (The due index stores microseconds, so a time read back from it is compared to the microsecond.)
    /// </summary>
    private DateTimeOffset TickAt(DateTimeOffset at) =>
        Exists && S.Status == PublicationStatus.Scheduled && (at - S.DueAt).Duration() < TimeSpan.FromMilliseconds(1) ? PublicationPolicy.StartAt(S, Options) : at;

    private void SetPreciseTimer(TimeSpan due)
    {
        _precise?.Dispose();
        _precise = this.RegisterGrainTimer(
            _ => TickAsync(),
            new GrainTimerCreationOptions { DueTime = due < TimeSpan.Zero ? TimeSpan.Zero : due, Period = Timeout.InfiniteTimeSpan, KeepAlive = true });
    }

    private void Disarm()
    {
        _precise?.Dispose();
        _precise = null;
    }

    private PublicationView View() => new(
        S.PostId, S.AccountId, S.Platform, S.Status, S.DueAt, S.DeferredUntil, S.DeferReason, S.ExternalId, S.Permalink,
        S.PublishedAt, S.Error, S.Late, S.Attempts, S.Content, S.TimeZone,
        ChainCheckpoints.View(S.Platform, S.Content, S.Checkpoints, S.Status, S.ExternalId, S.Permalink));

    private static string Api(PublicationStatus status) => status.ToString().ToLowerInvariant();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publication {PostId} to {AccountId}: attempt {Attempt} failed ({Category}): {Detail}")]
    private partial void LogAttemptFailed(string postId, string accountId, int attempt, ErrorCategory category, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publication {PostId} to {AccountId}: {Reason} It will be reconciled with the platform.")]
    private partial void LogLeaseVoid(string postId, string accountId, string reason);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publication {PublicationKey}: a side effect after a recorded transition failed")]
    private partial void LogSideEffectFailed(Exception exception, string publicationKey);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publication {PublicationKey}: draining the running call on deactivation failed; its lease takes over")]
    private partial void LogDrainFailed(Exception exception, string publicationKey);
}
