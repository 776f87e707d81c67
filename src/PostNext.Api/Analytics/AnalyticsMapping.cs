using System.Globalization;
using PostNext.Abstractions.Analytics;
using PostNext.Abstractions.Posts;
using PostNext.Abstractions.Scheduling;
using PostNext.Api.Contracts;
using PostNext.Api.Http;

namespace PostNext.Api.Analytics;

/// <summary>From analytics records to the JSON the API returns (rates and averages rounded to 4 decimals).</summary>
public static class AnalyticsMapping
{
    private static readonly string[] Days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    public static string DayName(DayOfWeek day) => Days[(int)day];

    public static AnalyticsResponse ToResponse(EngagementReport r, string workspaceId, string? accountId) => new(
        workspaceId, accountId, r.From, r.To, r.TimeZone, r.Followers, r.FollowersChange, r.PostsPublished,
        new EngagementTotalsDto(r.Totals.Likes, r.Totals.Comments, r.Totals.Shares, r.Totals.Saves, r.Totals.Impressions, r.Totals.Views, r.Totals.Interactions),
        ToDto(r.Rates), ToDto(r.Health), Round(r.AverageFirstHourLikesPerMinute),
        r.Daily.Select(d => new DailyEngagementDto(
            d.Day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture), d.Likes, d.Comments, d.Shares, d.Saves, d.Impressions, d.Views,
            d.Interactions, d.PostsPublished, d.Followers)).ToList(),
        r.TopPosts.Select(ToDto).ToList(),
        r.ContentKinds.Select(k => new ContentTypeDto(ApiNames.Of(k.Kind), k.Posts, Round(k.AverageInteractions), Round(k.AverageRate))).ToList(),
        r.Hashtags.Select(h => new HashtagDto(h.Hashtag, h.Uses, Round(h.AverageInteractions), Round(h.AverageRate))).ToList(),
        Rows(r.Heatmap),
        accountId is null
            ? r.Accounts.Select(a => new AccountAnalyticsDto(a.AccountId, a.Platform, a.Followers, a.PostsPublished, a.Interactions, ToDto(a.Rates), ToDto(a.Health))).ToList()
            : null);

    public static BestTimesResponse ToResponse(BestTimes b, DateTimeOffset now)
    {
        var zone = LocalTimes.FindZone(b.TimeZone) ?? TimeZoneInfo.Utc;
        return new BestTimesResponse(
            b.AccountId, b.Platform, b.TimeZone, ApiNames.Of(b.Source), b.PostsConsidered,
            b.Slots.Select((s, i) => new BestTimeSlotDto(
                i + 1, DayName(s.Day), $"{s.Hour:00}:{s.Minute:00}", ApiNames.Of(s.Source), s.Posts, Round(s.AverageScore), NextAt(s, zone, now))).ToList(),
            Rows(b.Heatmap));
    }

    public static TargetMetricsDto ToResponse(PostTargetView target, PostMetricsSeries? series)
    {
        var status = target.Publication is { } p ? ApiNames.Of(p.Status) : "draft";
        if (series is null)
        {
            return new TargetMetricsDto(target.AccountId, target.Platform, status, target.Publication?.PublishedAt, null, null, 0, null, false, null, []);
        }

        return new TargetMetricsDto(
            target.AccountId, target.Platform, status, series.PublishedAt, ApiNames.Of(series.ContentKind), Round(series.FirstHourLikesPerMinute),
            series.Progress.Readings, series.Progress.NextReadingAt, series.Progress.Finished, series.Progress.LastError,
            series.Readings.Select(m => new MetricsReadingDto(
                m.ReadAt, Math.Round((m.ReadAt - series.PublishedAt).TotalMinutes, 2), m.Likes, m.Comments, m.Shares, m.Impressions, m.Views, m.Saves)).ToList());
    }

    /// <summary>The heatmap as 7 rows (Monday first) of 24 hours.</summary>
    public static IReadOnlyList<HeatmapRowDto> Rows(IReadOnlyList<HeatmapCell> cells) =>
        cells.GroupBy(c => c.Day)
            .Select(g => new HeatmapRowDto(DayName(g.Key), g.OrderBy(c => c.Hour).Select(c => new HeatmapCellDto(c.Hour, c.Posts, Round(c.AverageScore))).ToList()))
            .ToList();

    private static PostEngagementDto ToDto(PostEngagement p) => new(
        p.PostId, p.AccountId, p.Platform, p.PublishedAt, ApiNames.Of(p.Kind), p.Hashtags, p.Likes, p.Comments, p.Shares, p.Saves,
        p.Impressions, p.Views, p.Interactions, Round(p.RateByFollowers), Round(p.RateByImpressions), Round(p.FirstHourLikesPerMinute), p.LastReadAt);

    private static EngagementRatesDto ToDto(EngagementRates r) => new(Round(r.ByFollowers), Round(r.ByImpressions));

    private static HealthBandDto? ToDto(HealthBand? h) =>
        h is null ? null : new HealthBandDto(h.Followers, Round(h.HealthyLow), Round(h.HealthyHigh), ApiNames.Of(h.Level));

    /// <summary>The next time the weekly slot comes round after now.</summary>
    private static DateTimeOffset NextAt(BestTimeSlot slot, TimeZoneInfo zone, DateTimeOffset now)
    {
        var today = TimeZoneInfo.ConvertTime(now, zone).Date;
        for (var i = 0; i <= 7; i++)
        {
            var day = today.AddDays(i);
            if (day.DayOfWeek != slot.Day)
            {
                continue;
            }

            var at = LocalTimes.ToInstant(day.AddHours(slot.Hour).AddMinutes(slot.Minute), zone);
            if (at > now)
            {
                return at;
            }
        }

        return LocalTimes.ToInstant(today.AddDays(7).AddHours(slot.Hour).AddMinutes(slot.Minute), zone);
    }

    private static double Round(double value) => Math.Round(value, 4);

    private static double? Round(double? value) => value is { } v ? Math.Round(v, 4) : null;
}
