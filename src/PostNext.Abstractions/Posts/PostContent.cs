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

/// <summary>
/// What is published: the text (caption, commentary, description), media, a title where the platform has one
/// (YouTube) and, for one target, the choices made for it on its platform (<see cref="Options"/>; null on the
/// post-wide content).
/// </summary>
[GenerateSerializer, Immutable, Alias("PostNext.PostContent")]
public sealed record PostContent(
    [property: Id(0)] string Text,
    [property: Id(1)] IReadOnlyList<MediaItem> Media,
    [property: Id(2)] string? Title = null,
    [property: Id(3)] PostOptions? Options = null)
{
    public static readonly PostContent Empty = new(string.Empty, []);

    /// <summary>
    /// What one target publishes: each given override replaces the post-wide field, the target's options come along,
    /// and YouTube's title and description (when set) replace the title and text.
    /// </summary>
    public PostContent With(ContentOverrides? overrides, PostOptions? options = null)
    {
        var content = overrides is null ? this : new PostContent(overrides.Text ?? Text, overrides.Media ?? Media, overrides.Title ?? Title, Options);
        if (options is null)
        {
            return content;
        }

        var youTube = options.YouTube;
        return content with { Text = youTube?.Description ?? content.Text, Title = youTube?.Title ?? content.Title, Options = options };
    }
}

/// <summary>Per-target replacements for the post-wide content.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.ContentOverrides")]
public sealed record ContentOverrides(
    [property: Id(0)] string? Text = null,
    [property: Id(1)] IReadOnlyList<MediaItem>? Media = null,
    [property: Id(2)] string? Title = null);
