using Microsoft.Extensions.Configuration;

namespace PostNext.Content.Tests.Media;

/// <summary>Each platform's file rules, applied to files read from real bytes; every violation names the rule and the file's index.</summary>
public sealed class MediaRulesTests
{
    private static readonly PlatformLimitsCatalog Catalog = PlatformLimitsCatalog.Defaults();

    [Fact]
    public void An_instagram_feed_image_must_be_a_jpeg_between_4_5_and_1_91_1()
    {
        var (violations, _) = Check(PlatformIds.Instagram,
            Image("square.jpg", TestMedia.Jpeg(1080, 1080)),
            Image("tall.jpg", TestMedia.Jpeg(1080, 1920)),
            Image("flat.png", TestMedia.Png(1080, 1080)),
            Image("narrow.jpg", TestMedia.Jpeg(300, 300)));

        Assert.Equal(
            [("media[1]", "media_aspect_ratio"), ("media[2]", "media_format"), ("media[3]", "media_dimensions")],
            violations.Select(v => (v.Field, v.Code)));
        Assert.Contains("1080×1920", violations[0].Message, StringComparison.Ordinal);
        Assert.Contains("from 0.8 to 1.91", violations[0].Message, StringComparison.Ordinal);
        Assert.Contains("Instagram takes JPEG images only", violations[1].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(PlatformIds.X, 0.3, "video_too_short")]
    [InlineData(PlatformIds.X, 20 * 60 + 1, "video_too_long")]
    [InlineData(PlatformIds.LinkedIn, 2, "video_too_short")]
    [InlineData(PlatformIds.LinkedIn, 31 * 60, "video_too_long")]
    [InlineData(PlatformIds.Instagram, 16 * 60, "video_too_long")]
    [InlineData(PlatformIds.TikTok, 2.5, "video_too_short")]
    [InlineData(PlatformIds.TikTok, 10 * 60 + 1, "video_too_long")]
    [InlineData(PlatformIds.YouTube, 12 * 3600 + 1, "video_too_long")]
    public void A_video_outside_the_platforms_duration_range_is_refused(string platform, double seconds, string code)
    {
        var (violations, _) = Check(platform, Video("clip.mp4", TestMedia.Mp4(1080, 1920, seconds)));

        var violation = Assert.Single(violations);
        Assert.Equal(("media[0]", code), (violation.Field, violation.Code));
    }

    [Theory]
    [InlineData(PlatformIds.X)]
    [InlineData(PlatformIds.LinkedIn)]
    [InlineData(PlatformIds.Facebook)]
    [InlineData(PlatformIds.Instagram)]
    [InlineData(PlatformIds.TikTok)]
    [InlineData(PlatformIds.YouTube)]
    public void A_vertical_ten_second_mp4_passes_everywhere(string platform)
    {
        var (violations, _) = Check(platform, Video("clip.mp4", TestMedia.Mp4(1080, 1920, 10)));

        Assert.Empty(violations);
    }

    [Fact]
    public void Aspect_ratio_and_size_limits_of_videos_are_each_named()
    {
        var (x, _) = Check(PlatformIds.X, Video("banner.mp4", TestMedia.Mp4(1600, 400, 5)));
        var (tikTok, _) = Check(PlatformIds.TikTok, Video("tiny.mp4", TestMedia.Mp4(320, 340, 5)));
        var (linkedIn, _) = Check(PlatformIds.LinkedIn, Video("strip.mov", TestMedia.Mp4(1080, 2700, 5, quickTime: true)));

        Assert.Equal("media_aspect_ratio", Assert.Single(x).Code);
        Assert.Equal(["media_dimensions", "media_dimensions"], tikTok.Select(v => v.Code));
        Assert.Equal("media_format", Assert.Single(linkedIn).Code); // LinkedIn takes MP4 only; a MOV stops there
    }

    [Fact]
    public void A_facebook_reel_must_be_vertical_9_16_and_at_most_90_seconds_while_a_feed_video_need_not()
    {
        var landscape = Video("wide.mp4", TestMedia.Mp4(1920, 1080, 120));
        var limits = Catalog.For(PlatformIds.Facebook);
        var inspections = Inspect(landscape);

        var reel = MediaRules.Check(PlatformIds.Facebook, [landscape.Item], inspections, limits.MediaFor(MediaPlacements.Reel));
        var feed = MediaRules.Check(PlatformIds.Facebook, [landscape.Item], inspections, limits.MediaFor(MediaPlacements.Feed));

        Assert.Equal(["video_too_long", "media_aspect_ratio"], reel.Select(v => v.Code));
        Assert.Empty(feed);
    }

    [Fact]
    public void A_file_declared_as_an_image_that_is_a_video_is_refused_as_a_mismatch()
    {
        var (violations, _) = Check(PlatformIds.X, Image("photo.jpg", TestMedia.Mp4(1080, 1080, 3)));

        var violation = Assert.Single(violations);
        Assert.Equal("media_kind_mismatch", violation.Code);
        Assert.Contains("declared as an image but is a video (MP4)", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Bytes_that_are_no_known_format_are_refused_where_every_accepted_format_is_known_and_pass_where_the_platform_takes_any()
    {
        var noise = new byte[4000];
        new Random(3).NextBytes(noise);

        var (x, _) = Check(PlatformIds.X, Video("clip.mp4", noise));
        var (youTube, _) = Check(PlatformIds.YouTube, Video("clip.webm", noise));
        var (tikTok, _) = Check(PlatformIds.TikTok, Video("clip.webm", noise));

        Assert.Equal("media_unreadable", Assert.Single(x).Code);
        Assert.Empty(youTube); // YouTube takes formats MetadataExtractor does not read (WebM, WMV, …): the platform decides
        Assert.Empty(tikTok);  // likewise TikTok's WebM
    }

    [Fact]
    public void A_file_larger_than_the_platform_takes_is_refused_with_both_sizes()
    {
        var item = new MediaItem("https://cdn.example.com/big.jpg", MediaType.Image);
        var facts = new MediaFacts(MediaType.Image, "jpeg", 9L * 1024 * 1024, 1080, 1080, null);
        var inspections = new Dictionary<MediaItem, MediaInspection> { [item] = new(item.Url, facts, facts.Bytes) };

        var violation = Assert.Single(MediaRules.Check(PlatformIds.Instagram, [item], inspections, Catalog.For(PlatformIds.Instagram).Media));

        Assert.Equal(("media_too_large", "The file is 9 MB; Instagram takes images up to 8 MB."), (violation.Code, violation.Message));
    }

    [Fact]
    public void An_x_gif_may_be_up_to_15_mb_where_other_images_stop_at_5()
    {
        var gif = new MediaItem("https://cdn.example.com/a.gif", MediaType.Image);
        var png = new MediaItem("https://cdn.example.com/a.png", MediaType.Image);
        var inspections = new Dictionary<MediaItem, MediaInspection>
        {
            [gif] = new(gif.Url, new MediaFacts(MediaType.Image, "gif", 12L << 20, 500, 500, null), 12L << 20),
            [png] = new(png.Url, new MediaFacts(MediaType.Image, "png", 12L << 20, 500, 500, null), 12L << 20),
        };

        var violations = MediaRules.Check(PlatformIds.X, [gif, png], inspections, Catalog.For(PlatformIds.X).Media);

        Assert.Equal(("media[1]", "media_too_large"), (Assert.Single(violations).Field, violations[0].Code));
    }

    [Fact]
    public void A_file_that_could_not_be_fetched_is_a_violation_that_says_why()
    {
        var item = new MediaItem("https://cdn.example.com/gone.jpg", MediaType.Image);
        var inspections = new Dictionary<MediaItem, MediaInspection>
        {
            [item] = MediaInspection.Failed(item.Url, "The media at https://cdn.example.com/gone.jpg could not be fetched (404).", transient: false),
        };

        var violation = Assert.Single(MediaRules.Check(PlatformIds.LinkedIn, [item], inspections, Catalog.For(PlatformIds.LinkedIn).Media));

        Assert.Equal("media_unavailable", violation.Code);
        Assert.StartsWith("The media at https://cdn.example.com/gone.jpg could not be fetched (404).", violation.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_sandbox_has_no_file_rules_so_nothing_is_fetched_for_it()
    {
        var limits = Catalog.For(PlatformIds.Sandbox).Media;

        Assert.False(MediaRules.Inspects(new MediaItem("https://cdn.example.com/a.jpg", MediaType.Image), limits));
        Assert.False(MediaRules.Inspects(new MediaItem("https://cdn.example.com/a.mp4", MediaType.Video), limits));
    }

    [Fact]
    public void A_deployment_can_raise_a_limit_from_configuration_e_g_x_premium_video_length()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["PostNext:Platforms:x:Limits:Media:Video:MaxDuration"] = "02:05:00" })
            .Build();
        var catalog = PlatformLimitsCatalog.FromConfiguration(configuration);
        var item = Video("long.mp4", TestMedia.Mp4(1280, 720, 60 * 60));

        Assert.Empty(MediaRules.Check(PlatformIds.X, [item.Item], Inspect(item), catalog.For(PlatformIds.X).Media));
        Assert.Equal(["mp4", "mov"], catalog.For(PlatformIds.X).Media.Video!.Formats);
        Assert.Equal(TimeSpan.FromMinutes(20), Catalog.For(PlatformIds.X).Media.Video!.MaxDuration);
    }

    private static (IReadOnlyList<ContentViolation> Violations, IReadOnlyDictionary<MediaItem, MediaInspection> Inspections) Check(
        string platform, params (MediaItem Item, byte[] Bytes)[] files)
    {
        var inspections = Inspect(files);
        return (MediaRules.Check(platform, files.Select(f => f.Item).ToList(), inspections, Catalog.For(platform).Media), inspections);
    }

    // What the inspector would find for these bytes, read by the same probe.
    private static Dictionary<MediaItem, MediaInspection> Inspect(params (MediaItem Item, byte[] Bytes)[] files) =>
        files.ToDictionary(f => f.Item, f => new MediaInspection(f.Item.Url, MediaProbe.Read(f.Bytes, f.Bytes.Length), f.Bytes.Length));

    private static (MediaItem Item, byte[] Bytes) Image(string name, byte[] bytes) => (new MediaItem($"https://cdn.example.com/{name}", MediaType.Image), bytes);

    private static (MediaItem Item, byte[] Bytes) Video(string name, byte[] bytes) => (new MediaItem($"https://cdn.example.com/{name}", MediaType.Video), bytes);
}
