using PostNext.Abstractions.Accounts;
using PostNext.Content.Options;
using static PostNext.Platforms.Tests.Rules.Post;

namespace PostNext.Platforms.Tests.Rules;

/// <summary>The rules a target's platform options keep with its content, and TikTok's choices against creator_info.</summary>
public sealed class OptionRulesTests
{
    private static readonly PublishingChoices Unaudited = new(["SELF_ONLY"], CommentDisabled: false, DuetDisabled: false, StitchDisabled: true);

    [Fact]
    public void A_tiktok_post_must_name_its_privacy_level()
    {
        var violation = Assert.Single(OptionRules.Check(PlatformIds.TikTok, With(videos: 1)));

        Assert.Equal((OptionRules.OptionRequired, "options.tiktok.privacyLevel"), (violation.Code, violation.Field));
        Assert.Empty(OptionRules.Check(PlatformIds.TikTok, With(videos: 1) with { Options = new PostOptions(new TikTokPostOptions("SELF_ONLY")) }));
    }

    [Fact]
    public void Tiktok_branded_content_cannot_be_private()
    {
        var branded = With(videos: 1) with { Options = new PostOptions(new TikTokPostOptions("SELF_ONLY", BrandedContent: true)) };

        Assert.Equal(["options.tiktok.brandedContent"], OptionRules.Check(PlatformIds.TikTok, branded).Select(v => v.Field));
        Assert.Empty(OptionRules.Check(PlatformIds.TikTok, branded with { Options = new PostOptions(new TikTokPostOptions("PUBLIC_TO_EVERYONE", BrandedContent: true)) }));
    }

    [Fact]
    public void An_unaudited_app_is_offered_self_only_and_says_so()
    {
        var violation = Assert.Single(OptionRules.CheckOffered(new TikTokPostOptions("PUBLIC_TO_EVERYONE"), Unaudited));

        Assert.Equal((OptionRules.OptionNotOffered, "options.tiktok.privacyLevel"), (violation.Code, violation.Field));
        Assert.Contains("may post SELF_ONLY only", violation.Message, StringComparison.Ordinal);
        Assert.Empty(OptionRules.CheckOffered(new TikTokPostOptions("SELF_ONLY"), Unaudited));
    }

    [Fact]
    public void An_interaction_the_creator_turned_off_cannot_be_allowed() =>
        Assert.Equal(
            ["options.tiktok.allowStitches"],
            OptionRules.CheckOffered(new TikTokPostOptions("SELF_ONLY", AllowComments: true, AllowDuets: true, AllowStitches: true), Unaudited).Select(v => v.Field));

    [Theory]
    [InlineData("instagram", "reel", 0, 1, true)]
    [InlineData("instagram", "reel", 1, 0, false)]
    [InlineData("instagram", "story", 1, 0, true)]
    [InlineData("instagram", "story", 2, 0, false)]
    [InlineData("facebook", "reel", 0, 1, true)]
    [InlineData("facebook", "reel", 0, 2, false)]
    [InlineData("facebook", "story", 0, 1, true)]
    [InlineData("facebook", "story", 0, 0, false)]
    public void A_reel_is_one_video_and_a_story_one_image_or_video(string platform, string type, int images, int videos, bool accepted)
    {
        var options = platform == PlatformIds.Instagram ? new PostOptions(Instagram: new InstagramPostOptions(type)) : new PostOptions(Facebook: new FacebookPostOptions(type));

        var violations = OptionRules.Check(platform, With(images: images, videos: videos) with { Options = options }).ToList();

        Assert.Equal(accepted, violations.Count == 0);
        Assert.All(violations, v => Assert.Equal((OptionRules.OptionMediaMismatch, $"options.{platform}.type"), (v.Code, v.Field)));
    }

    [Fact]
    public void Instagram_options_apply_only_where_instagram_takes_them()
    {
        var story = With(images: 2) with { Options = new PostOptions(Instagram: new InstagramPostOptions(PostTypes.Feed, ShareToFeed: true, AltText: "Two loaves")) };

        Assert.Equal(["options.instagram.shareToFeed", "options.instagram.altText"], OptionRules.Check(PlatformIds.Instagram, story).Select(v => v.Field));
    }

    [Fact]
    public void Options_with_lists_are_equal_by_value_so_a_repeated_schedule_is_the_same()
    {
        PostOptions Make() => new(YouTube: new YouTubePostOptions(Tags: new List<string> { "a", "b" }), Instagram: new InstagramPostOptions(Collaborators: new List<string> { "ada" }));

        Assert.Equal(Make(), Make());
        Assert.NotEqual(Make(), Make() with { YouTube = new YouTubePostOptions(Tags: ["a", "c"]) });
    }
}
