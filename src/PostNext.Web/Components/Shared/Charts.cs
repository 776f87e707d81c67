using System.Globalization;
using System.Net;
using System.Text;
using Microsoft.AspNetCore.Components;

namespace PostNext.Web.Components.Shared;

/// <summary>Charts drawn on the server as SVG (no charting script): a line over points and labelled bars.</summary>
public static class Charts
{
    private const int Width = 640;
    private const int Height = 220;
    private const int Pad = 36;

    /// <summary>One line through (x, y) points, axes labelled with the extremes; the title is the chart's accessible name.</summary>
    public static MarkupString Line(string title, IReadOnlyList<(double X, double Y)> points, string xLabel, string yLabel)
    {
        var svg = Open(title);
        if (points.Count == 0)
        {
            svg.Append(Text(Width / 2, Height / 2, "No data yet", "middle"));
            return Close(svg);
        }

        var (minX, maxX) = (points.Min(p => p.X), points.Max(p => p.X));
        var maxY = Math.Max(1, points.Max(p => p.Y));
        double Sx(double x) => Pad + ((maxX > minX ? (x - minX) / (maxX - minX) : 0.5) * (Width - (2 * Pad)));
        double Sy(double y) => Height - Pad - (y / maxY * (Height - (2 * Pad)));
        Axes(svg, F(minX), F(maxX), F(maxY), xLabel, yLabel);
        svg.Append("<polyline fill=\"none\" stroke=\"#1d4ed8\" stroke-width=\"2.5\" points=\"")
            .AppendJoin(' ', points.Select(p => $"{F(Sx(p.X))},{F(Sy(p.Y))}")).Append("\"/>");
        foreach (var p in points)
        {
            svg.Append($"<circle cx=\"{F(Sx(p.X))}\" cy=\"{F(Sy(p.Y))}\" r=\"3\" fill=\"#1d4ed8\"><title>{Esc($"{xLabel} {F(p.X)}: {F(p.Y)} {yLabel}")}</title></circle>");
        }

        return Close(svg);
    }

    /// <summary>Vertical bars with a label under each (dates, days) and the value on hover.</summary>
    public static MarkupString Bars(string title, IReadOnlyList<(string Label, double Value)> bars, string yLabel)
    {
        var svg = Open(title);
        if (bars.Count == 0)
        {
            svg.Append(Text(Width / 2, Height / 2, "No data yet", "middle"));
            return Close(svg);
        }

        var max = Math.Max(1, bars.Max(b => b.Value));
        var slot = (Width - (2.0 * Pad)) / bars.Count;
        Axes(svg, bars[0].Label, bars[^1].Label, F(max), "", yLabel);
        for (var i = 0; i < bars.Count; i++)
        {
            var h = bars[i].Value / max * (Height - (2 * Pad));
            svg.Append($"<rect x=\"{F(Pad + (i * slot) + 1)}\" y=\"{F(Height - Pad - h)}\" width=\"{F(Math.Max(1, slot - 2))}\" height=\"{F(h)}\" fill=\"#137333\">")
                .Append($"<title>{Esc($"{bars[i].Label}: {F(bars[i].Value)} {yLabel}")}</title></rect>");
        }

        return Close(svg);
    }

    private static StringBuilder Open(string title) => new StringBuilder()
        .Append($"<svg class=\"chart\" viewBox=\"0 0 {Width} {Height}\" role=\"img\" aria-label=\"{Esc(title)}\" xmlns=\"http://www.w3.org/2000/svg\">")
        .Append($"<title>{Esc(title)}</title>");

    private static MarkupString Close(StringBuilder svg) => new(svg.Append("</svg>").ToString());

    private static void Axes(StringBuilder svg, string minX, string maxX, string maxY, string xLabel, string yLabel)
    {
        svg.Append($"<line x1=\"{Pad}\" y1=\"{Height - Pad}\" x2=\"{Width - Pad}\" y2=\"{Height - Pad}\" stroke=\"#4d5561\"/>")
            .Append($"<line x1=\"{Pad}\" y1=\"{Pad}\" x2=\"{Pad}\" y2=\"{Height - Pad}\" stroke=\"#4d5561\"/>")
            .Append(Text(Pad, Height - 12, minX, "start")).Append(Text(Width - Pad, Height - 12, maxX, "end"))
            .Append(Text(Width / 2, Height - 12, xLabel, "middle")).Append(Text(4, Pad - 8, $"{maxY} {yLabel}", "start"));
    }

    private static string Text(double x, double y, string text, string anchor) =>
        $"<text x=\"{F(x)}\" y=\"{F(y)}\" font-size=\"12\" fill=\"#1b1f24\" text-anchor=\"{anchor}\">{Esc(text)}</text>";

    private static string F(double v) => Math.Round(v, 1).ToString(CultureInfo.InvariantCulture);

    private static string Esc(string s) => WebUtility.HtmlEncode(s);
}
