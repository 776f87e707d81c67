using System.Diagnostics;
using System.Diagnostics.Metrics;

namespace PostNext.Abstractions.Diagnostics;

/// <summary>
/// Our own OpenTelemetry instruments and activity source, in one place. Names follow the OpenTelemetry semantic
/// conventions (dotted, unit in <c>unit</c>, seconds for durations); tags are low-cardinality only (platform, outcome,
/// reason, error category): ids never become metric tags, they go on spans. Prometheus shows each name with dots as
/// underscores, the unit as a suffix (<c>_seconds</c>) and <c>_total</c> on counters.
/// </summary>
public static class PostNextTelemetry
{
    /// <summary>The meter and activity source name; hosts subscribe to it.</summary>
    public const string Name = "PostNext";

    public const string PlatformTag = "postnext.platform";
    public const string OutcomeTag = "postnext.outcome";
    public const string ReasonTag = "postnext.reason";
    public const string OperationTag = "postnext.operation";
    public const string ModeTag = "postnext.mode";
    public const string EventTypeTag = "postnext.event.type";

    /// <summary>The semantic conventions' name for an error's class (here our error category).</summary>
    public const string ErrorTypeTag = "error.type";

    /// <summary>Span attributes (never metric tags).</summary>
    public const string PostIdAttribute = "postnext.post.id";
    public const string PublicationIdAttribute = "postnext.publication.id";
    public const string AccountIdAttribute = "postnext.account.id";
    public const string AttemptIdAttribute = "postnext.attempt.id";
    public const string WorkspaceIdAttribute = "postnext.workspace.id";

    /// <summary>Lateness buckets in seconds: sub-second precision near the due time, minutes for outages.</summary>
    private static readonly double[] LatenessBuckets = [0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 30, 60, 120, 300, 900, 3600];

    /// <summary>Platform call buckets in seconds (uploads and processing polls run for minutes).</summary>
    private static readonly double[] CallBuckets = [0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60, 120, 300];

    public static readonly Meter Meter = new(Name);

    public static readonly ActivitySource Source = new(Name);

    /// <summary>Seconds from a publication's due time to the platform accepting it, per platform.</summary>
    public static readonly Histogram<double> PublishLateness = Meter.CreateHistogram(
        "postnext.publish.lateness", "s", "Seconds from a publication's due time to the platform accepting it.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatenessBuckets });

    /// <summary>Publications that reached a final state: outcome published or failed (with error.type).</summary>
    public static readonly Counter<long> PublicationsCompleted = Meter.CreateCounter<long>(
        "postnext.publications.completed", "{publication}", "Publications that reached a final state, by platform and outcome.");

    /// <summary>Platform publish attempts whose answer was recorded: outcome success or the error category.</summary>
    public static readonly Counter<long> PublishAttempts = Meter.CreateCounter<long>(
        "postnext.publish.attempts", "{attempt}", "Publish attempts by platform and outcome (success or the error category).");

    /// <summary>Duration of a platform call (operation publish or reconcile).</summary>
    public static readonly Histogram<double> PlatformCallDuration = Meter.CreateHistogram(
        "postnext.platform.call.duration", "s", "Duration of platform calls by platform, operation and outcome.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = CallBuckets });

    /// <summary>Publications deferred, by reason: rate_limit, platform_rate_limit, retry, not_received, token_refreshed.</summary>
    public static readonly Counter<long> Deferrals = Meter.CreateCounter<long>(
        "postnext.publish.deferrals", "{deferral}", "Publications deferred, by platform and reason.");

    /// <summary>New attempts after a failed one (a transient error, a reconciliation that found nothing, a refreshed token).</summary>
    public static readonly Counter<long> Retries = Meter.CreateCounter<long>(
        "postnext.publish.retries", "{retry}", "Publish retries by platform and the error that caused them.");

    /// <summary>Reconciliations of unknown outcomes: found, not_found or unknown.</summary>
    public static readonly Counter<long> ReconcileResults = Meter.CreateCounter<long>(
        "postnext.reconcile.results", "{reconciliation}", "Reconciliations of unknown outcomes by platform and result.");

    /// <summary>Seconds from the time a publication was due (or deferred to) to the tick that started its attempt.</summary>
    public static readonly Histogram<double> DueLag = Meter.CreateHistogram(
        "postnext.due.lag", "s", "Seconds from a publication's due time to the tick that starts its attempt.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatenessBuckets });

    /// <summary>Seconds from a webhook event's creation to its 2xx delivery.</summary>
    public static readonly Histogram<double> WebhookDeliveryLag = Meter.CreateHistogram(
        "postnext.webhook.delivery.lag", "s", "Seconds from a webhook event's creation to its delivery.",
        advice: new InstrumentAdvice<double> { HistogramBucketBoundaries = LatenessBuckets });

    /// <summary>Failed webhook delivery attempts, by reason (http_4xx, http_5xx, unreachable, gave_up).</summary>
    public static readonly Counter<long> WebhookDeliveryFailures = Meter.CreateCounter<long>(
        "postnext.webhook.delivery.failures", "{attempt}", "Failed webhook delivery attempts by reason.");

    /// <summary>The latest backlog reading (pending deliveries, age of the oldest in seconds); null until one is reported.</summary>
    private static volatile BacklogReading? _webhookBacklog;

    /// <summary>Webhook deliveries pending across every webhook, as last read by this silo's backlog refresher.</summary>
    public static readonly ObservableGauge<long> WebhookDeliveriesPending = Meter.CreateObservableGauge(
        "postnext.webhook.deliveries.pending", () => _webhookBacklog is { } b ? [new Measurement<long>(b.Pending)] : Array.Empty<Measurement<long>>(),
        "{delivery}", "Webhook deliveries waiting to be delivered (due or retrying), across every webhook.");

    /// <summary>Seconds since the oldest pending webhook delivery's event was created (0 when none is pending).</summary>
    public static readonly ObservableGauge<double> WebhookOldestPendingAge = Meter.CreateObservableGauge(
        "postnext.webhook.oldest_pending_age", () => _webhookBacklog is { } b ? [new Measurement<double>(b.OldestAgeSeconds)] : Array.Empty<Measurement<double>>(),
        "s", "Seconds since the oldest pending webhook delivery's event was created (0 when none is pending).");

    /// <summary>Publishes a backlog reading for the two webhook backlog gauges; null withdraws it (the refresher stopped).</summary>
    public static void ReportWebhookBacklog(long pending, double oldestAgeSeconds) => _webhookBacklog = new BacklogReading(pending, oldestAgeSeconds);

    /// <summary>Withdraws the backlog reading: the gauges report nothing until the next one.</summary>
    public static void ClearWebhookBacklog() => _webhookBacklog = null;

    /// <summary>Token refreshes, by platform and outcome (success, refused, failed).</summary>
    public static readonly Counter<long> TokenRefreshes = Meter.CreateCounter<long>(
        "postnext.token.refreshes", "{refresh}", "Access-token refreshes by platform and outcome.");

    /// <summary>Accounts that became reconnect_required, by platform.</summary>
    public static readonly Counter<long> ReconnectRequired = Meter.CreateCounter<long>(
        "postnext.account.reconnect_required", "{account}", "Accounts that became reconnect_required, by platform.");

    /// <summary>Posts the API accepted (created), by schedule mode (at, now, queue, best_time, draft).</summary>
    public static readonly Counter<long> PostsAccepted = Meter.CreateCounter<long>(
        "postnext.api.posts.accepted", "{post}", "Posts created through the API, by schedule mode.");

    /// <summary>A platform tag pair.</summary>
    public static KeyValuePair<string, object?> Platform(string platform) => new(PlatformTag, platform);

    /// <summary>An outcome tag pair.</summary>
    public static KeyValuePair<string, object?> Outcome(string outcome) => new(OutcomeTag, outcome);

    /// <summary>A reason tag pair.</summary>
    public static KeyValuePair<string, object?> Reason(string reason) => new(ReasonTag, reason);

    /// <summary>Our error categories as snake_case tag values (the API's spelling).</summary>
    public static string TagValue(this Posts.ErrorCategory category) => category switch
    {
        Posts.ErrorCategory.Transient => "transient",
        Posts.ErrorCategory.RateLimited => "rate_limited",
        Posts.ErrorCategory.Auth => "auth",
        Posts.ErrorCategory.InvalidContent => "invalid_content",
        Posts.ErrorCategory.Duplicate => "duplicate",
        Posts.ErrorCategory.UnknownOutcome => "unknown_outcome",
        _ => "other",
    };

    /// <summary>One backlog reading, swapped whole so a scrape never sees half of one.</summary>
    private sealed record BacklogReading(long Pending, double OldestAgeSeconds);
}
