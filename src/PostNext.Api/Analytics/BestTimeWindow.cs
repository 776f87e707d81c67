using PostNext.Api.Contracts;
using PostNext.Api.Http;
using PostNext.Api.Posts;

namespace PostNext.Api.Analytics;

/// <summary>The window of a <c>best_time</c> schedule: <c>{"from": …, "to": …}</c>, instants or local times in the schedule's zone.</summary>
public static class BestTimeWindow
{
    /// <summary>Longest window best-time scheduling searches.</summary>
    public static readonly TimeSpan MaxLength = TimeSpan.FromDays(31);

    /// <summary>The window as instants, or null (with errors added) when it is missing or not usable.</summary>
    public static (DateTimeOffset From, DateTimeOffset To)? Read(BestTimeWindowDto? window, TimeZoneInfo? zone, DateTimeOffset now, RequestErrors errors)
    {
        if (window is null)
        {
            errors.Add("schedule.window", "mode 'best_time' needs a window: {\"from\": \"2026-12-01T00:00:00+01:00\", \"to\": \"2026-12-08T00:00:00+01:00\"}.");
            return null;
        }

        var ok = true;
        if (!PostRequestReader.TryParseInstant(window.From, zone, out var from, out var problem))
        {
            errors.Add("schedule.window.from", problem.Replace("at must", "from must", StringComparison.Ordinal));
            ok = false;
        }

        if (!PostRequestReader.TryParseInstant(window.To, zone, out var to, out problem))
        {
            errors.Add("schedule.window.to", problem.Replace("at must", "to must", StringComparison.Ordinal));
            ok = false;
        }

        if (!ok)
        {
            return null;
        }

        if (to <= from)
        {
            errors.Add("schedule.window", "The window's 'to' must be after its 'from'.");
            return null;
        }

        if (to <= now)
        {
            errors.Add("schedule.window.to", $"{to:O} is in the past; the window must reach into the future.");
            return null;
        }

        if (to - from > MaxLength)
        {
            errors.Add("schedule.window", $"The window is at most {MaxLength.TotalDays} days long.");
            return null;
        }

        return (from.ToUniversalTime(), to.ToUniversalTime());
    }
}
