namespace PostNext.Grains.Analytics;

/// <summary>When a published post is read: densely while engagement moves fast, then ever more sparsely.</summary>
public static class MetricsSchedule
{
    /// <summary>When the first reading is due after publishing.</summary>
    public static TimeSpan First(AnalyticsOptions options) => Offsets(options).FirstOrDefault();

    /// <summary>Offsets from publishing, ascending: every 5 minutes in the first hour, hourly to a day, daily to 30 days (by default).</summary>
    public static IReadOnlyList<TimeSpan> Offsets(AnalyticsOptions options)
    {
        var offsets = new List<TimeSpan>();
        var at = TimeSpan.Zero;
        foreach (var (interval, until) in new[]
                 {
                     (options.FirstHourInterval, options.FirstHour),
                     (options.FirstDayInterval, options.FirstDay),
                     (options.LaterInterval, options.TrackFor),
                 })
        {
            if (interval <= TimeSpan.Zero)
            {
                throw new InvalidOperationException($"{AnalyticsOptions.SectionName} reading intervals must be positive.");
            }

            for (at += interval; at <= until; at += interval)
            {
                offsets.Add(at);
            }

            at = until; // the next phase counts from the end of this one
        }

        return offsets;
    }
}
