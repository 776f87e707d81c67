using System.Globalization;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orleans;
using PostNext.Abstractions.Calendar;
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
            .WithSummary("Publications in [from, to) ordered by time, filtered by account, platform or status, each with the start of its text, why it waits, its permalink or its error; cursor paging.")
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

        QueryParameters.Platform(platform, errors);
        var statusFilter = QueryParameters.Enum<PublicationStatus>(status, "status", errors);
        var size = QueryParameters.Limit(limit, DefaultLimit, MaxLimit, errors);
        var after = QueryParameters.Cursor(cursor, DecodeCursor, errors);
        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }

        var page = await grains.GetGrain<ICalendarGrain>(ws).QueryAsync(
            new CalendarQuery(ws, start!.Value, end!.Value, accountId, platform, statusFilter, after, size));
        return TypedResults.Ok(new CalendarResponse(
            start.Value, end.Value,
            page.Entries.Select(x => new CalendarEntryResponse(
                x.PostId, x.AccountId, x.Platform, ApiNames.Of(x.Status), x.At, x.ScheduledAt, x.PublishedAt,
                x.Snippet, x.DeferReason, x.Permalink, x.Error is { } error ? new ErrorDto(ApiNames.Of(error.Category), error.Message) : null)).ToList(),
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

    private static string EncodeCursor(CalendarCursor c) => CursorText.Encode(c.At, c.PostId, c.AccountId);

    private static CalendarCursor? DecodeCursor(string text) =>
        CursorText.Decode(text, 2) is { } c ? new CalendarCursor(c.At, c.Keys[0], c.Keys[1]) : null;
}
