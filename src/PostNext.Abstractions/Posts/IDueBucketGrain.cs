namespace PostNext.Abstractions.Posts;

/// <summary>
/// The durable wake-up of one time bucket of one due shard: its Orleans reminder fires shortly before the bucket
/// starts (and, with its period, again after any crash), and while the bucket is open it reads the publications due
/// in it from the calendar index and wakes each just in time. One reminder per bucket and shard, not per publication.
/// Key: <see cref="DueBuckets.Key"/>.
/// </summary>
[Alias("PostNext.IDueBucketGrain")]
public interface IDueBucketGrain : IGrainWithStringKey
{
    /// <summary>
    /// A publication of this bucket has its next tick at <paramref name="at"/>: make sure the bucket will wake it.
    /// Interleaves with the bucket's own reads, so a publication arming its bucket never waits behind a nudge round.
    /// </summary>
    [Alias("EnsureArmed"), Orleans.Concurrency.AlwaysInterleave]
    Task EnsureArmedAsync(DateTimeOffset at);
}

/// <summary>Bucket keys: <c>{bucket start, UTC, yyyyMMddHHmm}/{shard}</c>.</summary>
public static class DueBuckets
{
    public static string Key(DateTimeOffset start, short shard) =>
        $"{start.UtcDateTime.ToString("yyyyMMddHHmm", System.Globalization.CultureInfo.InvariantCulture)}/{shard}";

    /// <summary>The start of the bucket holding <paramref name="at"/>.</summary>
    public static DateTimeOffset StartOf(DateTimeOffset at, TimeSpan size) =>
        new(at.UtcTicks - at.UtcTicks % size.Ticks, TimeSpan.Zero);

    public static (DateTimeOffset Start, short Shard) Parse(string key)
    {
        var slash = key.IndexOf('/', StringComparison.Ordinal);
        var start = DateTime.ParseExact(key[..slash], "yyyyMMddHHmm", System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AdjustToUniversal | System.Globalization.DateTimeStyles.AssumeUniversal);
        return (new DateTimeOffset(start, TimeSpan.Zero), short.Parse(key[(slash + 1)..], System.Globalization.CultureInfo.InvariantCulture));
    }
}
