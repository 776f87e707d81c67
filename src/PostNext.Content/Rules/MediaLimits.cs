namespace PostNext.Content.Rules;

/// <summary>Where on a platform a post goes; media rules differ between a feed post, a reel and a story.</summary>
public static class MediaPlacements
{
    public const string Feed = "feed";
    public const string Reel = "reel";
    public const string Story = "story";
}

/// <summary>What a platform accepts of one file of a kind. A null limit means "no limit"; an empty format list, any format.</summary>
public abstract class FileLimits
{
    /// <summary>Container formats accepted, as <see cref="Media.MediaFacts.Format"/> names them (jpeg, png, gif, webp, mp4, mov, …).</summary>
    public string[] Formats { get; set; } = [];

    /// <summary>Largest file in bytes.</summary>
    public long? MaxBytes { get; set; }

    /// <summary>Narrowest picture (as shown), in pixels.</summary>
    public int? MinWidth { get; set; }

    public int? MaxWidth { get; set; }

    public int? MinHeight { get; set; }

    public int? MaxHeight { get; set; }

    /// <summary>Narrowest width / height of the picture as shown, e.g. 0.8 for 4:5 or 0.5625 for 9:16.</summary>
    public double? MinAspectRatio { get; set; }

    /// <summary>Widest width / height of the picture as shown, e.g. 1.91 for 1.91:1.</summary>
    public double? MaxAspectRatio { get; set; }
}

/// <summary>What a platform accepts of one image file.</summary>
public sealed class ImageLimits : FileLimits
{
    /// <summary>Largest file in bytes for one format where it differs from <see cref="FileLimits.MaxBytes"/> (X: GIF 15 MB).</summary>
    public Dictionary<string, long> MaxBytesByFormat { get; set; } = new(StringComparer.OrdinalIgnoreCase);

    /// <summary>Most pixels (width × height).</summary>
    public long? MaxPixels { get; set; }
}

/// <summary>What a platform accepts of one video file.</summary>
public sealed class VideoLimits : FileLimits
{
    public TimeSpan? MinDuration { get; set; }

    public TimeSpan? MaxDuration { get; set; }
}

/// <summary>The file rules of one placement: null for a kind means the rules do not look at that kind's files.</summary>
public sealed class MediaLimits
{
    public ImageLimits? Image { get; set; }

    public VideoLimits? Video { get; set; }
}
