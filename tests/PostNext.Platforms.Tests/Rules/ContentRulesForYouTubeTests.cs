using static PostNext.Content.Rules.ContentViolationCodes;
using static PostNext.Platforms.Tests.Rules.Post;

namespace PostNext.Platforms.Tests.Rules;

/// <summary>YouTube: exactly one video; title ≤100 characters; description (the text) ≤5,000 UTF-8 bytes; no '&lt;' or '&gt;'.</summary>
public sealed class ContentRulesForYouTubeTests
{
    private const string YouTube = PlatformIds.YouTube;

    [Fact]
    public void Requires_a_video()
    {
        Assert.Empty(Validate(YouTube, With(videos: 1)));

        var violation = Assert.Single(Validate(YouTube, Text("Only words")));
        Assert.Equal(new ContentViolation(VideoRequired, "media", "YouTube requires a video."), violation);
    }

    [Fact]
    public void Refuses_images()
    {
        var violations = Validate(YouTube, With(images: 1));

        Assert.Equal([VideoRequired, TooManyImages], violations.Select(v => v.Code));
        Assert.Equal("YouTube does not accept images; the post has 1 image.", violations[1].Message);
    }

    [Fact]
    public void Refuses_a_second_video() => Assert.Equal([TooManyVideos], Codes(YouTube, With(videos: 2)));

    [Fact]
    public void Accepts_a_title_of_100_characters_and_refuses_101()
    {
        Assert.Empty(Validate(YouTube, With(videos: 1, title: new string('t', 100))));
        Assert.Empty(Validate(YouTube, With(videos: 1, title: Repeat("日", 100)))); // characters, not bytes

        var violation = Assert.Single(Validate(YouTube, With(videos: 1, title: new string('t', 101))));
        Assert.Equal(new ContentViolation(TitleTooLong, "title", "Title is 101 characters; YouTube allows 100."), violation);
    }

    [Fact]
    public void Does_not_require_a_title() => Assert.Empty(Validate(YouTube, With(videos: 1, title: null)));

    [Theory]
    [InlineData("Tips <and> tricks")]
    [InlineData("1 < 2")]
    public void Refuses_angle_brackets_in_the_title(string title)
    {
        var violation = Assert.Single(Validate(YouTube, With(videos: 1, title: title)));
        Assert.Equal(TitleInvalidCharacters, violation.Code);
    }

    [Fact]
    public void Refuses_angle_brackets_in_the_description() =>
        Assert.Equal([TextInvalidCharacters], Codes(YouTube, With(text: "See <this>", videos: 1)));

    [Fact]
    public void Accepts_a_description_of_5000_bytes_and_refuses_5001()
    {
        Assert.Empty(Validate(YouTube, With(text: Repeat("é", 2_500), videos: 1))); // 2 bytes each

        var violation = Assert.Single(Validate(YouTube, With(text: Repeat("é", 2_500) + "a", videos: 1)));
        Assert.Equal(
            new ContentViolation(DescriptionTooLong, "text", "The description (the post text) is 5,001 bytes; YouTube allows 5,000."),
            violation);
    }
}
