using System.Diagnostics.Metrics;
using System.Text;
using System.Text.RegularExpressions;

namespace PostNext.Hosting.Tests.Deploy;

/// <summary>
/// The Prometheus names an OpenTelemetry instrument is exported under: dots and dashes as underscores, the unit as a
/// suffix (<c>s</c> → <c>_seconds</c>, <c>By</c> → <c>_bytes</c>; annotations in braces dropped), <c>_total</c> on
/// counters, <c>_bucket</c>/<c>_sum</c>/<c>_count</c> on histograms.
/// </summary>
internal static partial class PrometheusNames
{
    public static IEnumerable<string> Of(Instrument instrument)
    {
        var name = Sanitize(instrument.Name);
        var unit = UnitSuffix(instrument.Unit);
        if (unit.Length > 0 && !name.EndsWith("_" + unit, StringComparison.Ordinal))
        {
            name = $"{name}_{unit}";
        }

        var type = instrument.GetType();
        var generic = type.IsGenericType ? type.GetGenericTypeDefinition() : type;
        if (generic == typeof(Histogram<>))
        {
            return [name, $"{name}_bucket", $"{name}_sum", $"{name}_count"];
        }

        if (generic == typeof(Counter<>) || generic == typeof(ObservableCounter<>))
        {
            return [name.EndsWith("_total", StringComparison.Ordinal) ? name : $"{name}_total"];
        }

        return [name];
    }

    /// <summary>Metric names a PromQL expression selects (not functions, keywords, labels, durations or strings).</summary>
    public static IReadOnlySet<string> InQuery(string promql)
    {
        var text = Strings().Replace(promql, " ");
        text = Braces().Replace(text, " ");
        text = Brackets().Replace(text, " ");
        text = Groupings().Replace(text, " ");
        var names = new HashSet<string>(StringComparer.Ordinal);
        foreach (Match match in Identifiers().Matches(text))
        {
            var word = match.Groups["name"].Value;
            var isCall = match.Groups["call"].Success;
            if (!isCall && !Keywords.Contains(word) && !word.StartsWith("$", StringComparison.Ordinal))
            {
                names.Add(word);
            }
        }

        return names;
    }

    private static readonly HashSet<string> Keywords = new(StringComparer.Ordinal)
    {
        "by", "without", "on", "ignoring", "group_left", "group_right", "bool", "and", "or", "unless", "offset", "inf", "nan", "atan2",
    };

    private static string Sanitize(string name)
    {
        var builder = new StringBuilder(name.Length);
        foreach (var c in name)
        {
            builder.Append(char.IsAsciiLetterOrDigit(c) || c == '_' || c == ':' ? c : '_');
        }

        return Underscores().Replace(builder.ToString(), "_");
    }

    private static string UnitSuffix(string? unit) => unit switch
    {
        null or "" or "1" => "",
        "d" => "days",
        "h" => "hours",
        "min" => "minutes",
        "s" => "seconds",
        "ms" => "milliseconds",
        "us" => "microseconds",
        "ns" => "nanoseconds",
        "By" or "B" => "bytes",
        "KiBy" => "kibibytes",
        "MiBy" => "mebibytes",
        "GiBy" => "gibibytes",
        "KBy" or "KB" => "kilobytes",
        "MBy" or "MB" => "megabytes",
        "GBy" or "GB" => "gigabytes",
        "%" => "percent",
        _ when unit.StartsWith('{') => "",
        _ => Sanitize(unit.Replace("/", "_per_", StringComparison.Ordinal)),
    };

    [GeneratedRegex("_+")]
    private static partial Regex Underscores();

    [GeneratedRegex("\"(?:[^\"\\\\]|\\\\.)*\"|'(?:[^'\\\\]|\\\\.)*'")]
    private static partial Regex Strings();

    [GeneratedRegex(@"\{[^}]*\}")]
    private static partial Regex Braces();

    [GeneratedRegex(@"\[[^\]]*\]")]
    private static partial Regex Brackets();

    [GeneratedRegex(@"\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)")]
    private static partial Regex Groupings();

    [GeneratedRegex(@"(?<![\w$.])(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(?<call>\s*\()?")]
    private static partial Regex Identifiers();
}
