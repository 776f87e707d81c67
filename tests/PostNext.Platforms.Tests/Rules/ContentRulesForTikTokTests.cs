using static PostNext.Content.Rules.ContentViolationCodes;
using static PostNext.Platforms.Tests.Rules.Post;

namespace PostNext.Platforms.Tests.Rules;

/// <summary>TikTok: one video or 1–35 photos, never both; caption 2,200 characters; photo title ≤90.</summary>
public sealed class ContentRulesForTikTokTests
{
    private const string TikTok = PlatformIds.TikTok;

    [Fact]
    public void Requires_a_video_or_photos()
    {
        Assert.Empty(Validate(TikTok, With(videos: 1)));
        Assert.Empty(Validate(TikTok, With(images: 1)));
        Assert.Equal([MediaRequired], Codes(TikTok, Text("No clip")));
    }

    [Fact]
    public void Accepts_a_caption_of_2200_characters_and_refuses_2201()
    {
        Assert.Empty(Validate(TikTok, With(text: new string('a', 2_200), videos: 1)));
        Assert.Equal([TextTooLong], Codes(TikTok, With(text: new string('a', 2_201), videos: 1)));
    }

    [Fact]
    public void Accepts_35_photos_and_refuses_36()
    {
        Assert.Empty(Validate(TikTok, With(images: 35)));
        Assert.Equal([TooManyImages], Codes(TikTok, With(images: 36)));
    }

    [Fact]
    public void Accepts_one_video_and_refuses_two()
    {
        Assert.Empty(Validate(TikTok, With(videos: 1)));
        Assert.Equal([TooManyVideos], Codes(TikTok, With(videos: 2)));
    }

    [Fact]
    public void Refuses_photos_mixed_with_a_video() =>
        Assert.Equal([MixedMedia], Codes(TikTok, With(images: 2, videos: 1)));

    [Fact]
    public void Accepts_a_title_of_90_characters_and_refuses_91()
    {
        Assert.Empty(Validate(TikTok, With(images: 1, title: new string('t', 90))));
        Assert.Equal([TitleTooLong], Codes(TikTok, With(images: 1, title: new string('t', 91))));
    }
}
