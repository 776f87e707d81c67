using System.Text.Json;

namespace PostNext.Platforms.Tests.Rules;

/// <summary>
/// 500 strings around the 280 limit, built from the pieces that trip counters (ZWJ sequences and stray U+200D, flags and
/// lone or unknown regional indicators, skin tones on emoji that take none, keycaps, presentation selectors, links, CJK,
/// bidi marks), each with the weighted length and validity twitter-text 3.1.0 gave it (TwitterTextConformance/oracle-cases.json;
/// how it was made is in the README beside it). The counter must agree on every one.
/// </summary>
public sealed class TwitterTextOracleTests
{
    [Fact]
    public void Agrees_with_twitter_text_on_every_string_around_the_limit()
    {
        using var file = File.OpenRead(Path.Combine(AppContext.BaseDirectory, "Rules", "TwitterTextConformance", "oracle-cases.json"));
        var cases = JsonDocument.Parse(file).RootElement.GetProperty("cases").EnumerateArray()
            .Select(c => (Text: c.GetProperty("text").GetString()!, Weighted: c.GetProperty("weightedLength").GetInt32(), Valid: c.GetProperty("valid").GetBoolean()))
            .ToList();

        var disagreements = cases
            .Where(c => TwitterText.WeightedLength(c.Text) != c.Weighted || TwitterText.IsValid(c.Text) != c.Valid)
            .Select(c => $"{c.Weighted}/{c.Valid} expected, {TwitterText.WeightedLength(c.Text)}/{TwitterText.IsValid(c.Text)} counted: {JsonSerializer.Serialize(c.Text)}")
            .ToList();

        Assert.Equal(500, cases.Count);
        Assert.True(disagreements.Count == 0, string.Join("\n", disagreements.Take(10)));
    }
}
