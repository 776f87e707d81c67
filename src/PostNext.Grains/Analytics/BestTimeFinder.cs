using PostNext.Abstractions.Analytics;
using PostNext.Abstractions.Scheduling;

namespace PostNext.Grains.Analytics;

/// <summary>Ranks hour-of-week slots from an account's posts, and picks a free instant in a window from the ranking.</summary>
public static class BestTimeFinder
{
    /// <summary>
    /// Ranks the slots (local day and hour in <paramref name="timeZone"/>) of posts published in the look-back that are old
    /// enough to have settled, by their average score; a slot needs the minimum number of posts. With too few such
    /// slots the platform defaults stand; otherwise they follow the history's slots.
    /// </summary>
    public static BestTimes Rank(
        string accountId, string platform, string timeZone, IEnumerable<PostEngagement> posts, DateTimeOffset now, AnalyticsOptions options)
    {
        var zone = LocalTimes.FindZone(timeZone) ?? TimeZoneInfo.Utc;
        var considered = posts
            .Where(p => p.LastReadAt is not null && p.PublishedAt >= now - options.BestTimeLookback && p.PublishedAt <= now - options.BestTimeMinimumAge)
            .ToList();
        var heatmap = EngagementReports.Heatmap(considered, zone);
        var history = heatmap
            .Where(c => c.Posts >= Math.Max(1, options.BestTimeMinimumPosts))
            .OrderByDescending(c => c.AverageScore).ThenByDescending(c => c.Posts)
            .Select(c => new BestTimeSlot(c.Day, c.Hour, options.SlotMinute, BestTimeSource.History, c.Posts, c.AverageScore))
            .ToList();
        var source = history.Count >= Math.Max(1, options.BestTimeMinimumSlots) ? BestTimeSource.History : BestTimeSource.Defaults;
        var defaults = BestTimeDefaults.For(platform, options)
            .Where(d => source == BestTimeSource.Defaults || !history.Any(h => h.Day == d.Day && h.Hour == d.Hour))
            .Select(d => new BestTimeSlot(d.Day, d.Hour, d.Minute, BestTimeSource.Defaults, 0, null));
        var slots = source == BestTimeSource.History ? history.Concat(defaults).ToList() : defaults.ToList();
        return new BestTimes(accountId, platform, timeZone, source, considered.Count, slots, heatmap);
    }

    /// <summary>
    /// The earliest occurrence in [from, to) of the best-ranked slot that is free (at least <paramref name="gap"/> from
    /// every taken instant), trying slots in rank order; failing those, the earliest free hour start (at
    /// <paramref name="slotMinute"/>). Local times are read in the ranking's zone, DST-correctly. Null when nothing is free.
    /// </summary>
    public static DateTimeOffset? Pick(
        BestTimes ranking, DateTimeOffset from, DateTimeOffset to, IReadOnlyCollection<DateTimeOffset> taken, TimeSpan gap, int slotMinute)
    {
        var zone = LocalTimes.FindZone(ranking.TimeZone) ?? TimeZoneInfo.Utc;
        var days = LocalDays(from, to, zone);
        bool Free(DateTimeOffset at) => at >= from && at < to && taken.All(t => (t - at).Duration() >= gap);

        foreach (var slot in ranking.Slots)
        {
            foreach (var day in days.Where(d => d.DayOfWeek == slot.Day))
            {
                var at = LocalTimes.ToInstant(day.AddHours(slot.Hour).AddMinutes(slot.Minute), zone).ToUniversalTime();
                if (Free(at))
                {
                    return at;
                }
            }
        }

        foreach (var day in days)
        {
            for (var hour = 0; hour < 24; hour++)
            {
                var at = LocalTimes.ToInstant(day.AddHours(hour).AddMinutes(slotMinute), zone).ToUniversalTime();
                if (Free(at))
                {
                    return at;
                }
            }
        }

        return null;
    }

    private static List<DateTime> LocalDays(DateTimeOffset from, DateTimeOffset to, TimeZoneInfo zone)
    {
        var first = TimeZoneInfo.ConvertTime(from, zone).Date;
        var last = TimeZoneInfo.ConvertTime(to, zone).Date;
        var days = new List<DateTime>();
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            days.Add(day);
        }

        return days;
    }
}
