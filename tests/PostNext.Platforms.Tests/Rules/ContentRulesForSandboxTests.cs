using static PostNext.Content.Rules.ContentViolationCodes;
using static PostNext.Platforms.Tests.Rules.Post;

namespace PostNext.Platforms.Tests.Rules;

/// <summary>The sandbox is generous: text-only posts, 10,000 characters, 10 media items of any kind.</summary>
public sealed class ContentRulesForSandboxTests
{
    private const string Sandbox = PlatformIds.Sandbox;

    [Fact]
    public void Accepts_a_text_only_post() => Assert.Empty(Validate(Sandbox, Text("Hello, sandbox")));

    [Fact]
    public void Accepts_10000_characters_and_refuses_10001()
    {
        Assert.Empty(Validate(Sandbox, Text(new string('a', 10_000))));
        Assert.Equal([TextTooLong], Codes(Sandbox, Text(new string('a', 10_001))));
    }

    [Fact]
    public void Accepts_10_mixed_media_items_and_refuses_11()
    {
        Assert.Empty(Validate(Sandbox, With(images: 5, videos: 5)));
        Assert.Equal([TooManyMedia], Codes(Sandbox, With(images: 6, videos: 5)));
    }

    [Fact]
    public void Accepts_a_title_of_1000_characters_and_refuses_1001()
    {
        Assert.Empty(Validate(Sandbox, With(title: new string('t', 1_000))));
        Assert.Equal([TitleTooLong], Codes(Sandbox, With(title: new string('t', 1_001))));
    }
}
