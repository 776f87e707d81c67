using YamlDotNet.RepresentationModel;

namespace PostNext.Platforms.Tests.Rules;

/// <summary>
/// twitter-text's own conformance data (TwitterTextConformance/validate.yml, copied unchanged): every weighted-length
/// and validity case. WeightedTweetsCounterTest is config v2 (each emoji code point counted on its own);
/// WeightedTweetsWithDiscountedEmojiCounterTest and UnicodeDirectionalMarkerCounterTest are config v3, what X uses.
/// </summary>
public sealed class TwitterTextConformanceTests
{
    private static readonly Lazy<YamlMappingNode> Tests = new(() =>
    {
        using var reader = new StreamReader(Path.Combine(AppContext.BaseDirectory, "Rules", "TwitterTextConformance", "validate.yml"));
        var yaml = new YamlStream();
        yaml.Load(reader);
        return (YamlMappingNode)((YamlMappingNode)yaml.Documents[0].RootNode)["tests"];
    });

    public static TheoryData<string> V2Cases => Descriptions("WeightedTweetsCounterTest");

    public static TheoryData<string> V3Cases => Descriptions("WeightedTweetsWithDiscountedEmojiCounterTest");

    public static TheoryData<string> DirectionalMarkerCases => Descriptions("UnicodeDirectionalMarkerCounterTest");

    [Theory]
    [MemberData(nameof(V3Cases))]
    public void Counts_and_validates_every_v3_case(string description) => AssertCase("WeightedTweetsWithDiscountedEmojiCounterTest", description, discountEmoji: true);

    [Theory]
    [MemberData(nameof(DirectionalMarkerCases))]
    public void Counts_and_validates_every_directional_marker_case(string description) => AssertCase("UnicodeDirectionalMarkerCounterTest", description, discountEmoji: true);

    [Theory]
    [MemberData(nameof(V2Cases))]
    public void Counts_and_validates_every_v2_case_without_the_emoji_discount(string description) => AssertCase("WeightedTweetsCounterTest", description, discountEmoji: false);

    [Fact]
    public void The_conformance_data_is_all_there()
    {
        Assert.Equal(20, V2Cases.Count);
        Assert.Equal(22, V3Cases.Count);
        Assert.Equal(2, DirectionalMarkerCases.Count);
    }

    private static void AssertCase(string section, string description, bool discountEmoji)
    {
        var test = Cases(section).Single(c => ((YamlScalarNode)c["description"]).Value == description);
        var text = ((YamlScalarNode)test["text"]).Value ?? "";
        var expected = (YamlMappingNode)test["expected"];
        var weighted = int.Parse(((YamlScalarNode)expected["weightedLength"]).Value!, System.Globalization.CultureInfo.InvariantCulture);
        var valid = bool.Parse(((YamlScalarNode)expected["valid"]).Value!);

        Assert.Equal(weighted, TwitterText.WeightedLength(text, discountEmoji));
        Assert.Equal(valid, TwitterText.IsValid(text, discountEmoji: discountEmoji));
    }

    private static IEnumerable<YamlMappingNode> Cases(string section) =>
        ((YamlSequenceNode)Tests.Value[section]).Children.Cast<YamlMappingNode>();

    private static TheoryData<string> Descriptions(string section)
    {
        var data = new TheoryData<string>();
        foreach (var test in Cases(section))
        {
            data.Add(((YamlScalarNode)test["description"]).Value!);
        }

        return data;
    }
}
