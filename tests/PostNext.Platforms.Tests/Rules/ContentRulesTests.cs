using static PostNext.Content.Rules.ContentViolationCodes;
using static PostNext.Platforms.Tests.Rules.Post;

namespace PostNext.Platforms.Tests.Rules;

/// <summary>The rules every platform shares, whatever its limits.</summary>
public sealed class ContentRulesTests
{
    public static TheoryData<string> EveryPlatform => [.. PlatformIds.All];

    public static TheoryData<string> PlatformsThatTakeTextOnlyPosts =>
        [PlatformIds.Sandbox, PlatformIds.X, PlatformIds.LinkedIn, PlatformIds.Facebook];

    [Theory]
    [MemberData(nameof(EveryPlatform))]
    public void Accepts_media_at_absolute_http_and_https_urls(string platformId)
    {
        var content = new PostContent("Hello", [new MediaItem("https://cdn.example.com/clip.mp4", MediaType.Video)]);

        Assert.Empty(Validate(platformId, content));
        Assert.Empty(Validate(platformId, content with { Media = [new MediaItem("http://cdn.example.com/clip.mp4", MediaType.Video)] }));
    }

    [Theory]
    [MemberData(nameof(EveryPlatform))]
    public void Refuses_media_that_is_not_at_an_absolute_http_or_https_url(string platformId)
    {
        var content = new PostContent("Hello", [
            new MediaItem("https://cdn.example.com/clip.mp4", MediaType.Video),
            new MediaItem("ftp://cdn.example.com/clip.mp4", MediaType.Video),
            new MediaItem("/uploads/clip.mp4", MediaType.Video),
        ]);

        var invalid = Validate(platformId, content).Where(v => v.Code == InvalidMediaUrl).ToList();

        Assert.Equal(["media[1].url", "media[2].url"], invalid.Select(v => v.Field));
    }

    [Theory]
    [MemberData(nameof(PlatformsThatTakeTextOnlyPosts))]
    public void Refuses_a_post_with_neither_text_nor_media(string platformId)
    {
        Assert.Equal([ContentEmpty], Codes(platformId, Text("  ")));
        Assert.Empty(Validate(platformId, Text("Hi")));
        Assert.Empty(Validate(platformId, With(text: "", images: 1)));
    }

    [Fact]
    public void Applies_configured_limits_not_built_in_ones()
    {
        var limits = new PlatformLimits { MaxTextLength = 5, RequiresText = true, RequiresTitle = true, MaxHashtags = 0 };

        Assert.Empty(ContentRules.Validate("custom", new PostContent("#ok", [], "Title"), new PlatformLimits()));
        Assert.Equal(
            [TextRequired, TitleRequired],
            ContentRules.Validate("custom", new PostContent("", []), limits).Select(v => v.Code));
        Assert.Equal(
            [TextTooLong, TooManyHashtags],
            ContentRules.Validate("custom", new PostContent("#hashtag", [], "Title"), limits).Select(v => v.Code));
    }

    [Theory]
    [InlineData(TextCounting.Utf16, 2)]
    [InlineData(TextCounting.CodePoints, 1)]
    [InlineData(TextCounting.TwitterWeighted, 2)]
    [InlineData(TextCounting.Utf8Bytes, 4)]
    public void Measures_text_the_configured_way(TextCounting counting, int length) // one emoji, U+1F600
    {
        var limits = new PlatformLimits { MaxTextLength = length, TextCounting = counting };

        Assert.Empty(ContentRules.Validate("custom", Text("😀"), limits));
        Assert.Equal([TextTooLong], ContentRules.Validate("custom", Text("😀a"), limits).Select(v => v.Code));
    }
}
