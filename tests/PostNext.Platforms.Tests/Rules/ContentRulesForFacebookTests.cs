using static PostNext.Content.Rules.ContentViolationCodes;
using static PostNext.Platforms.Tests.Rules.Post;

namespace PostNext.Platforms.Tests.Rules;

/// <summary>Facebook Pages: 63,206 characters; up to 10 photos or one video, never both.</summary>
public sealed class ContentRulesForFacebookTests
{
    private const string Facebook = PlatformIds.Facebook;

    [Fact]
    public void Accepts_63206_characters_and_refuses_63207()
    {
        Assert.Empty(Validate(Facebook, Text(new string('a', 63_206))));

        var violation = Assert.Single(Validate(Facebook, Text(new string('a', 63_207))));
        Assert.Equal("Text is 63,207 characters; Facebook allows 63,206.", violation.Message);
    }

    [Fact]
    public void Accepts_a_text_only_post() => Assert.Empty(Validate(Facebook, Text("Hello, Facebook")));

    [Fact]
    public void Accepts_10_photos_and_refuses_11()
    {
        Assert.Empty(Validate(Facebook, With(images: 10)));
        Assert.Equal([TooManyImages], Codes(Facebook, With(images: 11)));
    }

    [Fact]
    public void Accepts_one_video_and_refuses_two()
    {
        Assert.Empty(Validate(Facebook, With(videos: 1)));
        Assert.Equal([TooManyVideos], Codes(Facebook, With(videos: 2)));
    }

    [Fact]
    public void Refuses_photos_mixed_with_a_video() =>
        Assert.Equal([MixedMedia], Codes(Facebook, With(images: 1, videos: 1)));
}
