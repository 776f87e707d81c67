using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orleans;
using PostNext.Abstractions;
using PostNext.Abstractions.Analytics;
using PostNext.Abstractions.Posts;
using PostNext.Api.Analytics;
using PostNext.Api.Contracts;
using PostNext.Api.Http;

namespace PostNext.Api.Apis;

/// <summary>Engagement analytics: workspace and account reports, best times (JSON and an SVG heatmap), each post's metrics history.</summary>
public static class AnalyticsApi
{
    /// <summary>Range used when <c>from</c>/<c>to</c> are left out: the last 30 days.</summary>
    public static readonly TimeSpan DefaultRange = TimeSpan.FromDays(30);

    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(400);

    public static IEndpointRouteBuilder MapAnalyticsApi(this IEndpointRouteBuilder endpoints)
    {
        var group = endpoints.MapWorkspaceGroup().WithTags("Analytics");
        group.MapGet("/analytics", WorkspaceAsync)
            .WithName("GetWorkspaceAnalytics")
            .WithSummary("Engagement of every account in [from, to) (default: the last 30 days): totals, daily series, rates, top posts, content types, hashtags, heatmap, one line per account.")
            .Produces<AnalyticsResponse>().ProducesValidationProblem();
        group.MapGet("/accounts/{accountId}/analytics", AccountAsync)
            .WithName("GetAccountAnalytics")
            .WithSummary("One account's engagement in [from, to): engagement rate and its health band, first-hour like velocity, series, top posts, content types, hashtags, heatmap.")
            .Produces<AnalyticsResponse>().ProducesValidationProblem();
        group.MapGet("/accounts/{accountId}/best-times", BestTimesAsync)
            .WithName("GetBestTimes")
            .WithSummary("The account's best weekly slots (workspace time zone), ranked from the last 16 weeks of posts, or platform defaults when history is thin.")
            .Produces<BestTimesResponse>();
        group.MapGet("/accounts/{accountId}/best-times.svg", BestTimesSvgAsync)
            .WithName("GetBestTimesHeatmap")
            .WithSummary("The account's hour-of-week engagement heatmap as an SVG image, best slots outlined.")
            .Produces<string>(StatusCodes.Status200OK, BestTimesSvg.ContentType);
        group.MapGet("/posts/{postId}/metrics", PostMetricsAsync)
            .WithName("GetPostMetrics")
            .WithSummary("A post's metrics history per target: every reading since publishing (5-minutely in the first hour, hourly to a day, daily to 30 days).")
            .Produces<PostMetricsResponse>();
        return endpoints;
    }

    private static async Task<IResult> WorkspaceAsync(HttpContext http, IGrainFactory grains, TimeProvider time, string? from, string? to)
    {
        var workspace = http.WorkspaceId();
        if (ReadRange(from, to, time.GetUtcNow()) is not { } range)
        {
            return RangeProblem(from, to, time.GetUtcNow());
        }

        var report = await grains.GetGrain<IWorkspaceAnalyticsGrain>(workspace).GetReportAsync(range.From, range.To);
        return TypedResults.Ok(AnalyticsMapping.ToResponse(report, workspace, null));
    }

    private static async Task<IResult> AccountAsync(HttpContext http, string accountId, IGrainFactory grains, TimeProvider time, string? from, string? to)
    {
        var ws = http.WorkspaceId();
        if (await AccountsApi.FindAsync(grains, ws, accountId) is null)
        {
            return Problems.NotFound("The account");
        }

        if (ReadRange(from, to, time.GetUtcNow()) is not { } range)
        {
            return RangeProblem(from, to, time.GetUtcNow());
        }

        var report = await grains.GetGrain<IAccountEngagementGrain>(accountId).GetReportAsync(range.From, range.To);
        return TypedResults.Ok(AnalyticsMapping.ToResponse(report, ws, accountId));
    }

    private static async Task<IResult> BestTimesAsync(HttpContext http, string accountId, IGrainFactory grains, TimeProvider time)
    {
        if (await AccountsApi.FindAsync(grains, http.WorkspaceId(), accountId) is null)
        {
            return Problems.NotFound("The account");
        }

        var best = await grains.GetGrain<IAccountEngagementGrain>(accountId).GetBestTimesAsync();
        return TypedResults.Ok(AnalyticsMapping.ToResponse(best, time.GetUtcNow()));
    }

    private static async Task<IResult> BestTimesSvgAsync(HttpContext http, string accountId, IGrainFactory grains)
    {
        if (await AccountsApi.FindAsync(grains, http.WorkspaceId(), accountId) is not { } account)
        {
            return Problems.NotFound("The account");
        }

        var best = await grains.GetGrain<IAccountEngagementGrain>(accountId).GetBestTimesAsync();
        return TypedResults.Text(BestTimesSvg.Render(best, account.Handle), BestTimesSvg.ContentType);
    }

    private static async Task<IResult> PostMetricsAsync(HttpContext http, string postId, IGrainFactory grains)
    {
        var post = Ids.IsValid(postId, Ids.Post) ? await grains.GetGrain<IPostGrain>(postId).GetAsync() : null;
        if (post is null || post.WorkspaceId != http.WorkspaceId())
        {
            return Problems.NotFound("The post");
        }

        var series = await Task.WhenAll(post.Targets.Select(t => grains.GetGrain<IPostMetricsGrain>(PublicationKey.For(postId, t.AccountId)).GetSeriesAsync()));
        return TypedResults.Ok(new PostMetricsResponse(postId, post.Targets.Select((t, i) => AnalyticsMapping.ToResponse(t, series[i])).ToList()));
    }

    /// <summary>[from, to) from the query (ISO 8601; without an offset read as UTC), defaulting to the last 30 days; null when invalid.</summary>
    private static (DateTimeOffset From, DateTimeOffset To)? ReadRange(string? from, string? to, DateTimeOffset now)
    {
        var end = to is null ? now : Parse(to);
        var start = from is null ? (end > DateTimeOffset.MinValue + DefaultRange ? end - DefaultRange : null) : Parse(from);
        return start is { } s && end is { } e && s < e && e - s <= MaxRange ? (s, e) : null;
    }

    private static IResult RangeProblem(string? from, string? to, DateTimeOffset now)
    {
        var errors = new RequestErrors();
        if (from is not null && Parse(from) is null)
        {
            errors.Add("from", "from must be an ISO 8601 date-time between the years 2000 and 2199, such as 2026-12-01T00:00:00Z.");
        }

        if (to is not null && Parse(to) is null)
        {
            errors.Add("to", "to must be an ISO 8601 date-time between the years 2000 and 2199, such as 2026-12-31T00:00:00Z.");
        }

        if (!errors.Any)
        {
            errors.Add("to", $"to must be after from, and the range at most {MaxRange.TotalDays} days (without 'to' the range ends now, {now:O}).");
        }

        return Problems.Invalid(errors);
    }

    /// <summary>An instant between the years 2000 and 2200 (reports compute days around it; the far ends of the calendar overflow).</summary>
    private static DateTimeOffset? Parse(string text) =>
        DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value) && value.Year is >= 2000 and < 2200
            ? value.ToUniversalTime()
            : null;
}
