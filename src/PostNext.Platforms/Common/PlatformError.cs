using PostNext.Abstractions.Posts;

namespace PostNext.Platforms.Common;

/// <summary>A platform failure in the one taxonomy the scheduler acts on, with the platform's own message and, for limits, when they clear.</summary>
public sealed record PlatformError(
    ErrorCategory Category, string Message, DateTimeOffset? RetryAfter = null, int? HttpStatus = null, string? PlatformCode = null, string? LimitedPostType = null)
{
    public PublishOutcome ToOutcome() => PublishOutcome.Failure(Category, Message, RetryAfter) with { LimitedPostType = LimitedPostType };
}

/// <summary>Thrown inside a connector to stop a publish with a classified error; the connector turns it into an outcome.</summary>
public sealed class PlatformException(PlatformError error) : Exception(error.Message)
{
    public PlatformError Error { get; } = error;
}
