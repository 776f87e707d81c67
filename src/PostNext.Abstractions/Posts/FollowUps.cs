using PostNext.Abstractions.Platforms;

namespace PostNext.Abstractions.Posts;

/// <summary>What a follow-up of a published post is: a reply to the part before it (an X thread) or a comment on the post.</summary>
public enum FollowUpKind
{
    Reply,
    Comment,
}

/// <summary>
/// One part of a post's chain after the post itself (part 0): part <see cref="Index"/> (1-based) of an X thread, or the
/// first comment on Instagram, Facebook, LinkedIn or YouTube.
/// </summary>
public sealed record FollowUp(int Index, FollowUpKind Kind, string Text, IReadOnlyList<MediaItem> Media);

/// <summary>The chain a target's content asks for after the post: an X thread's replies, or a first comment.</summary>
public static class FollowUps
{
    /// <summary>The follow-ups of <paramref name="content"/> on <paramref name="platform"/>, in order (none for most posts).</summary>
    public static IReadOnlyList<FollowUp> Of(string platform, PostContent content)
    {
        var options = content.Options;
        if (options is null)
        {
            return [];
        }

        if (platform == PlatformIds.X)
        {
            return options.X?.Thread is { Count: > 0 } thread
                ? [.. thread.Select((part, i) => new FollowUp(i + 1, FollowUpKind.Reply, part.Text, part.Media ?? []))]
                : [];
        }

        var comment = platform switch
        {
            PlatformIds.Instagram => options.Instagram?.FirstComment,
            PlatformIds.Facebook => options.Facebook?.FirstComment,
            PlatformIds.LinkedIn => options.LinkedIn?.FirstComment,
            PlatformIds.YouTube => options.YouTube?.FirstComment,
            _ => null,
        };
        return string.IsNullOrWhiteSpace(comment) ? [] : [new FollowUp(1, FollowUpKind.Comment, comment, [])];
    }
}

/// <summary>
/// One part of a publication's chain as shown: part 0 is the post; then each reply of a thread, or the first comment.
/// <see cref="Status"/>: <c>published</c>, <c>pending</c> (not sent yet), <c>publishing</c> (sent, outcome not yet
/// recorded), <c>unconfirmed</c> (sent, and the platform could not tell whether it arrived: never sent again),
/// <c>failed</c> (the platform refused it; <see cref="Error"/> says why) or <c>not_sent</c> (the chain stopped before it).
/// </summary>
[GenerateSerializer, Immutable, Alias("PostNext.PublicationPart")]
public sealed record PublicationPart(
    [property: Id(0)] int Index,
    [property: Id(1)] string Kind,
    [property: Id(2)] string Status,
    [property: Id(3)] string? ExternalId,
    [property: Id(4)] string? Permalink,
    [property: Id(5)] string? Error);
