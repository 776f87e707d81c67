using System.Globalization;
using PostNext.Abstractions.Workspaces;
using PostNext.Api.Contracts;

namespace PostNext.Api.Http;

/// <summary>Queue slots as the API writes them: <c>{"day": "mon", "time": "09:30"}</c>.</summary>
public static class QueueSlotText
{
    private static readonly string[] Days = ["sun", "mon", "tue", "wed", "thu", "fri", "sat"];

    public static bool TryParse(QueueSlotDto? dto, out QueueSlot slot, out string problem)
    {
        slot = default!;
        problem = "";
        var day = dto?.Day?.Trim().ToLowerInvariant();
        // "mon", "monday", "Mon": any prefix of the English day name of at least three letters.
        var index = day is { Length: >= 3 } ? Array.FindIndex(Enum.GetNames<DayOfWeek>(), n => n.StartsWith(day, StringComparison.OrdinalIgnoreCase)) : -1;
        if (index < 0)
        {
            problem = "day must be one of mon, tue, wed, thu, fri, sat, sun.";
            return false;
        }

        if (!TimeOnly.TryParseExact(dto!.Time?.Trim(), ["HH:mm", "H:mm"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var time))
        {
            problem = "time must be a 24-hour local time like '09:30'.";
            return false;
        }

        slot = new QueueSlot((DayOfWeek)index, time);
        return true;
    }

    public static QueueSlotDto Format(QueueSlot slot) =>
        new(Days[(int)slot.Day], slot.Time.ToString("HH:mm", CultureInfo.InvariantCulture));
}
