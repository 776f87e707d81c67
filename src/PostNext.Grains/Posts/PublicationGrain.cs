using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PostNext.Abstractions;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Analytics;
using PostNext.Abstractions.Calendar;
using PostNext.Abstractions.Posts;
using PostNext.Abstractions.Limits;
using PostNext.Grains.Limits;
using PostNext.Grains.Scheduling;
using PostNext.Grains.Webhooks;
using PostNext.Abstractions.Webhooks;
using PostNext.Platforms;
using PostNext.Platforms.Common;
using PostNext.Storage.Calendar;

namespace PostNext.Grains.Posts;

/// <summary>
/// Publishes one post to one account, exactly once. The reminder fires the attempt at its time and, with its period,
/// is the durable retry if a silo dies mid-publish. Each attempt is persisted before the platform is called; an
/// attempt whose outcome is unknown is reconciled by asking the platform, never blindly re-sent.
/// </summary>
public sealed partial class PublicationGrain(
    [PersistentState("publication", StorageNames.Grains)] IPersistentState<PublicationState> state,
    PlatformConnectors connectors,
    ICalendarStore calendar,
    PublishThrottle throttle,
    IOptionsMonitor<RateLimitOptions> limits,
    IOptions<SchedulingOptions> options,
    TimeProvider time,
    ILogger<PublicationGrain> logger) : Grain, IPublicationGrain, IRemindable
{
    public const string ReminderName = "publish";

    private const int MaxCheckpoints = 32;

    private static readonly TimeSpan MinimumDue = TimeSpan.FromSeconds(1);

    /// <summary>Ticks due sooner than this also get an in-memory timer.</summary>
    private static readonly TimeSpan PreciseHorizon = TimeSpan.FromSeconds(5);

    private IGrainTimer? _precise;

    /// <summary>The platform call running in this activation, if any; a tick that finds one does nothing.</summary>
    private Task? _inflight;

    private SchedulingOptions Options => options.Value;

    private PublicationState S => state.State;

    private bool Exists => state.RecordExists && !S.Deleted;

    public async Task<PublicationView> ScheduleAsync(SchedulePublication command)
    {
        if (Exists && !S.Status.IsPending())
        {
            return View();
        }

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
            Revision = state.RecordExists ? S.Revision + 1 : 1,
        };
        await SaveAsync();
        await ArmReminderAsync(S.DueAt);
        return View();
    }

    public Task<PublicationView?> GetAsync() => Task.FromResult(Exists ? View() : null);

    public async Task<PublicationChange> EditAsync(PostContent? content, DateTimeOffset? dueAt)
    {
        if (!Exists)
        {
            return new PublicationChange(null, "The publication does not exist.");
        }

        if (!S.Status.IsPending())
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
            await ArmReminderAsync(S.DueAt);
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

        if (!S.Status.IsPending())
        {
            return new PublicationChange(View(), $"Publishing to {S.AccountId} has already started ({Api(S.Status)}).");
        }

        S.Status = PublicationStatus.Canceled;
        S.DeferredUntil = null;
        await SaveAsync();
        await DisarmReminderAsync();
        return new PublicationChange(View(), null);
    }

    public async Task<PublicationChange> PublishNowAsync()
    {
        if (!Exists)
        {
            return new PublicationChange(null, "The publication does not exist.");
        }

        if (!S.Status.IsPending())
        {
            return new PublicationChange(View(), $"Publishing to {S.AccountId} has already started ({Api(S.Status)}).");
        }

        var now = time.GetUtcNow();
        S.DueAt = now;
        S.DeferredUntil = null;
        S.DeferReason = null;
        await ArmReminderAsync(now + Options.ReminderPeriod);
        await StartAttemptAsync(now);
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

        await DisarmReminderAsync();
        await calendar.RemoveAsync(S.WorkspaceId, S.PostId, S.AccountId);
        S.Deleted = true;
        S.Revision++;
        await state.WriteStateAsync();
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName)
        {
            return;
        }

        if (!Exists || S.Status.IsFinal())
        {
            await DisarmReminderAsync();
            return;
        }

        if (_inflight is not null)
        {
            return;
        }

        var now = time.GetUtcNow();
        switch (S.Status)
        {
            case PublicationStatus.Scheduled when now >= S.DueAt:
            case PublicationStatus.Deferred when now >= (S.DeferredUntil ?? S.DueAt):
                await StartAttemptAsync(now);
                break;

            case PublicationStatus.Publishing:
                // An attempt was persisted but nothing in this activation runs it: the silo that ran it died.
                await MarkUnconfirmedAsync("The silo running the attempt stopped before its outcome was recorded.");
                await ReconcileAsync();
                break;

            case PublicationStatus.Unconfirmed:
                await ReconcileAsync();
                break;
        }
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
        await state.WriteStateAsync();
    }

    public async Task CompleteAttemptAsync(string attemptId, PublishOutcome outcome)
    {
        if (!Exists || S.CurrentAttempt?.Id != attemptId || S.Status is not (PublicationStatus.Publishing or PublicationStatus.Unconfirmed))
        {
            return;
        }

        var now = time.GetUtcNow();
        if (outcome.Succeeded)
        {
            await MarkPublishedAsync(outcome);
            return;
        }

        var category = outcome.ErrorCategory ?? ErrorCategory.Transient;
        var message = outcome.Message ?? category.ToString();
        LogAttemptFailed(S.PostId, S.AccountId, S.Attempts, category, message);
        switch (category)
        {
            case ErrorCategory.UnknownOutcome:
                await MarkUnconfirmedAsync(message);
                await ArmReminderAsync(now + Options.ReconcileDelay);
                break;

            case ErrorCategory.Transient when S.Attempts < Options.MaxAttempts && now - S.DueAt < Options.RetryBudget:
                await DeferAsync(now + RetryDelay(S.Attempts), $"Retrying after a transient error (attempt {S.Attempts} of {Options.MaxAttempts}): {message}");
                break;

            case ErrorCategory.RateLimited:
                var until = outcome.RetryAfter ?? now + Options.RetryBaseDelay;
                await LimitScope().ReportBlockedAsync(until, message);
                await DeferAsync(until, $"Rate limited by the platform: {message}");
                break;

            case ErrorCategory.Auth when S.AuthRefreshTried:
                await GrainFactory.GetGrain<IAccountGrain>(S.AccountId).MarkReconnectRequiredAsync($"The platform refused the token after a refresh: {message}");
                await FailAsync(ErrorCategory.Auth, $"{message} Reconnect the account.");
                break;

            case ErrorCategory.Auth when !S.AuthRefreshTried:
                S.AuthRefreshTried = true;
                var account = await GrainFactory.GetGrain<IAccountGrain>(S.AccountId).RefreshTokenAsync(force: true);
                if (account?.Status == AccountStatus.Connected)
                {
                    await DeferAsync(now + MinimumDue, $"Retrying once with a refreshed token: {message}");
                }
                else
                {
                    await FailAsync(ErrorCategory.Auth, $"{message} The token could not be refreshed; reconnect the account.");
                }

                break;

            default:
                await FailAsync(category, message);
                break;
        }
    }

    /// <summary>Persists the attempt, then calls the platform in the background; the outcome comes back through <see cref="CompleteAttemptAsync"/>.</summary>
    private async Task StartAttemptAsync(DateTimeOffset now)
    {
        if (!await AcquirePermitsAsync())
        {
            return;
        }

        var attempt = new PublishAttempt { Id = Guid.NewGuid().ToString("N"), Number = S.Attempts + 1, StartedAt = now };
        if (S.Attempts == 0 && now - S.DueAt > Options.LateAfter)
        {
            S.Late = true;
        }

        S.Attempts = attempt.Number;
        S.CurrentAttempt = attempt;
        S.Status = PublicationStatus.Publishing;
        S.DeferredUntil = null;
        S.DeferReason = null;
        await SaveAsync();

        var request = await BuildRequestAsync(attempt.Id);
        if (request is null)
        {
            await FailAsync(ErrorCategory.Auth, "The account was removed or cannot publish; reconnect it.");
            return;
        }

        var self = this.AsReference<IPublicationGrain>();
        _inflight = RunAttemptAsync(self, request.Value);
    }

    private async Task RunAttemptAsync(IPublicationGrain self, (IPlatformConnector Connector, PublishRequest Request) call)
    {
        try
        {
            // Bounded release: after a restart every due reminder fires at once; platform calls go out at a bounded rate.
            using var lease = await throttle.AcquireAsync();
            var observed = RateLimitObserver.Begin();
            var outcome = await CallPlatformAsync(token => call.Connector.PublishAsync(call.Request, token), call.Request);
            if (observed.BlockedUntil is { } until && until > time.GetUtcNow())
            {
                // The platform said its budget is spent (even on a success): no more calls for this scope until its reset.
                await LimitScope().ReportBlockedAsync(until, "the platform reported its rate-limit budget spent");
            }

            await self.CompleteAttemptAsync(call.Request.AttemptId, outcome);
        }
        catch (Exception ex)
        {
            // The outcome stays "publishing" in storage; the next reminder tick reconciles it.
            LogCompletionLost(ex, S.PostId, S.AccountId);
        }
        finally
        {
            _inflight = null;
        }
    }

    /// <summary>Calls the platform with the configured timeout; a timeout or crash is an unknown outcome, never a failure.</summary>
    private async Task<PublishOutcome> CallPlatformAsync(Func<CancellationToken, Task<PublishOutcome>> call, PublishRequest request)
    {
        // The connector itself is cancelled at the timeout, so a slow upload cannot send its create after we gave up on it.
        using var timeout = new CancellationTokenSource(Options.PublishTimeout, time);
        try
        {
            return await call(timeout.Token).WaitAsync(Options.PublishTimeout + TimeSpan.FromSeconds(5), time);
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
            LogConnectorCrashed(ex, request.PublicationKey);
            return PublishOutcome.Failure(ErrorCategory.UnknownOutcome, "The connector failed unexpectedly; the outcome is being checked.");
        }
    }

    /// <summary>Asks the platform whether the unconfirmed attempt took effect: found → published; certainly not → a new attempt.</summary>
    private async Task ReconcileAsync()
    {
        var request = await BuildRequestAsync(S.CurrentAttempt?.Id ?? Guid.NewGuid().ToString("N"));
        if (request is null)
        {
            await FailAsync(ErrorCategory.Auth, "The account was removed or cannot publish; the outcome of the last attempt is unknown.");
            return;
        }

        ReconcileResult result;
        try
        {
            result = await request.Value.Connector.FindPublicationAsync(request.Value.Request, CancellationToken.None).WaitAsync(Options.PublishTimeout, time);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            result = ReconcileResult.Unknown(ex.Message);
        }

        var now = time.GetUtcNow();
        switch (result.State)
        {
            case ReconcileState.Found:
                await MarkPublishedAsync(result.Publication!);
                break;

            case ReconcileState.NotFound when S.Attempts < Options.MaxAttempts:
                await StartAttemptAsync(now);
                break;

            case ReconcileState.NotFound:
                await FailAsync(ErrorCategory.Transient, $"The platform never received the post after {S.Attempts} attempts.");
                break;

            default:
                S.ReconcileAttempts++;
                if (S.ReconcileAttempts >= Options.MaxReconcileAttempts)
                {
                    await FailAsync(ErrorCategory.UnknownOutcome,
                        $"Could not confirm with the platform whether the post was published ({result.Detail}); check the account before posting again.");
                }
                else
                {
                    await SaveAsync();
                    await ArmReminderAsync(now + Options.ReconcileDelay);
                }

                break;
        }
    }

    /// <summary>Asks the account's and the platform app's limit grains for a permit; without one the publication is deferred to its reserved time.</summary>
    private async Task<bool> AcquirePermitsAsync()
    {
        var key = this.GetPrimaryKeyString();
        var account = GrainFactory.GetGrain<IRateLimitGrain>(RateLimitScopes.Account(S.Platform, S.AccountId));
        var permit = await account.AcquireAsync(key, S.DueAt);
        if (permit.Granted)
        {
            var app = GrainFactory.GetGrain<IRateLimitGrain>(RateLimitScopes.App(S.Platform));
            permit = await app.AcquireAsync(key, S.DueAt);
            if (!permit.Granted)
            {
                await account.ReleaseAsync(key);
            }
        }

        if (permit.Granted)
        {
            return true;
        }

        await DeferAsync(permit.RetryAt ?? time.GetUtcNow() + Options.RetryBaseDelay, permit.Reason ?? "Waiting for a rate limit to clear.");
        return false;
    }

    /// <summary>Where a platform-reported limit is recorded: the app scope for platforms whose quota is per app, else the account.</summary>
    private IRateLimitGrain LimitScope()
    {
        var windows = limits.CurrentValue.For(S.Platform);
        var appScoped = windows.App.Count > 0 && windows.Account.Count == 0;
        return GrainFactory.GetGrain<IRateLimitGrain>(appScoped ? RateLimitScopes.App(S.Platform) : RateLimitScopes.Account(S.Platform, S.AccountId));
    }

    /// <summary>Runs what a reminder tick would run now (the sweeper wakes publications whose reminder never fired).</summary>
    public Task WakeAsync() => ReceiveReminder(ReminderName, default);

    private async Task<(IPlatformConnector Connector, PublishRequest Request)?> BuildRequestAsync(string attemptId)
    {
        var identity = await GrainFactory.GetGrain<IAccountGrain>(S.AccountId).GetPublishingIdentityAsync();
        var connector = connectors.Find(S.Platform);
        if (identity is null || identity.Status != AccountStatus.Connected || connector is null)
        {
            return null;
        }

        var journal = new GrainJournal(this.AsReference<IPublicationGrain>(), attemptId);
        return (connector, new PublishRequest(this.GetPrimaryKeyString(), attemptId, identity, S.Content, new Dictionary<string, string>(S.Checkpoints), journal));
    }

    private async Task MarkPublishedAsync(PublishOutcome outcome)
    {
        S.Status = PublicationStatus.Published;
        S.ExternalId = outcome.ExternalId;
        S.Permalink = outcome.Permalink;
        S.PublishedAt = outcome.PublishedAt ?? time.GetUtcNow();
        S.Error = null;
        await SaveAsync();
        await EmitWebhookAsync();
        await DisarmReminderAsync();
        await GrainFactory.GetGrain<IPostMetricsGrain>(this.GetPrimaryKeyString()).StartAsync(new TrackPost(S.WorkspaceId, S.PostId, S.AccountId, S.Platform, S.ExternalId ?? "", S.PublishedAt.Value, S.Content));
    }

    private async Task MarkUnconfirmedAsync(string reason)
    {
        S.Status = PublicationStatus.Unconfirmed;
        S.Error = new PublicationError(ErrorCategory.UnknownOutcome, reason);
        await SaveAsync();
    }

    private async Task DeferAsync(DateTimeOffset until, string reason)
    {
        S.Status = PublicationStatus.Deferred;
        S.DeferredUntil = until;
        S.DeferReason = reason;
        await SaveAsync();
        await EmitWebhookAsync();
        await ArmReminderAsync(until);
    }

    private async Task FailAsync(ErrorCategory category, string message)
    {
        S.Status = PublicationStatus.Failed;
        S.Error = new PublicationError(category, message);
        await SaveAsync();
        await EmitWebhookAsync();
        await DisarmReminderAsync();
    }

    /// <summary>post.published / post.deferred / post.failed to the workspace's webhooks (its id is stable per revision; never throws).</summary>
    private Task EmitWebhookAsync() =>
        GrainFactory.EmitWebhookAsync(S.WorkspaceId, WebhookEvents.ForPublication(S.WorkspaceId, View(), S.Revision, time.GetUtcNow()), logger);

    private TimeSpan RetryDelay(int attempt)
    {
        var exponential = Options.RetryBaseDelay * Math.Pow(2, Math.Max(0, attempt - 1));
        return exponential + exponential * (Random.Shared.NextDouble() * 0.2);
    }

    /// <summary>Writes the state and then the calendar entry (the entry carries the revision, so order across silos is safe).</summary>
    private async Task SaveAsync()
    {
        S.Revision++;
        await state.WriteStateAsync();
        await calendar.UpsertAsync(new CalendarEntry(
            S.WorkspaceId, S.PostId, S.AccountId, S.Platform, S.Status, S.DueAt,
            S.Status == PublicationStatus.Deferred && S.DeferredUntil is { } until ? until : S.DueAt,
            S.PublishedAt, S.Revision));
    }

    /// <summary>
    /// Registers (or moves) the reminder to tick at <paramref name="at"/>. A first tick already in the past is skipped
    /// by Orleans (it waits a whole period), so an overdue tick is placed a moment ahead instead; a tick due within
    /// seconds also gets a grain timer, for sub-second precision while this activation lives (the reminder stays the
    /// durable backup, and a double tick is harmless).
    /// </summary>
    private async Task ArmReminderAsync(DateTimeOffset at)
    {
        var due = at - time.GetUtcNow();
        await this.RegisterOrUpdateReminder(ReminderName, due < MinimumDue ? MinimumDue : due, Options.ReminderPeriod);
        _precise?.Dispose();
        _precise = due < PreciseHorizon
            ? this.RegisterGrainTimer(
                _ => ReceiveReminder(ReminderName, default),
                new GrainTimerCreationOptions { DueTime = due < TimeSpan.Zero ? TimeSpan.Zero : due, Period = Timeout.InfiniteTimeSpan, KeepAlive = true })
            : null;
    }

    private async Task DisarmReminderAsync()
    {
        _precise?.Dispose();
        _precise = null;
        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }

    /// <summary>Saves checkpoints through a grain call, so the write happens in a request turn of this grain.</summary>
    private sealed class GrainJournal(IPublicationGrain self, string attemptId) : IPublishJournal
    {
        public Task SaveAsync(string key, string value) => self.SaveCheckpointAsync(attemptId, key, value);
    }

    private PublicationView View() => new(
        S.PostId, S.AccountId, S.Platform, S.Status, S.DueAt, S.DeferredUntil, S.DeferReason, S.ExternalId, S.Permalink,
        S.PublishedAt, S.Error, S.Late, S.Attempts, S.Content, S.TimeZone);

    private static string Api(PublicationStatus status) => status.ToString().ToLowerInvariant();

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publication {PostId} to {AccountId}: attempt {Attempt} failed ({Category}): {Detail}")]
    private partial void LogAttemptFailed(string postId, string accountId, int attempt, ErrorCategory category, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Publication {PostId} to {AccountId}: the outcome could not be recorded; it will be reconciled")]
    private partial void LogCompletionLost(Exception exception, string postId, string accountId);

    [LoggerMessage(Level = LogLevel.Error, Message = "Connector failed unexpectedly for {PublicationKey}")]
    private partial void LogConnectorCrashed(Exception exception, string publicationKey);
}
