using PostNext.Abstractions.Analytics;
using PostNext.Abstractions.Scheduling;

namespace PostNext.Grains.Analytics;

/// <summary>Turns accounts' raw figures into a report: totals, rates, health, velocity, series, top posts, kinds, hashtags, heatmap.</summary>
public static class EngagementReports
{
    /// <summary>
    /// A report over the given accounts' facts. Rates are averages of the posts' own rates (percent); the health band
    /// is given for a single account only (a workspace mixes account sizes; each account line has its own).
    /// </summary>
    public static EngagementReport Build(
        DateTimeOffset from, DateTimeOffset to, string timeZone, IReadOnlyList<EngagementFacts> facts, AnalyticsOptions options)
    {
        var zone = LocalTimes.FindZone(timeZone) ?? TimeZoneInfo.Utc;
        var posts = facts.SelectMany(f => f.Posts).ToList();
        var daily = Series(from, to, zone, facts);
        var totals = new EngagementTotals(
            daily.Sum(d => d.Likes), daily.Sum(d => d.Comments), daily.Sum(d => d.Shares), daily.Sum(d => d.Saves),
            daily.Sum(d => d.Impressions), daily.Sum(d => d.Views), daily.Sum(d => d.Interactions));
        var rates = RatesOf(posts);
        var followers = SumKnown(facts.Select(f => f.Followers));
        var change = SumKnown(facts.Select(f => f.Followers is { } now && f.FollowersAtStart is { } start ? now - start : (long?)null));
        var accounts = facts.Select(f =>
        {
            var accountRates = RatesOf(f.Posts);
            return new AccountEngagementSummary(
                f.AccountId, f.Platform, f.Followers, f.Posts.Count, f.Posts.Sum(p => p.Interactions), accountRates,
                HealthBands.For(f.Followers, accountRates.ByFollowers));
        }).ToList();

        return new EngagementReport(
            from, to, timeZone, followers, change, posts.Count, totals, rates,
            facts.Count == 1 ? accounts[0].Health : null,
            Average(posts.Select(p => p.FirstHourLikesPerMinute)),
            daily,
            posts.OrderByDescending(p => p.Interactions).ThenByDescending(p => p.RateByFollowers ?? 0).ThenBy(p => p.PublishedAt)
                .Take(options.TopPosts).ToList(),
            ContentKinds(posts),
            Hashtags(posts, options.TopHashtags),
            Heatmap(posts, zone),
            accounts);
    }

    /// <summary>What best times and the heatmap rank by: the engagement rate by followers, or raw interactions when followers are unknown.</summary>
    public static double Score(PostEngagement post) => post.RateByFollowers ?? post.Interactions;

    /// <summary>The average rates (percent) of the posts that have them.</summary>
    public static EngagementRates RatesOf(IReadOnlyCollection<PostEngagement> posts) =>
        new(Average(posts.Select(p => p.RateByFollowers)), Average(posts.Select(p => p.RateByImpressions)));

    /// <summary>Every kind, in enum order, with its posts' average interactions and rate.</summary>
    public static IReadOnlyList<ContentKindPerformance> ContentKinds(IReadOnlyCollection<PostEngagement> posts) =>
        Enum.GetValues<ContentKind>()
            .Select(kind =>
            {
                var of = posts.Where(p => p.Kind == kind).ToList();
                return new ContentKindPerformance(
                    kind, of.Count, of.Count == 0 ? 0 : of.Average(p => (double)p.Interactions), Average(of.Select(p => p.RateByFollowers)));
            })
            .ToList();

    /// <summary>Each hashtag's uses (posts carrying it) and those posts' average interactions and rate; most used first.</summary>
    public static IReadOnlyList<HashtagPerformance> Hashtags(IReadOnlyCollection<PostEngagement> posts, int limit) =>
        posts.SelectMany(p => p.Hashtags.Select(tag => (Tag: tag, Post: p)))
            .GroupBy(x => x.Tag, StringComparer.Ordinal)
            .Select(g => new HashtagPerformance(
                g.Key, g.Count(), g.Average(x => (double)x.Post.Interactions), Average(g.Select(x => x.Post.RateByFollowers))))
            .OrderByDescending(h => h.Uses).ThenByDescending(h => h.AverageInteractions).ThenBy(h => h.Hashtag, StringComparer.Ordinal)
            .Take(limit)
            .ToList();

    /// <summary>168 cells, Monday 00:00 first, local time in <paramref name="zone"/>: posts published in each hour and their average score.</summary>
    public static IReadOnlyList<HeatmapCell> Heatmap(IEnumerable<PostEngagement> posts, TimeZoneInfo zone)
    {
        var byCell = posts
            .GroupBy(p =>
            {
                var local = TimeZoneInfo.ConvertTime(p.PublishedAt, zone);
                return (local.DayOfWeek, local.Hour);
            })
            .ToDictionary(g => g.Key, g => (Count: g.Count(), Average: g.Average(Score)));
        return WeekOrder
            .SelectMany(day => Enumerable.Range(0, 24).Select(hour =>
                byCell.TryGetValue((day, hour), out var cell)
                    ? new HeatmapCell(day, hour, cell.Count, cell.Average)
                    : new HeatmapCell(day, hour, 0, null)))
            .ToList();
    }

    /// <summary>Days of the week as rows are shown: Monday first.</summary>
    public static readonly IReadOnlyList<DayOfWeek> WeekOrder =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    /// <summary>Local days overlapping [from, to), each once (zeros where nothing happened), accounts summed.</summary>
    private static IReadOnlyList<DailyEngagement> Series(DateTimeOffset from, DateTimeOffset to, TimeZoneInfo zone, IReadOnlyList<EngagementFacts> facts)
    {
        var first = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(from, zone).DateTime);
        var last = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(to.AddTicks(-1), zone).DateTime);
        var byDay = facts.SelectMany(f => f.Daily).GroupBy(d => d.Day).ToDictionary(g => g.Key, g => g.ToList());
        var series = new List<DailyEngagement>();
        for (var day = first; day <= last; day = day.AddDays(1))
        {
            if (!byDay.TryGetValue(day, out var rows))
            {
                series.Add(new DailyEngagement(day, 0, 0, 0, 0, 0, 0, 0, null));
                continue;
            }

            series.Add(new DailyEngagement(
                day, rows.Sum(r => r.Likes), rows.Sum(r => r.Comments), rows.Sum(r => r.Shares), rows.Sum(r => r.Saves),
                rows.Sum(r => r.Impressions), rows.Sum(r => r.Views), rows.Sum(r => r.PostsPublished), SumKnown(rows.Select(r => r.Followers))));
        }

        return series;
    }

    private static double? Average(IEnumerable<double?> values)
    {
        var known = values.OfType<double>().ToList();
        return known.Count == 0 ? null : known.Average();
    }

    private static long? SumKnown(IEnumerable<long?> values)
    {
        var known = values.OfType<long>().ToList();
        return known.Count == 0 ? null : known.Sum();
    }
}
