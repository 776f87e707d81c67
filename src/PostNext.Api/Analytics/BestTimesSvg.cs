using System.Globalization;
using System.Security;
using System.Text;
using PostNext.Abstractions.Analytics;

namespace PostNext.Api.Analytics;

/// <summary>
/// The hour-of-week heatmap as an SVG a person can look at: 7 rows (Monday first) × 24 hours, coloured from pale to
/// deep blue by average score, empty hours grey, the top three slots outlined and numbered, a legend, a title.
/// </summary>
public static class BestTimesSvg
{
    public const string ContentType = "image/svg+xml";

    private const int Cell = 30;
    private const int CellHeight = 26;
    private const int Left = 56;
    private const int Top = 78;
    private const int Width = Left + 24 * Cell + 24;
    private const int Height = Top + 7 * CellHeight + 74;

    /// <summary>Pale to deep blue; scores are mapped onto it between the heatmap's lowest and highest average.</summary>
    private static readonly (double At, (int R, int G, int B) Colour)[] Scale =
    [
        (0.00, (208, 225, 242)),
        (0.25, (158, 202, 225)),
        (0.50, (107, 174, 214)),
        (0.75, (33, 113, 181)),
        (1.00, (8, 48, 107)),
    ];

    private static readonly DayOfWeek[] WeekOrder =
        [DayOfWeek.Monday, DayOfWeek.Tuesday, DayOfWeek.Wednesday, DayOfWeek.Thursday, DayOfWeek.Friday, DayOfWeek.Saturday, DayOfWeek.Sunday];

    private const string Empty = "#f3f3f3";
    private const string Highlight = "#f28e2b";

    public static string Render(BestTimes best, string handle)
    {
        var scored = best.Heatmap.Where(c => c.AverageScore is not null).Select(c => c.AverageScore!.Value).ToList();
        var (low, high) = scored.Count == 0 ? (0.0, 1.0) : (scored.Min(), scored.Max());
        var top = best.Slots.Where(s => s.Source == BestTimeSource.History).Take(3).ToList();

        var svg = new StringBuilder();
        svg.Append(Invariant($"""<svg xmlns="http://www.w3.org/2000/svg" width="{Width}" height="{Height}" viewBox="0 0 {Width} {Height}" font-family="system-ui, -apple-system, 'Segoe UI', sans-serif" role="img">"""));
        var title = $"Best times for @{handle} ({best.Platform})";
        svg.Append(Invariant($"<title>{Escape(title)}</title>"));
        svg.Append(Invariant($"""<rect width="{Width}" height="{Height}" fill="#ffffff"/>"""));
        svg.Append(Invariant($"""<text x="{Left}" y="26" font-size="17" font-weight="600" fill="#1b1b1b">{Escape(title)}</text>"""));
        var subtitle = best.Source == BestTimeSource.History
            ? $"Average engagement rate by local hour of posting, last 16 weeks ({best.PostsConsidered} posts), {best.TimeZone}"
            : $"Not enough history yet ({best.PostsConsidered} posts): platform defaults shown, {best.TimeZone}";
        svg.Append(Invariant($"""<text x="{Left}" y="46" font-size="12" fill="#555555">{Escape(subtitle)}</text>"""));

        for (var hour = 0; hour < 24; hour += 1)
        {
            var x = Left + hour * Cell + Cell / 2;
            svg.Append(Invariant($"""<text x="{x}" y="{Top - 8}" font-size="10" fill="#555555" text-anchor="middle">{hour:00}</text>"""));
        }

        for (var row = 0; row < 7; row++)
        {
            var day = WeekOrder[row];
            var y = Top + row * CellHeight;
            svg.Append(Invariant($"""<text x="{Left - 10}" y="{y + CellHeight / 2 + 4}" font-size="12" fill="#333333" text-anchor="end">{DayLabel(day)}</text>"""));
            foreach (var cell in best.Heatmap.Where(c => c.Day == day).OrderBy(c => c.Hour))
            {
                var x = Left + cell.Hour * Cell;
                var fill = cell.AverageScore is { } score ? Colour(high > low ? (score - low) / (high - low) : 1) : Empty;
                var tip = cell.Posts == 0
                    ? $"{DayLabel(day)} {cell.Hour:00}:00 — no posts"
                    : $"{DayLabel(day)} {cell.Hour:00}:00 — {cell.Posts} post(s), average {cell.AverageScore:0.##}";
                svg.Append(Invariant($"""<rect class="cell" x="{x + 1}" y="{y + 1}" width="{Cell - 2}" height="{CellHeight - 2}" rx="3" fill="{fill}"><title>{Escape(tip)}</title></rect>"""));
            }
        }

        for (var rank = 0; rank < top.Count; rank++)
        {
            var slot = top[rank];
            var x = Left + slot.Hour * Cell;
            var y = Top + Array.IndexOf(WeekOrder, slot.Day) * CellHeight;
            svg.Append(Invariant($"""<rect x="{x}" y="{y}" width="{Cell}" height="{CellHeight}" rx="4" fill="none" stroke="{Highlight}" stroke-width="2.5"/>"""));
            svg.Append(Invariant($"""<text x="{x + Cell / 2}" y="{y + CellHeight / 2 + 4}" font-size="11" font-weight="700" fill="#ffffff" stroke="#000000" stroke-width="0.3" text-anchor="middle">{rank + 1}</text>"""));
        }

        Legend(svg, low, high, scored.Count > 0);
        svg.Append("</svg>");
        return svg.ToString();
    }

    private static void Legend(StringBuilder svg, double low, double high, bool any)
    {
        var y = Top + 7 * CellHeight + 24;
        svg.Append("""<defs><linearGradient id="scale" x1="0" x2="1" y1="0" y2="0">""");
        foreach (var (at, (r, g, b)) in Scale)
        {
            svg.Append(Invariant($"""<stop offset="{at:0.##}" stop-color="rgb({r},{g},{b})"/>"""));
        }

        svg.Append("</linearGradient></defs>");
        svg.Append(Invariant($"""<rect x="{Left}" y="{y}" width="200" height="12" rx="2" fill="url(#scale)"/>"""));
        svg.Append(Invariant($"""<text x="{Left}" y="{y + 28}" font-size="11" fill="#555555">{(any ? $"{low:0.##}" : "low")}</text>"""));
        svg.Append(Invariant($"""<text x="{Left + 200}" y="{y + 28}" font-size="11" fill="#555555" text-anchor="end">{(any ? $"{high:0.##}" : "high")}</text>"""));
        svg.Append(Invariant($"""<text x="{Left + 100}" y="{y + 28}" font-size="11" fill="#555555" text-anchor="middle">engagement rate %</text>"""));
        svg.Append(Invariant($"""<rect x="{Left + 230}" y="{y}" width="12" height="12" rx="2" fill="{Empty}"/>"""));
        svg.Append(Invariant($"""<text x="{Left + 248}" y="{y + 10}" font-size="11" fill="#555555">no posts</text>"""));
        svg.Append(Invariant($"""<rect x="{Left + 318}" y="{y - 1}" width="14" height="14" rx="3" fill="none" stroke="{Highlight}" stroke-width="2.5"/>"""));
        svg.Append(Invariant($"""<text x="{Left + 338}" y="{y + 10}" font-size="11" fill="#555555">best slots (ranked)</text>"""));
    }

    private static string Colour(double t)
    {
        t = Math.Clamp(t, 0, 1);
        for (var i = 1; i < Scale.Length; i++)
        {
            if (t <= Scale[i].At)
            {
                var (a, b) = (Scale[i - 1], Scale[i]);
                var f = (t - a.At) / (b.At - a.At);
                int Mix(int from, int to) => (int)Math.Round(from + (to - from) * f);
                return $"#{Mix(a.Colour.R, b.Colour.R):x2}{Mix(a.Colour.G, b.Colour.G):x2}{Mix(a.Colour.B, b.Colour.B):x2}";
            }
        }

        return "#08306b";
    }

    private static string DayLabel(DayOfWeek day) => CultureInfo.InvariantCulture.DateTimeFormat.GetAbbreviatedDayName(day);

    private static string Escape(string text) => SecurityElement.Escape(text);

    private static string Invariant(FormattableString text) => FormattableString.Invariant(text);
}
