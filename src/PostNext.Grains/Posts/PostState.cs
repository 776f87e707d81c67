using PostNext.Abstractions.Posts;

namespace PostNext.Grains.Posts;

[GenerateSerializer, Alias("PostNext.PostState")]
public sealed class PostState
{
    [Id(0)] public string WorkspaceId { get; set; } = "";

    [Id(1)] public PostContent Content { get; set; } = PostContent.Empty;

    [Id(2)] public List<TargetSpec> Targets { get; set; } = [];

    [Id(3)] public bool Draft { get; set; }

    [Id(4)] public string TimeZone { get; set; } = "UTC";

    [Id(5)] public string ScheduleMode { get; set; } = "at";

    /// <summary>SHA-256 of the creating request, to tell a repeated Idempotency-Key from a reused one.</summary>
    [Id(6)] public string Fingerprint { get; set; } = "";

    [Id(7)] public DateTimeOffset CreatedAt { get; set; }

    [Id(8)] public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>False between saving the post and scheduling every publication; an activation that finds it false finishes the job.</summary>
    [Id(9)] public bool TargetsScheduled { get; set; }

    /// <summary>A deleted post keeps its fingerprint so its Idempotency-Key is never reused.</summary>
    [Id(10)] public bool Deleted { get; set; }
}
