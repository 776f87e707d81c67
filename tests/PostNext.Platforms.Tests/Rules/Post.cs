namespace PostNext.Platforms.Tests.Rules;

/// <summary>Builds post content for the rule tests and validates it against a platform's documented defaults.</summary>
internal static class Post
{
    public static PostContent Text(string text) => new(text, []);

    public static PostContent With(string text = "Hello", int images = 0, int videos = 0, string? title = null) =>
        new(text, [.. Images(images), .. Videos(videos)], title);

    public static IEnumerable<MediaItem> Images(int count) =>
        Enumerable.Range(1, count).Select(n => new MediaItem($"https://cdn.example.com/photo-{n}.jpg", MediaType.Image));

    public static IEnumerable<MediaItem> Videos(int count) =>
        Enumerable.Range(1, count).Select(n => new MediaItem($"https://cdn.example.com/clip-{n}.mp4", MediaType.Video));

    public static string Repeat(string value, int count) => string.Concat(Enumerable.Repeat(value, count));

    /// <summary>The violations; a TikTok post without options names the privacy level it must (so these tests see the content rules).</summary>
    public static IReadOnlyList<ContentViolation> Validate(string platformId, PostContent content) =>
        ContentRules.Validate(platformId, platformId == PlatformIds.TikTok && content.Options is null ? content with { Options = new PostOptions(new TikTokPostOptions("SELF_ONLY")) } : content,
            PlatformLimitsCatalog.DefaultsFor(platformId));

    /// <summary>The violation codes, in order, for compact assertions.</summary>
    public static string[] Codes(string platformId, PostContent content) =>
        [.. Validate(platformId, content).Select(v => v.Code)];
}
