using System.Globalization;
using PostNext.Abstractions.Platforms;

namespace PostNext.Grains.Analytics;

/// <summary>
/// Platform-wide best times (local time, best first), used while an account's own history is too thin. Drawn from
/// common industry guidance; <c>PostNext:Analytics:DefaultBestTimes:&lt;platform&gt;</c> replaces a platform's list.
/// </summary>
public static class BestTimeDefaults
{
    private static readonly Dictionary<string, string[]> BuiltIn = new(StringComparer.Ordinal)
    {
        [PlatformIds.Instagram] = ["tue 11:00", "wed 11:00", "thu 14:00", "fri 10:00", "mon 11:00"],
        [PlatformIds.TikTok] = ["tue 16:00", "thu 17:00", "fri 17:00", "wed 19:00", "sun 20:00"],
        [PlatformIds.X] = ["tue 09:00", "wed 09:00", "thu 09:00", "mon 12:00", "fri 09:00"],
        [PlatformIds.LinkedIn] = ["tue 10:00", "wed 09:00", "thu 10:00", "wed 12:00", "tue 08:00"],
        [PlatformIds.YouTube] = ["fri 15:00", "sat 11:00", "sun 11:00", "thu 15:00", "wed 15:00"],
        [PlatformIds.Facebook] = ["tue 09:00", "wed 09:00", "thu 13:00", "fri 10:00", "mon 12:00"],
        [PlatformIds.Sandbox] = ["wed 12:00", "mon 09:00", "thu 17:00", "fri 11:00", "sat 10:00"],
    };

    private static readonly string[] AnyPlatform = ["wed 12:00", "tue 10:00", "thu 10:00"];

    /// <summary>The platform's default slots, best first (configured list if any, else the built-in one).</summary>
    public static IReadOnlyList<(DayOfWeek Day, int Hour, int Minute)> For(string platform, AnalyticsOptions options)
    {
        IEnumerable<string> texts = options.DefaultBestTimes.TryGetValue(platform, out var configured) && configured.Count > 0
            ? configured
            : BuiltIn.GetValueOrDefault(platform) ?? AnyPlatform;
        return texts.Select(Parse).Distinct().ToList();
    }

    /// <summary>Reads <c>"tue 18:00"</c> (any day-name prefix of at least three letters, 24-hour time).</summary>
    public static (DayOfWeek Day, int Hour, int Minute) Parse(string text)
    {
        var parts = text.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries);
        var day = parts.Length == 2 && parts[0].Length >= 3
            ? Array.FindIndex(Enum.GetNames<DayOfWeek>(), n => n.StartsWith(parts[0], StringComparison.OrdinalIgnoreCase))
            : -1;
        if (day < 0 || !TimeOnly.TryParseExact(parts[1], ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            throw new InvalidOperationException($"{AnalyticsOptions.SectionName}:DefaultBestTimes: '{text}' is not like 'tue 18:00'.");
        }

        return ((DayOfWeek)day, time.Hour, time.Minute);
    }
}
