using System.Globalization;
using System.Text;

namespace PostNext.Api.Http;

/// <summary>Paging cursors as the API hands them out: an instant and key parts, '|'-joined, in URL-safe base64 without padding.</summary>
public static class CursorText
{
    private const long MaxTicks = 3155378975999999999;

    public static string Encode(DateTimeOffset at, params string[] keys) =>
        Convert.ToBase64String(Encoding.UTF8.GetBytes(string.Join('|', [at.UtcTicks.ToString(CultureInfo.InvariantCulture), .. keys])))
            .TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>The instant and the <paramref name="keyCount"/> key parts of a cursor this API issued; null for anything else.</summary>
    public static (DateTimeOffset At, string[] Keys)? Decode(string text, int keyCount)
    {
        try
        {
            var padded = text.Replace('-', '+').Replace('_', '/');
            padded += new string('=', (4 - padded.Length % 4) % 4);
            var parts = Encoding.UTF8.GetString(Convert.FromBase64String(padded)).Split('|');
            return parts.Length == keyCount + 1
                   && long.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks) && ticks <= MaxTicks
                ? (new DateTimeOffset(ticks, TimeSpan.Zero), parts[1..])
                : null;
        }
        catch (FormatException)
        {
            return null;
        }
    }
}
