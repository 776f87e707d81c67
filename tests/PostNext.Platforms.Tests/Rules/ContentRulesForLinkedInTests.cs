using static PostNext.Content.Rules.ContentViolationCodes;
using static PostNext.Platforms.Tests.Rules.Post;

namespace PostNext.Platforms.Tests.Rules;

/// <summary>LinkedIn: 3,000 characters of commentary; one video or up to 20 images, never both.</summary>
public sealed class ContentRulesForLinkedInTests
{
    private const string LinkedIn = PlatformIds.LinkedIn;

    [Fact]
    public void Accepts_3000_characters_and_refuses_3001()
    {
        Assert.Empty(Validate(LinkedIn, Text(new string('a', 3_000))));

        var violation = Assert.Single(Validate(LinkedIn, Text(new string('a', 3_001))));
        Assert.Equal(new ContentViolation(TextTooLong, "text", "Text is 3,001 characters; LinkedIn allows 3,000."), violation);
    }

    [Fact]
    public void Counts_characters_not_UTF16_units_or_combining_marks()
    {
        Assert.Empty(Validate(LinkedIn, Text(Repeat("😀", 3_000)))); // 6,000 UTF-16 units, 3,000 characters
        Assert.Empty(Validate(LinkedIn, Text(Repeat("e\u0301", 3_000)))); // NFC: 3,000 × é
    }

    [Fact]
    public void Accepts_a_text_only_post() => Assert.Empty(Validate(LinkedIn, Text("Hello, LinkedIn")));

    [Fact]
    public void Accepts_20_images_and_refuses_21()
    {
        Assert.Empty(Validate(LinkedIn, With(images: 20)));
        Assert.Equal([TooManyImages], Codes(LinkedIn, With(images: 21)));
    }

    [Fact]
    public void Accepts_one_video_and_refuses_two()
    {
        Assert.Empty(Validate(LinkedIn, With(videos: 1)));
        Assert.Equal([TooManyVideos], Codes(LinkedIn, With(videos: 2)));
    }

    [Fact]
    public void Refuses_a_video_mixed_with_images() =>
        Assert.Equal([MixedMedia], Codes(LinkedIn, With(images: 2, videos: 1)));
}
