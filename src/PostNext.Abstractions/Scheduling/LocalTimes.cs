namespace PostNext.Abstractions.Scheduling;

/// <summary>Converting times a person picks in a time zone to instants, DST-correctly.</summary>
public static class LocalTimes
{
    /// <summary>Finds an IANA (or Windows) zone; null when unknown.</summary>
    public static TimeZoneInfo? FindZone(string? id)
    {
        if (string.IsNullOrWhiteSpace(id) || id.Length > 64)
        {
            return null;
        }

        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(id);
        }
        catch (Exception ex) when (ex is TimeZoneNotFoundException or InvalidTimeZoneException)
        {
            return null;
        }
    }

    /// <summary>
    /// The instant of a local wall-clock time. A time skipped by a spring-forward gap moves forward by the gap
    /// (02:30 becomes 03:30); a time repeated by a fall-back overlap takes its first occurrence.
    /// </summary>
    public static DateTimeOffset ToInstant(DateTime local, TimeZoneInfo zone)
    {
        local = DateTime.SpecifyKind(local, DateTimeKind.Unspecified);
        if (zone.IsInvalidTime(local))
        {
            // Read the wall clock with the offset in force just before the gap: 02:30 at +01:00 is 03:30 at +02:00.
            var offsetBefore = zone.GetUtcOffset(local.AddHours(-6));
            var utc = DateTime.SpecifyKind(local - offsetBefore, DateTimeKind.Utc);
            return TimeZoneInfo.ConvertTime(new DateTimeOffset(utc), zone);
        }

        if (zone.IsAmbiguousTime(local))
        {
            var offsets = zone.GetAmbiguousTimeOffsets(local);
            var first = offsets.Max();
            return new DateTimeOffset(local, first);
        }

        return new DateTimeOffset(local, zone.GetUtcOffset(local));
    }

    /// <summary>True when the local time does not exist in the zone (inside a spring-forward gap).</summary>
    public static bool IsSkipped(DateTime local, TimeZoneInfo zone) => zone.IsInvalidTime(DateTime.SpecifyKind(local, DateTimeKind.Unspecified));
}
