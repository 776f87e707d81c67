using static PostNext.Content.Rules.ContentViolationCodes;
using static PostNext.Platforms.Tests.Rules.Post;

namespace PostNext.Platforms.Tests.Rules;

/// <summary>Instagram: media required, up to 10 items (mixed); caption 2,200 characters, ≤30 hashtags, ≤20 mentions.</summary>
public sealed class ContentRulesForInstagramTests
{
    private const string Instagram = PlatformIds.Instagram;

    [Fact]
    public void Accepts_a_caption_of_2200_characters_and_refuses_2201()
    {
        Assert.Empty(Validate(Instagram, With(text: new string('a', 2_200), images: 1)));
        Assert.Equal([TextTooLong], Codes(Instagram, With(text: new string('a', 2_201), images: 1)));
    }

    [Fact]
    public void Requires_an_image_or_a_video()
    {
        Assert.Empty(Validate(Instagram, With(images: 1)));
        Assert.Empty(Validate(Instagram, With(videos: 1)));

        var violation = Assert.Single(Validate(Instagram, Text("No picture")));
        Assert.Equal(new ContentViolation(MediaRequired, "media", "Instagram requires at least one image or video."), violation);
    }

    [Fact]
    public void Accepts_a_mixed_carousel_of_10_and_refuses_11()
    {
        Assert.Empty(Validate(Instagram, With(images: 6, videos: 4)));

        var violation = Assert.Single(Validate(Instagram, With(images: 6, videos: 5)));
        Assert.Equal(new ContentViolation(TooManyMedia, "media", "The post has 11 media items; Instagram allows 10."), violation);
    }

    [Fact]
    public void Accepts_30_hashtags_and_refuses_31()
    {
        Assert.Empty(Validate(Instagram, With(text: Hashtags(30), images: 1)));

        var violation = Assert.Single(Validate(Instagram, With(text: Hashtags(31), images: 1)));
        Assert.Equal(new ContentViolation(TooManyHashtags, "text", "Text has 31 hashtags; Instagram allows 30."), violation);
    }

    [Fact]
    public void Does_not_count_a_hash_inside_a_link_as_a_hashtag() =>
        Assert.Empty(Validate(Instagram, With(text: Hashtags(30) + " https://example.com/page#section", images: 1)));

    [Fact]
    public void Accepts_20_mentions_and_refuses_21()
    {
        Assert.Empty(Validate(Instagram, With(text: Mentions(20), images: 1)));
        Assert.Equal([TooManyMentions], Codes(Instagram, With(text: Mentions(21), images: 1)));
    }

    [Fact]
    public void Does_not_count_an_email_address_as_a_mention() =>
        Assert.Empty(Validate(Instagram, With(text: Mentions(20) + " write to hello@example.com", images: 1)));

    private static string Hashtags(int count) => string.Join(' ', Enumerable.Range(1, count).Select(n => $"#tag{n}"));

    private static string Mentions(int count) => string.Join(' ', Enumerable.Range(1, count).Select(n => $"@user.{n}"));
}
