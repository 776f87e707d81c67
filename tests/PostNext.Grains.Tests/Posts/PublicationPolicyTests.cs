using PostNext.Abstractions.Posts;
using PostNext.Grains.Posts;
using PostNext.Grains.Posts.Publishing;
using PostNext.Grains.Scheduling;

namespace PostNext.Grains.Tests.Posts;

/// <summary>The publication's rules as a pure function: no cluster, no clock, no platform.</summary>
public sealed class PublicationPolicyTests
{
    private static readonly DateTimeOffset Now = new(2026, 12, 2, 9, 0, 0, TimeSpan.Zero);
    private static readonly SchedulingOptions Options = new();

    private static PublicationState State(PublicationStatus status, Action<PublicationState>? shape = null)
    {
        var state = new PublicationState { Status = status, DueAt = Now.AddMinutes(-1), Attempts = status is PublicationStatus.Publishing or PublicationStatus.Unconfirmed ? 1 : 0 };
        shape?.Invoke(state);
        return state;
    }

    private static PublicationState Leased(DateTimeOffset leaseUntil) => State(PublicationStatus.Publishing, s =>
        s.CurrentAttempt = new PublishAttempt { Id = "a1", Number = 1, StartedAt = Now.AddSeconds(-10), LeaseUntil = leaseUntil, Silo = "S1" });

    [Fact]
    public void A_due_scheduled_publication_starts_and_a_future_one_waits_for_its_time()
    {
        Assert.Equal(TickAction.Start, PublicationPolicy.OnTick(State(PublicationStatus.Scheduled), Now, false, false, Options).Action);

        // It waits for its time less the preparation ahead of it (the call itself waits for the time).
        var later = PublicationPolicy.OnTick(State(PublicationStatus.Scheduled, s => s.DueAt = Now.AddMinutes(5)), Now, false, false, Options);
        Assert.Equal(TickAction.Wait, later.Action);
        Assert.Equal(Now.AddMinutes(5) - Options.PrepareAhead, later.At);
    }

    [Fact]
    public void A_scheduled_publication_starts_its_attempt_the_preparation_ahead_of_its_time_and_a_deferred_one_only_at_its_time()
    {
        var soon = State(PublicationStatus.Scheduled, s => s.DueAt = Now + Options.PrepareAhead);
        Assert.Equal(TickAction.Start, PublicationPolicy.OnTick(soon, Now, false, false, Options).Action);
        Assert.Equal(TickAction.Wait, PublicationPolicy.OnTick(soon, Now - TimeSpan.FromMilliseconds(1), false, false, Options).Action);
        Assert.Equal(Now + Options.PrepareAhead, PublicationPolicy.SendAt(soon));

        // A deferral ends at a time a rate limit reserved: nothing starts before it.
        var deferred = State(PublicationStatus.Deferred, s => s.DeferredUntil = Now + Options.PrepareAhead);
        Assert.Equal(TickAction.Wait, PublicationPolicy.OnTick(deferred, Now, false, false, Options).Action);

        var none = new SchedulingOptions { PrepareAhead = TimeSpan.Zero };
        Assert.Equal(TickAction.Wait, PublicationPolicy.OnTick(soon, Now, false, false, none).Action);
    }

    [Fact]
    public void A_deferred_publication_waits_for_its_deferral_not_its_original_time()
    {
        var deferred = State(PublicationStatus.Deferred, s => s.DeferredUntil = Now.AddMinutes(2));
        Assert.Equal(new TickDecision(TickAction.Wait, Now.AddMinutes(2)), PublicationPolicy.OnTick(deferred, Now, false, false, Options));
        Assert.Equal(TickAction.Start, PublicationPolicy.OnTick(deferred, Now.AddMinutes(2), false, false, Options).Action);
    }

    [Fact]
    public void Nothing_happens_while_the_attempt_runs_on_this_silo()
    {
        Assert.Equal(TickAction.None, PublicationPolicy.OnTick(State(PublicationStatus.Scheduled), Now, true, false, Options).Action);
        Assert.Equal(TickAction.None, PublicationPolicy.OnTick(Leased(Now.AddMinutes(-1)), Now, true, true, Options).Action);
    }

    [Fact]
    public void An_attempt_inside_its_lease_held_by_a_live_silo_is_left_alone_however_many_ticks_come()
    {
        var decision = PublicationPolicy.OnTick(Leased(Now.AddMinutes(4)), Now, attemptRunsHere: false, leaseHolderGone: false, Options);
        Assert.Equal(new TickDecision(TickAction.Wait, Now.AddMinutes(4)), decision);
    }

    [Fact]
    public void An_attempt_whose_silo_is_gone_is_unconfirmed_and_reconciled_only_after_the_visibility_delay()
    {
        var decision = PublicationPolicy.OnTick(Leased(Now.AddMinutes(4)), Now, attemptRunsHere: false, leaseHolderGone: true, Options);
        Assert.Equal(TickAction.Unconfirm, decision.Action);
        Assert.Equal(Now + Options.ReconcileDelay, decision.At);
    }

    [Fact]
    public void An_attempt_whose_lease_ran_out_is_unconfirmed_even_if_its_silo_looks_alive()
    {
        var decision = PublicationPolicy.OnTick(Leased(Now.AddSeconds(-1)), Now, attemptRunsHere: false, leaseHolderGone: false, Options);
        Assert.Equal(TickAction.Unconfirm, decision.Action);
    }

    [Fact]
    public void An_unconfirmed_attempt_is_reconciled_at_its_time_and_not_before()
    {
        var unconfirmed = State(PublicationStatus.Unconfirmed, s => s.ReconcileAt = Now.AddSeconds(10));
        Assert.Equal(new TickDecision(TickAction.Wait, Now.AddSeconds(10)), PublicationPolicy.OnTick(unconfirmed, Now, false, false, Options));
        Assert.Equal(TickAction.Reconcile, PublicationPolicy.OnTick(unconfirmed, Now.AddSeconds(10), false, false, Options).Action);
    }

    [Theory]
    [InlineData(PublicationStatus.Published)]
    [InlineData(PublicationStatus.Failed)]
    [InlineData(PublicationStatus.Canceled)]
    public void A_final_publication_drops_its_reminder(PublicationStatus status) =>
        Assert.Equal(TickAction.Disarm, PublicationPolicy.OnTick(State(status), Now, false, false, Options).Action);

    [Fact]
    public void A_success_publishes()
    {
        var success = PublishOutcome.Success("x1", "https://p/x1", Now);
        Assert.Equal(new Transition.Publish(success), PublicationPolicy.OnAttempt(State(PublicationStatus.Publishing), new AttemptReport(success, true), Now, Options, TimeSpan.Zero));
    }

    [Fact]
    public void An_unknown_outcome_after_the_call_is_reconciled_but_one_before_the_call_is_a_plain_retry()
    {
        var unknown = PublishOutcome.Failure(ErrorCategory.UnknownOutcome, "timeout");
        var sent = PublicationPolicy.OnAttempt(State(PublicationStatus.Publishing), new AttemptReport(unknown, Sent: true), Now, Options, TimeSpan.Zero);
        Assert.Equal(new Transition.Unconfirm(Now + Options.ReconcileDelay, "timeout"), sent);

        var notSent = PublicationPolicy.OnAttempt(State(PublicationStatus.Scheduled, s => s.Attempts = 1), new AttemptReport(unknown, Sent: false), Now, Options, TimeSpan.Zero);
        Assert.IsType<Transition.Defer>(notSent);
    }

    [Fact]
    public void Transient_errors_back_off_exponentially_and_fail_once_attempts_run_out()
    {
        var error = PublishOutcome.Failure(ErrorCategory.Transient, "503");
        var second = Assert.IsType<Transition.Defer>(PublicationPolicy.OnAttempt(State(PublicationStatus.Publishing, s => s.Attempts = 2), new AttemptReport(error, true), Now, Options, TimeSpan.Zero));
        Assert.Equal(Now + Options.RetryBaseDelay * 2, second.Until);

        var last = PublicationPolicy.OnAttempt(State(PublicationStatus.Publishing, s => s.Attempts = Options.MaxAttempts), new AttemptReport(error, true), Now, Options, TimeSpan.Zero);
        Assert.Equal(new Transition.Fail(ErrorCategory.Transient, "503"), last);
    }

    [Fact]
    public void Transient_errors_past_the_retry_budget_fail()
    {
        var error = PublishOutcome.Failure(ErrorCategory.Transient, "503");
        var old = State(PublicationStatus.Publishing, s => s.DueAt = Now - Options.RetryBudget - TimeSpan.FromSeconds(1));
        Assert.IsType<Transition.Fail>(PublicationPolicy.OnAttempt(old, new AttemptReport(error, true), Now, Options, TimeSpan.Zero));
    }

    [Fact]
    public void A_rate_limit_waits_for_the_reset_the_platform_reported()
    {
        var limited = PublishOutcome.Failure(ErrorCategory.RateLimited, "429", Now.AddMinutes(15));
        var defer = Assert.IsType<Transition.Defer>(PublicationPolicy.OnAttempt(State(PublicationStatus.Publishing), new AttemptReport(limited, true), Now, Options, TimeSpan.Zero));
        Assert.Equal(Now.AddMinutes(15), defer.Until);
    }

    [Fact]
    public void An_auth_error_refreshes_once_and_the_second_marks_the_account_for_reconnection()
    {
        var refused = PublishOutcome.Failure(ErrorCategory.Auth, "401");
        Assert.IsType<Transition.RefreshToken>(PublicationPolicy.OnAttempt(State(PublicationStatus.Publishing), new AttemptReport(refused, true), Now, Options, TimeSpan.Zero));

        var again = PublicationPolicy.OnAttempt(State(PublicationStatus.Publishing, s => s.AuthRefreshTried = true), new AttemptReport(refused, true), Now, Options, TimeSpan.Zero);
        Assert.True(Assert.IsType<Transition.Fail>(again).ReconnectAccount);
        Assert.IsType<Transition.Defer>(PublicationPolicy.AfterRefresh(connected: true, "401", Now));
        Assert.IsType<Transition.Fail>(PublicationPolicy.AfterRefresh(connected: false, "401", Now));
    }

    [Theory]
    [InlineData(ErrorCategory.InvalidContent)]
    [InlineData(ErrorCategory.Duplicate)]
    public void Invalid_content_and_duplicates_fail_at_once_with_the_platform_message(ErrorCategory category) =>
        Assert.Equal(new Transition.Fail(category, "refused"),
            PublicationPolicy.OnAttempt(State(PublicationStatus.Publishing), new AttemptReport(PublishOutcome.Failure(category, "refused"), true), Now, Options, TimeSpan.Zero));

    [Fact]
    public void An_account_that_cannot_publish_fails_the_publication_as_auth()
    {
        var report = new AttemptReport(PublishOutcome.Failure(ErrorCategory.Auth, "removed"), Sent: false, AccountUnavailable: true);
        Assert.Equal(new Transition.Fail(ErrorCategory.Auth, "removed"), PublicationPolicy.OnAttempt(State(PublicationStatus.Scheduled), report, Now, Options, TimeSpan.Zero));
    }

    [Fact]
    public void Reconciliation_found_publishes_not_found_retries_until_attempts_run_out_and_unknown_asks_again_then_gives_up()
    {
        var found = PublishOutcome.Success("x1", null, Now);
        Assert.Equal(new Transition.Publish(found), PublicationPolicy.OnReconcile(State(PublicationStatus.Unconfirmed), new ReconcileReport(ReconcileFinding.Found, found, null), Now, Options));

        var notFound = new ReconcileReport(ReconcileFinding.NotFound, null, null);
        Assert.Equal(Now, Assert.IsType<Transition.Defer>(PublicationPolicy.OnReconcile(State(PublicationStatus.Unconfirmed), notFound, Now, Options)).Until);
        Assert.IsType<Transition.Fail>(PublicationPolicy.OnReconcile(State(PublicationStatus.Unconfirmed, s => s.Attempts = Options.MaxAttempts), notFound, Now, Options));

        var unknown = new ReconcileReport(ReconcileFinding.Unknown, null, "503");
        Assert.Equal(new Transition.AskAgain(Now + Options.ReconcileDelay), PublicationPolicy.OnReconcile(State(PublicationStatus.Unconfirmed), unknown, Now, Options));
        var gaveUp = PublicationPolicy.OnReconcile(State(PublicationStatus.Unconfirmed, s => s.ReconcileAttempts = Options.MaxReconcileAttempts - 1), unknown, Now, Options);
        Assert.Equal(ErrorCategory.UnknownOutcome, Assert.IsType<Transition.Fail>(gaveUp).Category);
    }

    [Fact]
    public void The_sweeper_expects_a_tick_at_the_time_the_lease_end_or_the_reconciliation_and_never_once_final()
    {
        Assert.Equal(Now.AddMinutes(-1), PublicationPolicy.WakeAt(State(PublicationStatus.Scheduled)));
        Assert.Equal(Now.AddMinutes(3), PublicationPolicy.WakeAt(Leased(Now.AddMinutes(3))));
        Assert.Equal(Now.AddSeconds(5), PublicationPolicy.WakeAt(State(PublicationStatus.Unconfirmed, s => s.ReconcileAt = Now.AddSeconds(5))));
        Assert.Null(PublicationPolicy.WakeAt(State(PublicationStatus.Published)));
    }

    /// <summary>A post whose first part is out (checkpointed), with a thread reply after it.</summary>
    private static PublicationState ChainStarted(PublicationStatus status) => State(status, s =>
    {
        s.Platform = "x";
        s.Content = new PostContent("1/2", [], Options: new PostOptions(X: new XPostOptions([new ThreadPart("2/2")])));
        s.Checkpoints[ChainCheckpoints.Key(0)] = ChainCheckpoints.Sent(PublishOutcome.Success("111", "https://x.com/a/status/111", Now));
    });

    [Fact]
    public void A_final_failure_after_the_post_is_out_publishes_it_instead_and_before_it_fails()
    {
        var chain = ChainStarted(PublicationStatus.Publishing);
        var settled = PublicationPolicy.Settle(chain, new Transition.Fail(ErrorCategory.InvalidContent, "Thread part 2: refused"));
        Assert.Equal(new Transition.Publish(PublishOutcome.Success("111", "https://x.com/a/status/111", Now)), settled);

        var fail = new Transition.Fail(ErrorCategory.InvalidContent, "refused");
        Assert.Same(fail, PublicationPolicy.Settle(State(PublicationStatus.Publishing), fail));
        var retry = new Transition.Defer(Now, "again");
        Assert.Same(retry, PublicationPolicy.Settle(chain, retry));
    }

    [Fact]
    public void A_partial_chain_resumes_at_once_while_attempts_remain_and_then_gives_up_publishing_what_is_out()
    {
        var chain = ChainStarted(PublicationStatus.Unconfirmed);
        Assert.IsType<Transition.Defer>(PublicationPolicy.OnReconcile(chain, new ReconcileReport(ReconcileFinding.Partial, null, "resume"), Now, Options));

        chain.Attempts = Options.MaxAttempts;
        var spent = PublicationPolicy.OnReconcile(chain, new ReconcileReport(ReconcileFinding.Partial, null, "resume"), Now, Options);
        Assert.IsType<Transition.Fail>(spent);
        Assert.IsType<Transition.Publish>(PublicationPolicy.Settle(chain, spent));
    }

    [Fact]
    public void A_publication_whose_post_is_out_can_no_longer_be_edited_moved_or_canceled_even_while_deferred()
    {
        Assert.True(PublicationPolicy.IsChangeable(State(PublicationStatus.Deferred)));
        Assert.False(PublicationPolicy.IsChangeable(ChainStarted(PublicationStatus.Deferred)));
    }

    [Fact]
    public void The_chain_view_shows_each_part_and_what_became_of_it()
    {
        var chain = ChainStarted(PublicationStatus.Published);
        Assert.Equal(["published", "not_sent"], ChainCheckpoints.View("x", chain.Content, chain.Checkpoints, PublicationStatus.Published, "111", null)!.Select(p => p.Status));

        chain.Checkpoints[ChainCheckpoints.Key(1)] = ChainCheckpoints.Sending("a2", Now);
        Assert.Equal(["published", "publishing"], ChainCheckpoints.View("x", chain.Content, chain.Checkpoints, PublicationStatus.Unconfirmed, null, null)!.Select(p => p.Status));
        var doubt = ChainCheckpoints.View("x", chain.Content, chain.Checkpoints, PublicationStatus.Published, "111", null)!;
        Assert.Equal(["published", "unconfirmed"], doubt.Select(p => p.Status));
        Assert.Null(ChainCheckpoints.View("x", new PostContent("no thread", []), chain.Checkpoints, PublicationStatus.Published, "111", null));
    }
}
