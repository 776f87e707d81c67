using PostNext.Abstractions.Scheduling;
using PostNext.Api.Contracts;
using PostNext.Api.Http;

namespace PostNext.Api.Analytics;

/// <summary>Reads and writes the simulated-audience part of a sandbox account's settings.</summary>
public static class SandboxAudienceText
{
    public const long MaxFollowers = 1_000_000_000;

    private static readonly string[] Days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    /// <summary>Checks followers, peak day, peak hour and time zone, adding an error per bad field.</summary>
    public static (DayOfWeek? PeakDay, string? TimeZone) Read(SandboxSettings settings, RequestErrors errors)
    {
        if (settings.Followers is < 0 or > MaxFollowers)
        {
            errors.Add("sandbox.followers", $"Followers must be between 0 and {MaxFollowers}.");
        }

        if (settings.PeakHour is < 0 or > 23)
        {
            errors.Add("sandbox.peakHour", "The peak hour is 0 to 23 (local time).");
        }

        DayOfWeek? day = null;
        if (settings.PeakDay is { } text)
        {
            var index = Array.IndexOf(Days, text.Trim().ToLowerInvariant() is { Length: >= 3 } t ? t[..3] : "");
            if (index < 0 || !Enum.GetNames<DayOfWeek>()[index].StartsWith(text.Trim(), StringComparison.OrdinalIgnoreCase))
            {
                errors.Add("sandbox.peakDay", "The peak day is one of mon, tue, wed, thu, fri, sat, sun.");
            }
            else
            {
                day = (DayOfWeek)index;
            }
        }

        var zone = settings.TimeZone?.Trim();
        if (zone is not null && LocalTimes.FindZone(zone) is null)
        {
            errors.Add("sandbox.timeZone", $"'{zone}' is not a known IANA time zone.");
        }

        return (day, zone);
    }

    /// <summary>A day as the API writes it: <c>mon</c> … <c>sun</c>.</summary>
    public static string? Day(DayOfWeek? day) => day is { } d ? Days[(int)d] : null;
}
