namespace PostNext.Content.Tests.Rules;

/// <summary>A thread's parts are each a post by X's rules, reported under their part; a first comment keeps to its platform's comment length.</summary>
public sealed class FollowUpRulesTests
{
    private static readonly PlatformLimitsCatalog Catalog = PlatformLimitsCatalog.Defaults();

    private static PostContent Thread(params ThreadPart[] parts) => new("1/n", [], Options: new PostOptions(X: new XPostOptions(parts)));

    [Fact]
    public void Each_thread_part_is_counted_by_xs_weighted_rules_and_reported_under_its_index()
    {
        var emoji = string.Concat(Enumerable.Repeat("😀", 141)); // 282 weighted: each emoji counts 2
        var violations = ContentRules.Validate(PlatformIds.X, Thread(new ThreadPart("fine"), new ThreadPart(emoji), new ThreadPart("")), Catalog.For(PlatformIds.X));

        Assert.Equal(
            [("text_too_long", "options.x.thread[1].text"), ("content_empty", "options.x.thread[2]")],
            violations.Select(v => (v.Code, v.Field)));
        Assert.StartsWith("Thread part 3: Text is 282", violations[0].Message, StringComparison.Ordinal);
        Assert.Empty(ContentRules.Validate(PlatformIds.X, Thread(new ThreadPart(string.Concat(Enumerable.Repeat("😀", 140)))), Catalog.For(PlatformIds.X)));
    }

    [Fact]
    public void A_thread_parts_media_follow_xs_media_rules()
    {
        var images = Enumerable.Range(0, 5).Select(i => new MediaItem($"https://cdn.example.com/{i}.png", MediaType.Image)).ToList();

        var violations = ContentRules.Validate(PlatformIds.X, Thread(new ThreadPart("five images", images)), Catalog.For(PlatformIds.X));

        Assert.Contains(violations, v => v.Field == "options.x.thread[0].media" && v.Code is "too_many_media" or "too_many_images");
    }

    [Theory]
    [InlineData(PlatformIds.LinkedIn, 1_250)]
    [InlineData(PlatformIds.Instagram, 2_200)]
    [InlineData(PlatformIds.Facebook, 8_000)]
    [InlineData(PlatformIds.YouTube, 10_000)]
    public void A_first_comment_longer_than_its_platform_allows_is_refused_naming_the_option(string platform, int max)
    {
        PostContent With(string comment) => new("post", [new MediaItem("https://cdn.example.com/a.mp4", MediaType.Video)], "Title", platform switch
        {
            PlatformIds.LinkedIn => new PostOptions(LinkedIn: new LinkedInPostOptions(FirstComment: comment)),
            PlatformIds.Instagram => new PostOptions(Instagram: new InstagramPostOptions(FirstComment: comment)),
            PlatformIds.Facebook => new PostOptions(Facebook: new FacebookPostOptions(FirstComment: comment)),
            _ => new PostOptions(YouTube: new YouTubePostOptions(FirstComment: comment)),
        });

        var over = ContentRules.Validate(platform, With(new string('c', max + 1)), Catalog.For(platform));
        var fits = ContentRules.Validate(platform, With(new string('c', max)), Catalog.For(platform));

        var violation = Assert.Single(over, v => v.Code == "comment_too_long");
        Assert.Equal($"options.{platform}.firstComment", violation.Field);
        Assert.DoesNotContain(fits, v => v.Code == "comment_too_long");
    }

    [Fact]
    public void An_instagram_story_takes_no_first_comment()
    {
        var story = new PostContent("", [new MediaItem("https://cdn.example.com/a.jpg", MediaType.Image)],
            Options: new PostOptions(Instagram: new InstagramPostOptions(PostTypes.Story, FirstComment: "hello")));

        Assert.Contains(ContentRules.Validate(PlatformIds.Instagram, story, Catalog.For(PlatformIds.Instagram)),
            v => (v.Code, v.Field) == ("option_conflict", "options.instagram.firstComment"));
    }

    [Fact]
    public void A_facebook_story_takes_no_first_comment_and_a_reel_does()
    {
        var media = new[] { new MediaItem("https://cdn.example.com/a.mp4", MediaType.Video) };
        PostContent As(string type) => new("", media, Options: new PostOptions(Facebook: new FacebookPostOptions(type, FirstComment: "hello")));

        Assert.Contains(ContentRules.Validate(PlatformIds.Facebook, As(PostTypes.Story), Catalog.For(PlatformIds.Facebook)),
            v => (v.Code, v.Field) == ("option_conflict", "options.facebook.firstComment"));
        Assert.DoesNotContain(ContentRules.Validate(PlatformIds.Facebook, As(PostTypes.Reel), Catalog.For(PlatformIds.Facebook)),
            v => v.Field == "options.facebook.firstComment");
    }
}
