using PostNext.Abstractions.Posts;

namespace PostNext.Content.Media;

/// <summary>
/// What a media file is, read from its own bytes (not its URL or the type the server claims): the container format
/// (<c>jpeg</c>, <c>png</c>, <c>gif</c>, <c>webp</c>, <c>mp4</c>, <c>mov</c>, …), its size, its display dimensions
/// (a rotated video counts as shown) and, for a video, its duration. A null field was not found in the headers.
/// </summary>
public sealed record MediaFacts(MediaType Kind, string Format, long? Bytes, int? Width, int? Height, TimeSpan? Duration)
{
    /// <summary>Whether everything the rules look at was found: dimensions, and the duration of a video.</summary>
    public bool IsComplete => Width is > 0 && Height is > 0 && (Kind == MediaType.Image || Duration is not null);

    /// <summary>Width divided by height, when both are known.</summary>
    public double? AspectRatio => Width is > 0 && Height is > 0 ? (double)Width.Value / Height.Value : null;
}
