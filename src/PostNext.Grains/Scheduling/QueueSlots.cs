using PostNext.Abstractions.Scheduling;
using PostNext.Abstractions.Workspaces;

namespace PostNext.Grains.Scheduling;

/// <summary>Walks an account's weekly queue slots forward in its time zone.</summary>
public static class QueueSlots
{
    /// <summary>
    /// The first slot instant strictly after <paramref name="after"/> and before <paramref name="until"/> that is not taken.
    /// Slots are local times, so 09:30 stays 09:30 across DST changes.
    /// </summary>
    public static DateTimeOffset? NextFree(
        IReadOnlyList<QueueSlot> slots, TimeZoneInfo zone, DateTimeOffset after, DateTimeOffset until, IReadOnlySet<DateTimeOffset> taken)
    {
        if (slots.Count == 0)
        {
            return null;
        }

        var ordered = slots.OrderBy(s => s.Time).ToList();
        var day = TimeZoneInfo.ConvertTime(after, zone).Date;
        var lastDay = TimeZoneInfo.ConvertTime(until, zone).Date;
        for (; day <= lastDay; day = day.AddDays(1))
        {
            foreach (var slot in ordered.Where(s => s.Day == day.DayOfWeek))
            {
                var instant = LocalTimes.ToInstant(day + slot.Time.ToTimeSpan(), zone);
                if (instant > after && instant < until && !taken.Contains(instant.ToUniversalTime()))
                {
                    return instant.ToUniversalTime();
                }
            }
        }

        return null;
    }
}
