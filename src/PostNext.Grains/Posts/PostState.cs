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

    /// <summary>
    /// Earlier versions saved a new post with false here until its publications were scheduled. Every post is created
    /// with true now (<see cref="FanOut"/> records that work); an activation that finds a non-draft with false schedules its targets.
    /// </summary>
    [Id(9)] public bool TargetsScheduled { get; set; }

    /// <summary>A deleted post keeps its fingerprint so its Idempotency-Key is never reused.</summary>
    [Id(10)] public bool Deleted { get; set; }

    /// <summary>The change to the publications that the last write promised and that is not yet fully applied; null when none.</summary>
    [Id(11)] public PostFanOut? FanOut { get; set; }

    /// <summary>The post was canceled: a target whose publication was never created shows as canceled and is never scheduled.</summary>
    [Id(12)] public bool Canceled { get; set; }
}

/// <summary>
/// What the post's publications must become, recorded in the same write as the post change that requires it and
/// cleared once every step is done. Every step is safe to repeat (a pending publication is re-scheduled or edited to
/// the same values, a canceled one stays canceled, a deleted one stays deleted, one that started is left alone), so a
/// fan-out interrupted by a failure or a crash is simply applied again.
/// </summary>
[GenerateSerializer, Alias("PostNext.PostFanOut")]
public sealed class PostFanOut
{
    /// <summary>Targets no longer in the post: their publications are canceled, then deleted.</summary>
    [Id(0)] public List<TargetSpec> Remove { get; set; } = [];

    /// <summary>Targets that must have a scheduled publication with the post's content and their time.</summary>
    [Id(1)] public List<TargetSpec> Schedule { get; set; } = [];

    /// <summary>Targets whose pending publication takes the post's current content and their time.</summary>
    [Id(2)] public List<TargetSpec> Edit { get; set; } = [];

    /// <summary>Every target of the post is canceled (after the removals).</summary>
    [Id(3)] public bool CancelAll { get; set; }

    /// <summary>Only schedules: repeating it changes nothing once applied.</summary>
    public bool IsScheduleOnly => Remove.Count == 0 && Edit.Count == 0 && !CancelAll;

    /// <summary>Schedules every target (a new post, a draft that is no longer one).</summary>
    public static PostFanOut Scheduling(IEnumerable<TargetSpec> targets) => new() { Schedule = [.. targets] };

    /// <summary>Cancels and deletes every target's publication (a deleted post).</summary>
    public static PostFanOut Removing(IEnumerable<TargetSpec> targets) => new() { Remove = [.. targets] };

    /// <summary>
    /// Cancels every target; a fan-out still pending keeps its removals, while its schedules and edits are dropped (a
    /// target canceled before its publication exists never gets one).
    /// </summary>
    public static PostFanOut Canceling(PostFanOut? pending) => new() { Remove = pending?.Remove ?? [], CancelAll = true };

    /// <summary>What an update from <paramref name="before"/> to <paramref name="after"/> does to the publications; null when nothing.</summary>
    public static PostFanOut? ForUpdate(IReadOnlyList<TargetSpec> before, bool wasDraft, IReadOnlyList<TargetSpec> after, bool draft)
    {
        if (wasDraft)
        {
            return draft ? null : Scheduling(after);
        }

        if (draft)
        {
            return Removing(before);
        }

        return new PostFanOut
        {
            Remove = [.. before.Where(old => after.All(t => t.AccountId != old.AccountId))],
            Schedule = [.. after.Where(t => before.All(old => old.AccountId != t.AccountId))],
            Edit = [.. after.Where(t => before.Any(old => old.AccountId == t.AccountId))],
        };
    }
}
