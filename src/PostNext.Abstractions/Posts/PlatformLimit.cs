namespace PostNext.Abstractions.Posts;

/// <summary>
/// A rate limit as the platform reported it in a response's headers (X's <c>x-rate-limit-*</c>, Meta's usage
/// percentages, <c>Retry-After</c>): the budget, what is left of it, when it resets, and — once it is spent — until
/// when no more calls go through. A success that spends the last of a budget blocks just as a 429 does.
/// </summary>
[GenerateSerializer, Immutable, Alias("PostNext.PlatformLimit")]
public sealed record PlatformLimit(
    [property: Id(0)] long? Limit,
    [property: Id(1)] long? Remaining,
    [property: Id(2)] DateTimeOffset? ResetAt,
    [property: Id(3)] DateTimeOffset? BlockedUntil)
{
    /// <summary>The tighter of two limits: the later block, else the smaller remaining budget.</summary>
    public static PlatformLimit? Tighter(PlatformLimit? a, PlatformLimit? b)
    {
        if (a is null || b is null)
        {
            return a ?? b;
        }

        var blockA = a.BlockedUntil ?? DateTimeOffset.MinValue;
        var blockB = b.BlockedUntil ?? DateTimeOffset.MinValue;
        if (blockA != blockB)
        {
            return blockA > blockB ? a : b;
        }

        return (b.Remaining ?? long.MaxValue) < (a.Remaining ?? long.MaxValue) ? b : a;
    }
}
