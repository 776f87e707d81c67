using PostNext.Chaos.Load;

namespace PostNext.Chaos.Results;

/// <summary>A target the run created: one post to one account, due at <see cref="DueAt"/> (as the API stored it).</summary>
public sealed record CreatedTarget(string PostId, string AccountId, AccountKind Kind, DateTimeOffset DueAt, DateTimeOffset CreatedAt, bool AtInstant)
{
    public string PublicationKey => $"{PostId}~{AccountId}";
}

/// <summary>A target as <c>GET …/posts/{id}</c> shows it after the run.</summary>
public sealed record TargetState(
    string Status, string? ErrorCategory, string? ErrorMessage, int Attempts, bool Late, string? DeferReason, DateTimeOffset? PublishedAt,
    DateTimeOffset? DeferredUntil = null)
{
    public static readonly IReadOnlySet<string> FinalStatuses = new HashSet<string>(StringComparer.Ordinal) { "published", "failed", "canceled" };

    public bool IsFinal => FinalStatuses.Contains(Status);

    public bool FailedWithReason => Status == "failed" && !string.IsNullOrWhiteSpace(ErrorCategory) && !string.IsNullOrWhiteSpace(ErrorMessage);
}

/// <summary>A row of <c>postnext_calendar</c>.</summary>
public sealed record CalendarRow(string PostId, string AccountId, string Status, DateTimeOffset ScheduledAt, DateTimeOffset? PublishedAt);

/// <summary>A row of <c>postnext_sandbox_received</c>: one call the sandbox received (duplicates included).</summary>
public sealed record SandboxReceiptRow(string PublicationKey, string AttemptId, DateTimeOffset ReceivedAt);

/// <summary>A row of <c>postnext_webhook_deliveries</c>: one event to the webhook, <see cref="Seq"/> its place in the delivery order.</summary>
public sealed record DeliveryRow(string Id, long Seq, string EventId, string EventType, string Status, int AttemptCount, DateTimeOffset CreatedAt);

/// <summary>A fault the run injected.</summary>
public sealed record FaultEvent(DateTimeOffset At, string Kind, string Target, string Detail);

/// <summary>When each phase of the run happened.</summary>
public sealed record Timeline
{
    public DateTimeOffset Started { get; set; }

    public DateTimeOffset ClusterReady { get; set; }

    public DateTimeOffset IntakeStarted { get; set; }

    public DateTimeOffset IntakeEnded { get; set; }

    public DateTimeOffset WindowStart { get; set; }

    public DateTimeOffset Instant { get; set; }

    public DateTimeOffset WindowEnd { get; set; }

    /// <summary>When every target was final, or the grace ran out.</summary>
    public DateTimeOffset Settled { get; set; }

    public DateTimeOffset WebhooksSettled { get; set; }
}

/// <summary>Everything the report is computed from.</summary>
public sealed record RunFacts(
    ChaosOptions Options,
    string RunDirectory,
    Timeline Timeline,
    IReadOnlyList<string> SiloArguments,
    int PlannedPosts,
    IReadOnlyList<CreatedTarget> Targets,
    IReadOnlyList<string> CreateErrors,
    int CreateRetries,
    IReadOnlyDictionary<string, TargetState> States,
    IReadOnlyDictionary<string, CalendarRow> Calendar,
    IReadOnlyList<SandboxReceiptRow> Receipts,
    IReadOnlyList<DeliveryRow> Deliveries,
    IReadOnlyList<ReceivedWebhook> Webhooks,
    IReadOnlyList<FaultEvent> Faults);
