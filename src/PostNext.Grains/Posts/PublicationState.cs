using PostNext.Abstractions.Posts;

namespace PostNext.Grains.Posts;

[GenerateSerializer, Alias("PostNext.PublicationState")]
public sealed class PublicationState
{
    [Id(0)] public string WorkspaceId { get; set; } = "";

    [Id(1)] public string PostId { get; set; } = "";

    [Id(2)] public string AccountId { get; set; } = "";

    [Id(3)] public string Platform { get; set; } = "";

    [Id(4)] public PostContent Content { get; set; } = PostContent.Empty;

    [Id(5)] public DateTimeOffset DueAt { get; set; }

    [Id(6)] public string TimeZone { get; set; } = "UTC";

    [Id(7)] public PublicationStatus Status { get; set; }

    [Id(8)] public DateTimeOffset? DeferredUntil { get; set; }

    [Id(9)] public string? DeferReason { get; set; }

    /// <summary>The attempt in flight (persisted before the platform is called) or the last one.</summary>
    [Id(10)] public PublishAttempt? CurrentAttempt { get; set; }

    [Id(11)] public int Attempts { get; set; }

    [Id(12)] public int ReconcileAttempts { get; set; }

    [Id(13)] public string? ExternalId { get; set; }

    [Id(14)] public string? Permalink { get; set; }

    [Id(15)] public DateTimeOffset? PublishedAt { get; set; }

    [Id(16)] public PublicationError? Error { get; set; }

    [Id(17)] public bool Late { get; set; }

    /// <summary>Bumped on every change; the calendar index never lets an older revision overwrite a newer one.</summary>
    [Id(18)] public long Revision { get; set; }

    [Id(19)] public bool Deleted { get; set; }

    /// <summary>Intermediate ids a connector saved before its irreversible step (bounded), kept across attempts for reconciliation.</summary>
    [Id(20)] public Dictionary<string, string> Checkpoints { get; set; } = [];

    /// <summary>An auth failure gets one retry after a forced token refresh.</summary>
    [Id(21)] public bool AuthRefreshTried { get; set; }

    /// <summary>When an unconfirmed attempt may be reconciled: after the platform could have made the post visible.</summary>
    [Id(22)] public DateTimeOffset? ReconcileAt { get; set; }
}

[GenerateSerializer, Alias("PostNext.PublishAttempt")]
public sealed class PublishAttempt
{
    [Id(0)] public string Id { get; set; } = "";

    [Id(1)] public int Number { get; set; }

    [Id(2)] public DateTimeOffset StartedAt { get; set; }

    /// <summary>Until when the platform call may still be running: nobody re-sends or reconciles before it, unless its silo is gone.</summary>
    [Id(3)] public DateTimeOffset LeaseUntil { get; set; }

    /// <summary>The silo (address and generation) that holds the lease.</summary>
    [Id(4)] public string Silo { get; set; } = "";

    /// <summary>When a tick next checks on the attempt while its lease runs (whether its silo is still there).</summary>
    [Id(5)] public DateTimeOffset? CheckAt { get; set; }
}
