namespace PostNext.Content.Media;

/// <summary>
/// What fetching a media URL found: the file's facts, or why it could not be read. <see cref="Facts"/> null with
/// <see cref="Unavailable"/> null means the file was fetched but is no image or video format we recognize.
/// </summary>
public sealed record MediaInspection(string Url, MediaFacts? Facts, long? Bytes, string? Unavailable = null, bool Transient = false)
{
    public static MediaInspection Failed(string url, string reason, bool transient) => new(url, null, null, reason, transient);
}
