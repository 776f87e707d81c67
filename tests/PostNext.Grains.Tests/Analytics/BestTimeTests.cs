using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Analytics;
using PostNext.Abstractions.Calendar;
using PostNext.Abstractions.Posts;
using PostNext.Abstractions.Scheduling;
using PostNext.Grains.Analytics;

namespace PostNext.Grains.Tests.Analytics;

/// <summary>Best times are found in what the sandbox audience produced, and best_time scheduling takes the best free slot.</summary>
public sealed class BestTimeTests
{
    private const string Paris = "Europe/Paris";

    /// <summary>A coarser reading schedule (7 readings over 3 days): engagement has settled by the last one.</summary>
    private static readonly Dictionary<string, string?> QuickSchedule = new()
    {
        ["PostNext:Analytics:FirstHourInterval"] = "00:30:00",
        ["PostNext:Analytics:FirstDayInterval"] = "06:00:00",
        ["PostNext:Analytics:TrackFor"] = "3.00:00:00",
    };

    private static readonly TimeZoneInfo Zone = LocalTimes.FindZone(Paris)!;

    /// <summary>Monday 5 January 2026, 00:00 in Paris.</summary>
    private static readonly DateTimeOffset FirstMonday = LocalTimes.ToInstant(new DateTime(2026, 1, 5), Zone);

    private static readonly (DayOfWeek Day, int Hour)[] WeeklySlots =
    [
        (DayOfWeek.Monday, 18), (DayOfWeek.Tuesday, 9), (DayOfWeek.Tuesday, 12), (DayOfWeek.Tuesday, 18),
        (DayOfWeek.Tuesday, 21), (DayOfWeek.Wednesday, 18), (DayOfWeek.Thursday, 18), (DayOfWeek.Saturday, 11),
    ];

    private static readonly MediaItem[][] Formats =
    [
        [],
        [new("https://cdn.example.com/a.jpg", MediaType.Image)],
        [new("https://cdn.example.com/a.mp4", MediaType.Video)],
        [new("https://cdn.example.com/a.jpg", MediaType.Image), new("https://cdn.example.com/b.jpg", MediaType.Image)],
    ];

    [Fact]
    public async Task After_8_simulated_weeks_an_audience_peaking_tuesday_18h_in_Paris_ranks_that_slot_first_and_best_time_picks_it()
    {
        await using var cluster = await AnalyticsCluster.StartInMemoryAsync(FirstMonday, QuickSchedule);
        var (ws, account) = await cluster.CreateAccountAsync(Paris, new SandboxBehaviour(Followers: 12_000, PeakDay: DayOfWeek.Tuesday, PeakHour: 18, TimeZone: Paris));

        // Eight weeks of posts in eight weekly slots, each slot seeing every format equally often.
        var posts = new List<TrackPost>();
        for (var week = 0; week < 8; week++)
        {
            for (var i = 0; i < WeeklySlots.Length; i++)
            {
                var (day, hour) = WeeklySlots[i];
                var local = FirstMonday.DateTime.Date.AddDays(7 * week + ((int)day + 6) % 7).AddHours(hour);
                posts.Add(AnalyticsCluster.Published(ws, account, LocalTimes.ToInstant(local, Zone), $"week {week}", Formats[(week + i) % Formats.Length]));
            }
        }

        var end = posts.Max(p => p.PublishedAt).AddDays(4);
        var keys = await cluster.PlayAsync(posts, end);
        var engagement = cluster.Client.GetGrain<IAccountEngagementGrain>(account);
        var best = await engagement.GetBestTimesAsync();

        Assert.Equal(64, keys.Count);
        Assert.Equal(7, (await cluster.Metrics.ListPostSnapshotsAsync(posts[0].PostId, account)).Count); // 30 min, 1 h, 7 h, 13 h, 19 h, 2 d, 3 d
        Assert.Equal(BestTimeSource.History, best.Source);
        Assert.Equal(64, best.PostsConsidered);
        Assert.Equal((DayOfWeek.Tuesday, 18, BestTimeSource.History, 8), (best.Slots[0].Day, best.Slots[0].Hour, best.Slots[0].Source, best.Slots[0].Posts));
        Assert.Equal(WeeklySlots.Length, best.Slots.Count(s => s.Source == BestTimeSource.History));
        var tuesday18 = best.Heatmap.Single(c => c.Day == DayOfWeek.Tuesday && c.Hour == 18);
        Assert.Equal(best.Heatmap.Max(c => c.AverageScore), tuesday18.AverageScore);

        var now = cluster.Time.GetUtcNow();
        var picked = await engagement.ReserveBestTimeAsync(now, now.AddDays(8));
        Assert.Equal(NextLocal(DayOfWeek.Tuesday, 18, now), picked);

        // The slot is taken now: the next pick is another slot, at least the minimum gap (2 h) away.
        var second = await engagement.ReserveBestTimeAsync(now, now.AddDays(8));
        Assert.NotNull(second);
        Assert.True((second.Value - picked!.Value).Duration() >= TimeSpan.FromHours(2));
        var secondLocal = TimeZoneInfo.ConvertTime(second.Value, Zone);
        Assert.Equal((best.Slots[1].Day, best.Slots[1].Hour), (secondLocal.DayOfWeek, secondLocal.Hour));
    }

    [Fact]
    public async Task A_pending_publication_within_the_minimum_gap_keeps_best_time_off_that_slot()
    {
        var now = FirstMonday.AddHours(1);
        await using var cluster = await AnalyticsCluster.StartInMemoryAsync(now);
        var (ws, account) = await cluster.CreateAccountAsync(Paris);
        var engagement = cluster.Client.GetGrain<IAccountEngagementGrain>(account);
        var thin = await engagement.GetBestTimesAsync();
        Assert.Equal(BestTimeSource.Defaults, thin.Source);
        Assert.Equal((DayOfWeek.Wednesday, 12, 0), (thin.Slots[0].Day, thin.Slots[0].Hour, thin.Slots[0].Minute));

        var wednesdayNoon = NextLocal(DayOfWeek.Wednesday, 12, now);
        await cluster.Calendar.UpsertAsync(new CalendarEntry(
            ws, "post0123456789abcdef0123", account, "sandbox", PublicationStatus.Scheduled, wednesdayNoon.AddMinutes(-90), wednesdayNoon.AddMinutes(-90), null, 1));

        var picked = await engagement.ReserveBestTimeAsync(now, now.AddDays(7));

        Assert.Equal(NextLocal(DayOfWeek.Monday, 9, now), picked); // the second default slot: today, Monday 09:00
    }

    [Fact]
    public void A_window_without_a_free_hour_start_has_no_slot()
    {
        var ranking = new BestTimes("acc", "sandbox", Paris, BestTimeSource.Defaults, 0, [new BestTimeSlot(DayOfWeek.Tuesday, 18, 0, BestTimeSource.Defaults, 0, null)], []);
        var from = LocalTimes.ToInstant(new DateTime(2026, 1, 6, 18, 10, 0), Zone);

        Assert.Null(BestTimeFinder.Pick(ranking, from, from.AddMinutes(40), [], TimeSpan.FromHours(2), 0));
        Assert.Equal(from.AddMinutes(50), BestTimeFinder.Pick(ranking, from, from.AddMinutes(60), [], TimeSpan.FromHours(2), 0));
        Assert.Null(BestTimeFinder.Pick(ranking, from, from.AddMinutes(60), [from.AddMinutes(160)], TimeSpan.FromHours(2), 0));
    }

    /// <summary>The first local day/hour in Paris strictly after <paramref name="after"/> plus a minute.</summary>
    private static DateTimeOffset NextLocal(DayOfWeek day, int hour, DateTimeOffset after)
    {
        var local = TimeZoneInfo.ConvertTime(after, Zone).Date;
        for (var i = 0; i < 15; i++)
        {
            var at = LocalTimes.ToInstant(local.AddDays(i).AddHours(hour), Zone);
            if (local.AddDays(i).DayOfWeek == day && at > after.AddMinutes(1))
            {
                return at.ToUniversalTime();
            }
        }

        throw new InvalidOperationException("unreachable");
    }
}
