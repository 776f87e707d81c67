using System.Globalization;
using PostNext.Abstractions.Scheduling;

namespace PostNext.Web.Components.Shared;

/// <summary>Instants shown in the workspace's zone (DST-correct per instant), and local days turned back into instants.</summary>
public sealed class Times(string zoneId)
{
    public TimeZoneInfo Zone { get; } = LocalTimes.FindZone(zoneId) ?? TimeZoneInfo.Utc;

    public string ZoneId => zoneId;

    public DateTime Local(DateTimeOffset instant) => TimeZoneInfo.ConvertTime(instant, Zone).DateTime;

    public string Short(DateTimeOffset instant) => Local(instant).ToString("HH:mm", CultureInfo.InvariantCulture);

    public string Full(DateTimeOffset instant)
    {
        var local = TimeZoneInfo.ConvertTime(instant, Zone);
        return $"{local:ddd d MMM yyyy HH:mm} (UTC{local:zzz})".Replace("UTC+00:00", "UTC", StringComparison.Ordinal);
    }

    /// <summary>The instant a local day starts (midnight, or the first valid time on a DST day).</summary>
    public DateTimeOffset StartOf(DateOnly day) => LocalTimes.ToInstant(day.ToDateTime(TimeOnly.MinValue), Zone);

    public DateOnly Today(TimeProvider time) => DateOnly.FromDateTime(Local(time.GetUtcNow()));
}
