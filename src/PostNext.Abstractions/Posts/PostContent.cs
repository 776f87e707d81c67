namespace PostNext.Abstractions.Posts;

/// <summary>The kind of a media attachment.</summary>
[GenerateSerializer, Alias("PostNext.MediaType")]
public enum MediaType
{
    Image = 0,
    Video = 1,
}

/// <summary>A media attachment, fetched by the platform (or uploaded by the connector) from its URL.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.MediaItem")]
public sealed record MediaItem(
    [property: Id(0)] string Url,
    [property: Id(1)] MediaType Type);

/// <summary>What is published: the text (caption, commentary, description), media, and a title where the platform has one (YouTube).</summary>
[GenerateSerializer, Immutable, Alias("PostNext.PostContent")]
public sealed record PostContent(
    [property: Id(0)] string Text,
    [property: Id(1)] IReadOnlyList<MediaItem> Media,
    [property: Id(2)] string? Title = null)
{
    public static readonly PostContent Empty = new(string.Empty, []);

    /// <summary>This content with a target's overrides applied: each given field replaces the post-wide one.</summary>
    public PostContent With(ContentOverrides? overrides) => overrides is null
        ? this
        : new PostContent(overrides.Text ?? Text, overrides.Media ?? Media, overrides.Title ?? Title);
}

/// <summary>Per-target replacements for the post-wide content.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.ContentOverrides")]
public sealed record ContentOverrides(
    [property: Id(0)] string? Text = null,
    [property: Id(1)] IReadOnlyList<MediaItem>? Media = null,
    [property: Id(2)] string? Title = null);
