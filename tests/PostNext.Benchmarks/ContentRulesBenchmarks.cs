using BenchmarkDotNet.Attributes;
using PostNext.Abstractions.Platforms;
using PostNext.Abstractions.Posts;
using PostNext.Content.Rules;

namespace PostNext.Benchmarks;

/// <summary>
/// Validating a post runs on every create and edit, once per target. Goal: a 280-character post with URLs, emoji and
/// CJK validates for all six platforms in well under a millisecond, allocating a few kilobytes at most.
/// </summary>
[MemoryDiagnoser]
public class ContentRulesBenchmarks
{
    private static readonly PostContent Post = new(
        "Launch day 🚀 https://example.com/launch — 新製品 #launch #product @partner 👨‍👩‍👧‍👦 " + new string('x', 180),
        [new MediaItem("https://cdn.example.com/a.jpg", MediaType.Image)]);

    private readonly PlatformLimitsCatalog _catalog = PlatformLimitsCatalog.Defaults();

    [Benchmark]
    public int TwitterWeightedLength() => TwitterText.WeightedLength(Post.Text);

    [Benchmark]
    public int ValidateForEveryPlatform()
    {
        var violations = 0;
        foreach (var platform in PlatformIds.All)
        {
            violations += ContentRules.Validate(platform, Post, _catalog.For(platform)).Count;
        }

        return violations;
    }
}
