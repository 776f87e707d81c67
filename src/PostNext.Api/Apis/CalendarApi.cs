using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orleans;
using PostNext.Abstractions.Calendar;
using PostNext.Abstractions.Platforms;
using PostNext.Abstractions.Posts;
using PostNext.Api.Contracts;
using PostNext.Api.Http;

namespace PostNext.Api.Apis;

/// <summary>The content calendar: every publication in a time range, in order, page by page.</summary>
public static class CalendarApi
{
    public const int DefaultLimit = 100;
    public const int MaxLimit = 1000;
    public static readonly TimeSpan MaxRange = TimeSpan.FromDays(366);

    public static IEndpointRouteBuilder MapCalendarApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapWorkspaceGroup().MapGet("/calendar", QueryAsync)
            .WithTags("Calendar").WithName("GetCalendar")
            .WithSummary("Publications in [from, to) ordered by time, filtered by account, platform or status; cursor paging.")
            .Produces<CalendarResponse>()
            .ProducesValidationProblem();
        return endpoints;
    }

    private static async Task<IResult> QueryAsync(
        HttpContext http, IGrainFactory grains, string? from, string? to, string? accountId, string? platform, string? status, string? cursor, string? limit)
    {
        var ws = http.WorkspaceId();
        var errors = new RequestErrors();
        var start = ParseInstant(from, "from", errors);
        var end = ParseInstant(to, "to", errors);
        if (start is { } s && end is { } e && (e <= s || e - s > MaxRange))
        {
            errors.Add("to", $"to must be after from, and the range at most {MaxRange.TotalDays} days.");
        }

        if (platform is not null && !PlatformIds.IsKnown(platform))
        {
            errors.Add("platform", $"Unknown platform; use one of: {string.Join(", ", PlatformIds.All)}.");
        }

        PublicationStatus? statusFilter = null;
        if (status is not null)
        {
            if (ApiNames.TryParse<PublicationStatus>(status, out var parsed))
            {
                statusFilter = parsed;
            }
            else
            {
                errors.Add("status", $"status must be one of: {ApiNames.All<PublicationStatus>()}.");
            }
        }

        var size = DefaultLimit;
        if (limit is not null && (!int.TryParse(limit, NumberStyles.None, CultureInfo.InvariantCulture, out size) || size is < 1 or > MaxLimit))
        {
            errors.Add("limit", $"limit must be an integer from 1 to {MaxLimit}.");
        }

        var after = cursor is null ? null : DecodeCursor(cursor);
        if (cursor is not null && after is null)
        {
            errors.Add("cursor", "The cursor is not one this API issued.");
        }

        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }

        var page = await grains.GetGrain<ICalendarGrain>(ws).QueryAsync(
            new CalendarQuery(ws, start!.Value, end!.Value, accountId, platform, statusFilter, after, size));
        return TypedResults.Ok(new CalendarResponse(
            start.Value, end.Value,
            page.Entries.Select(x => new CalendarEntryResponse(x.PostId, x.AccountId, x.Platform, ApiNames.Of(x.Status), x.At, x.ScheduledAt, x.PublishedAt)).ToList(),
            page.Next is null ? null : EncodeCursor(page.Next)));
    }

    private static DateTimeOffset? ParseInstant(string? text, string field, RequestErrors errors)
    {
        if (text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            return value.ToUniversalTime();
        }

        errors.Add(field, $"{field} is required: an ISO 8601 date-time such as 2026-12-01T00:00:00Z.");
        return null;
    }

    private static string EncodeCursor(CalendarCursor c) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes($"{c.At.UtcTicks}|{c.PostId}|{c.AccountId}")).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    private static CalendarCursor? DecodeCursor(string text)
    {
        try
        {
            var padded = text.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Split('|');
            return parts.Length == 3 && long.TryParse(parts[0], CultureInfo.InvariantCulture, out var ticks) && ticks is >= 0 and <= 3155378975999999999
                ? new CalendarCursor(new DateTimeOffset(ticks, TimeSpan.Zero), parts[1], parts[2])
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
