using PostNext.Abstractions.Posts;
using PostNext.Grains.Scheduling;

namespace PostNext.Grains.Posts.Publishing;

/// <summary>What a tick should do with a publication.</summary>
public enum TickAction
{
    /// <summary>Nothing now: an attempt or a reconciliation of this publication is running on this silo.</summary>
    None,

    /// <summary>The publication is final (or gone): drop its reminder.</summary>
    Disarm,

    /// <summary>Not yet: tick again at <see cref="TickDecision.At"/>.</summary>
    Wait,

    /// <summary>Due: ask for permits and queue an attempt.</summary>
    Start,

    /// <summary>The attempt's lease is over (or its silo is gone) with no outcome: unconfirmed, reconciled at <see cref="TickDecision.At"/>.</summary>
    Unconfirm,

    /// <summary>Ask the platform whether the unconfirmed attempt took effect.</summary>
    Reconcile,
}

public sealed record TickDecision(TickAction Action, DateTimeOffset? At = null, string? Reason = null);

/// <summary>Where an outcome or a reconciliation leads.</summary>
public abstract record Transition
{
    /// <summary>The platform has the post.</summary>
    public sealed record Publish(PublishOutcome Outcome) : Transition;

    /// <summary>Wait until <paramref name="Until"/>, then try again (a retry, a rate limit, a reconciliation that found nothing).</summary>
    public sealed record Defer(DateTimeOffset Until, string Reason) : Transition;

    /// <summary>Final failure; <paramref name="ReconnectAccount"/> marks the account reconnect_required first.</summary>
    public sealed record Fail(ErrorCategory Category, string Message, bool ReconnectAccount = false) : Transition;

    /// <summary>The outcome is unknown: reconcile at <paramref name="ReconcileAt"/>, never re-send blindly.</summary>
    public sealed record Unconfirm(DateTimeOffset ReconcileAt, string Reason) : Transition;

    /// <summary>The platform refused the token: refresh it once, then retry or fail.</summary>
    public sealed record RefreshToken(string Message) : Transition;

    /// <summary>Reconciliation could not tell: ask again at <paramref name="At"/>.</summary>
    public sealed record AskAgain(DateTimeOffset At) : Transition;
}

/// <summary>
/// The publication's rules as a pure function of its state: what a tick does, and where an attempt's outcome or a
/// reconciliation leads. No I/O: <see cref="PublicationGrain"/> persists and performs what this decides.
/// </summary>
public static class PublicationPolicy
{
    /// <summary>What a tick does. <paramref name="attemptRunsHere"/>: this silo runs the current attempt or reconciliation; <paramref name="leaseHolderGone"/>: the silo holding the lease is certainly not running it any more.</summary>
    public static TickDecision OnTick(PublicationState s, DateTimeOffset now, bool attemptRunsHere, bool leaseHolderGone, SchedulingOptions options)
    {
        if (s.Deleted || s.Status.IsFinal())
        {
            return new TickDecision(TickAction.Disarm);
        }

        if (attemptRunsHere)
        {
            return new TickDecision(TickAction.None);
        }

        switch (s.Status)
        {
            case PublicationStatus.Scheduled:
            case PublicationStatus.Deferred:
                var start = StartAt(s, options);
                return now >= start ? new TickDecision(TickAction.Start) : new TickDecision(TickAction.Wait, start);

            case PublicationStatus.Publishing:
                var lease = s.CurrentAttempt?.LeaseUntil ?? now;
                if (leaseHolderGone || now >= lease)
                {
                    // Whatever the call did is done now; give the platform time to make a post visible before asking.
                    return new TickDecision(TickAction.Unconfirm, now + options.ReconcileDelay,
                        leaseHolderGone
                            ? "The silo running the attempt stopped before its outcome was recorded."
                            : "The attempt's lease ran out before its outcome was recorded.");
                }

                return new TickDecision(TickAction.Wait, lease);

            case PublicationStatus.Unconfirmed:
                var at = s.ReconcileAt ?? now;
                return now >= at ? new TickDecision(TickAction.Reconcile) : new TickDecision(TickAction.Wait, at);

            default:
                return new TickDecision(TickAction.None);
        }
    }

    /// <summary>Where an attempt's report leads.</summary>
    public static Transition OnAttempt(PublicationState s, AttemptReport report, DateTimeOffset now, SchedulingOptions options, TimeSpan retryJitter)
    {
        var outcome = report.Outcome;
        if (outcome.Succeeded)
        {
            return new Transition.Publish(outcome);
        }

        var category = outcome.ErrorCategory ?? ErrorCategory.Transient;
        var message = outcome.Message ?? category.ToString();
        if (report.AccountUnavailable)
        {
            return new Transition.Fail(ErrorCategory.Auth, message);
        }

        if (category == ErrorCategory.UnknownOutcome && !report.Sent)
        {
            // Nothing reached the platform: the attempt certainly did not take effect.
            category = ErrorCategory.Transient;
        }

        switch (category)
        {
            case ErrorCategory.UnknownOutcome:
                return new Transition.Unconfirm(now + options.ReconcileDelay, message);

            case ErrorCategory.Transient when s.Attempts < options.MaxAttempts && now - s.DueAt < options.RetryBudget:
                return new Transition.Defer(now + RetryDelay(s.Attempts, options) + retryJitter,
                    $"Retrying after a transient error (attempt {s.Attempts} of {options.MaxAttempts}): {message}");

            case ErrorCategory.Transient:
                return new Transition.Fail(ErrorCategory.Transient, message);

            case ErrorCategory.RateLimited:
                return new Transition.Defer(outcome.RetryAfter ?? now + options.RetryBaseDelay, $"Rate limited by the platform: {message}");

            case ErrorCategory.Auth when s.AuthRefreshTried:
                return new Transition.Fail(ErrorCategory.Auth, $"{message} Reconnect the account.", ReconnectAccount: true);

            case ErrorCategory.Auth:
                return new Transition.RefreshToken(message);

            default:
                return new Transition.Fail(category, message);
        }
    }

    /// <summary>Where a reconciliation leads: found → published; certainly not there → a new attempt (or failure when attempts ran out); unknown → ask again, then give up for a person to check.</summary>
    public static Transition OnReconcile(PublicationState s, ReconcileReport report, DateTimeOffset now, SchedulingOptions options)
    {
        switch (report.Finding)
        {
            case ReconcileFinding.Found when report.Publication is { } publication:
                return new Transition.Publish(publication);

            case ReconcileFinding.Partial when s.Attempts < options.MaxAttempts:
                return new Transition.Defer(now, $"The post is out and the rest of its chain is not: resuming. {report.Detail}");

            case ReconcileFinding.Partial:
                return new Transition.Fail(ErrorCategory.Transient, $"The rest of the post's chain was not sent after {s.Attempts} attempts. {report.Detail}");

            case ReconcileFinding.NotFound when s.Attempts < options.MaxAttempts:
                return new Transition.Defer(now, $"The platform never received attempt {s.Attempts}; trying again.");

            case ReconcileFinding.NotFound:
                return new Transition.Fail(ErrorCategory.Transient, $"The platform never received the post after {s.Attempts} attempts.");

            default:
                return s.ReconcileAttempts + 1 >= options.MaxReconcileAttempts
                    ? new Transition.Fail(ErrorCategory.UnknownOutcome,
                        $"Could not confirm with the platform whether the post was published ({report.Detail}); check the account before posting again.")
                    : new Transition.AskAgain(now + options.ReconcileDelay);
        }
    }

    /// <summary>
    /// A post that is out stays published whatever becomes of the rest of its chain (thread replies, first comment): a
    /// final failure then publishes it, each part showing how it ended (see <see cref="ChainCheckpoints.View"/>).
    /// </summary>
    public static Transition Settle(PublicationState s, Transition transition) =>
        transition is Transition.Fail && ChainCheckpoints.Post(s.Checkpoints) is { } post ? new Transition.Publish(post) : transition;

    /// <summary>Still waiting for its time, with nothing of it out yet: it may be edited, moved or canceled.</summary>
    public static bool IsChangeable(PublicationState s) => s.Status.IsPending() && ChainCheckpoints.Post(s.Checkpoints) is null;

    /// <summary>Where an auth failure leads once the forced token refresh is done.</summary>
    public static Transition AfterRefresh(bool connected, string message, DateTimeOffset now) =>
        connected
            ? new Transition.Defer(now + TimeSpan.FromSeconds(1), $"Retrying once with a refreshed token: {message}")
            : new Transition.Fail(ErrorCategory.Auth, $"{message} The token could not be refreshed; reconnect the account.");

    /// <summary>A first attempt this long after its time is late.</summary>
    public static bool IsLate(PublicationState s, DateTimeOffset now, SchedulingOptions options) =>
        s.Attempts == 0 && now - s.DueAt > options.LateAfter;

    /// <summary>Exponential backoff: the base delay doubled per attempt already made.</summary>
    public static TimeSpan RetryDelay(int attempts, SchedulingOptions options) =>
        options.RetryBaseDelay * Math.Pow(2, Math.Max(0, attempts - 1));

    /// <summary>When a pending publication's attempt goes to the platform: its due time, or the end of its deferral.</summary>
    public static DateTimeOffset SendAt(PublicationState s) =>
        s.Status == PublicationStatus.Deferred ? s.DeferredUntil ?? s.DueAt : s.DueAt;

    /// <summary>
    /// When a pending publication starts its attempt: a scheduled one <see cref="SchedulingOptions.PrepareAhead"/> before
    /// its due time (the call itself waits for <see cref="SendAt"/>); a deferred one at the end of its deferral, since
    /// a rate-limit reservation is granted no earlier than the time it gave.
    /// </summary>
    public static DateTimeOffset StartAt(PublicationState s, SchedulingOptions options) =>
        s.Status == PublicationStatus.Scheduled && options.PrepareAhead > TimeSpan.Zero ? s.DueAt - options.PrepareAhead : SendAt(s);

    /// <summary>When the sweeper should next expect a tick: the time, the lease's end, the reconciliation; none once final.</summary>
    public static DateTimeOffset? WakeAt(PublicationState s) => s.Status switch
    {
        PublicationStatus.Scheduled => s.DueAt,
        PublicationStatus.Deferred => s.DeferredUntil ?? s.DueAt,
        PublicationStatus.Publishing => s.CurrentAttempt is { } attempt ? attempt.CheckAt ?? attempt.LeaseUntil : s.DueAt,
        PublicationStatus.Unconfirmed => s.ReconcileAt ?? s.DueAt,
        _ => null,
    };
}

/// <summary>Why a publication is deferred, as the deferral metric's reason tag.</summary>
public enum DeferCause
{
    /// <summary>A rate-limit grain gave no permit: waiting for a reserved slot.</summary>
    RateLimit,

    /// <summary>The platform answered with a rate limit or quota error.</summary>
    PlatformRateLimit,

    /// <summary>A transient error: retried with backoff.</summary>
    Retry,

    /// <summary>A reconciliation found the attempt never reached the platform: a new attempt.</summary>
    NotReceived,

    /// <summary>The token was refreshed after an auth error: one more attempt.</summary>
    TokenRefreshed,
}

public static class DeferCauses
{
    /// <summary>The snake_case tag value.</summary>
    public static string TagValue(this DeferCause cause) => cause switch
    {
        DeferCause.RateLimit => "rate_limit",
        DeferCause.PlatformRateLimit => "platform_rate_limit",
        DeferCause.Retry => "retry",
        DeferCause.NotReceived => "not_received",
        _ => "token_refreshed",
    };
}
