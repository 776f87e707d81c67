namespace PostNext.Abstractions.Posts;

/// <summary>Where the publication of a post to one account stands.</summary>
[GenerateSerializer, Alias("PostNext.PublicationStatus")]
public enum PublicationStatus
{
    Scheduled = 0,

    /// <summary>Waiting until <c>DeferredUntil</c> (a retry, or a limit to clear).</summary>
    Deferred = 1,

    /// <summary>An attempt is persisted and the platform is being called.</summary>
    Publishing = 2,

    Published = 3,
    Failed = 4,
    Canceled = 5,

    /// <summary>The outcome of an attempt is unknown (crash, timeout): reconciled by asking the platform, never blindly re-sent.</summary>
    Unconfirmed = 6,
}

/// <summary>The error taxonomy the scheduler acts on.</summary>
[GenerateSerializer, Alias("PostNext.ErrorCategory")]
public enum ErrorCategory
{
    Transient = 0,
    RateLimited = 1,
    Auth = 2,
    InvalidContent = 3,
    Duplicate = 4,
    UnknownOutcome = 5,

    /// <summary>
    /// The platform refused this installation's setup, not the post (a retired API version): fails at once, and the
    /// message names the setting an operator must change.
    /// </summary>
    Configuration = 6,
}

/// <summary>The status of a whole post, derived from its targets.</summary>
[GenerateSerializer, Alias("PostNext.PostStatus")]
public enum PostStatus
{
    Draft = 0,
    Scheduled = 1,
    Publishing = 2,
    Published = 3,
    PartiallyPublished = 4,
    Failed = 5,
    Canceled = 6,
}

public static class PublicationStatuses
{
    /// <summary>Nothing more will happen to a publication in one of these.</summary>
    public static bool IsFinal(this PublicationStatus status) =>
        status is PublicationStatus.Published or PublicationStatus.Failed or PublicationStatus.Canceled;

    /// <summary>Waiting for its time: it may still be edited, moved or canceled.</summary>
    public static bool IsPending(this PublicationStatus status) =>
        status is PublicationStatus.Scheduled or PublicationStatus.Deferred;

    /// <summary>
    /// A post's status from what is stored of it: a draft is a draft; otherwise each target's publication status, where
    /// a target without a publication yet counts as scheduled, or as canceled once the post was canceled.
    /// </summary>
    public static PostStatus Of(bool draft, bool canceled, IReadOnlyList<PublicationStatus?> targets) => draft
        ? PostStatus.Draft
        : Derive(targets.Select(s => s ?? (canceled ? PublicationStatus.Canceled : PublicationStatus.Scheduled)).ToList());

    /// <summary>
    /// A publication's status as its post's status counts it: once the post itself is out (<paramref name="postIsOut"/>),
    /// it is published, even while the rest of its chain (a thread reply, a first comment) waits for a retry.
    /// </summary>
    public static PublicationStatus CountedAs(this PublicationStatus status, bool postIsOut) =>
        postIsOut && !status.IsFinal() ? PublicationStatus.Published : status;

    /// <summary>A post's status from its targets' statuses.</summary>
    public static PostStatus Derive(IReadOnlyCollection<PublicationStatus> targets)
    {
        if (targets.Count == 0 || targets.All(s => s == PublicationStatus.Canceled))
        {
            return PostStatus.Canceled;
        }

        if (targets.Any(s => !s.IsFinal()))
        {
            return targets.Any(s => s is PublicationStatus.Publishing or PublicationStatus.Unconfirmed or PublicationStatus.Published or PublicationStatus.Failed)
                ? PostStatus.Publishing
                : PostStatus.Scheduled;
        }

        var published = targets.Count(s => s == PublicationStatus.Published);
        var failed = targets.Count(s => s == PublicationStatus.Failed);
        if (published == 0)
        {
            return failed > 0 ? PostStatus.Failed : PostStatus.Canceled;
        }

        return published == targets.Count ? PostStatus.Published : PostStatus.PartiallyPublished;
    }
}
