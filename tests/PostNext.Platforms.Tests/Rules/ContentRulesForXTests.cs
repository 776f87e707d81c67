using static PostNext.Content.Rules.ContentViolationCodes;
using static PostNext.Platforms.Tests.Rules.Post;

namespace PostNext.Platforms.Tests.Rules;

/// <summary>X: 280 weighted characters, 4 images or 1 video, no mixing, no twitter-text invalid characters.</summary>
public sealed class ContentRulesForXTests
{
    private const string X = PlatformIds.X;

    [Fact]
    public void Accepts_280_weighted_characters_and_refuses_281()
    {
        Assert.Empty(Validate(X, Text(new string('a', 280))));

        var violation = Assert.Single(Validate(X, Text(new string('a', 281))));
        Assert.Equal(new ContentViolation(TextTooLong, "text", "Text is 281 weighted characters; X allows 280."), violation);
    }

    [Fact]
    public void Weighs_CJK_double_so_140_ideographs_fill_the_post()
    {
        Assert.Empty(Validate(X, Text(new string('日', 140))));
        Assert.Equal([TextTooLong], Codes(X, Text(new string('日', 141))));
    }

    [Fact]
    public void Counts_a_long_link_as_23()
    {
        var link = "https://example.com/" + new string('p', 200);

        Assert.Empty(Validate(X, Text(new string('a', 256) + " " + link))); // 256 + 1 + 23 = 280
        Assert.Equal([TextTooLong], Codes(X, Text(new string('a', 257) + " " + link)));
    }

    [Fact]
    public void Accepts_a_text_only_post() => Assert.Empty(Validate(X, Text("Hello, X")));

    [Fact]
    public void Accepts_four_images_and_refuses_five()
    {
        Assert.Empty(Validate(X, With(images: 4)));

        var violation = Assert.Single(Validate(X, With(images: 5)));
        Assert.Equal(new ContentViolation(TooManyImages, "media", "The post has 5 images; X allows 4."), violation);
    }

    [Fact]
    public void Accepts_one_video_and_refuses_two()
    {
        Assert.Empty(Validate(X, With(videos: 1)));
        Assert.Equal([TooManyVideos], Codes(X, With(videos: 2)));
    }

    [Fact]
    public void Refuses_images_mixed_with_a_video() =>
        Assert.Equal([MixedMedia], Codes(X, With(images: 1, videos: 1)));

    [Fact]
    public void Refuses_characters_twitter_text_calls_invalid()
    {
        var violation = Assert.Single(Validate(X, Text("Hello\uFEFF")));
        Assert.Equal(TextInvalidCharacters, violation.Code);
        Assert.Contains("U+FEFF", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Lists_every_violation_not_just_the_first()
    {
        var codes = Codes(X, With(text: new string('日', 146), images: 5, videos: 1)); // 292 weighted

        Assert.Equal([TextTooLong, TooManyImages, MixedMedia], codes);
    }
}
