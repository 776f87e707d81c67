using System.Globalization;
using PostNext.Abstractions.Posts;
using PostNext.Content.Media;
using static PostNext.Content.Rules.ContentViolationCodes;

namespace PostNext.Content.Rules;

/// <summary>
/// Checks each media file, as read from its own headers (<see cref="MediaInspector"/>), against one placement's
/// <see cref="MediaLimits"/>: the kind the post declared, the format, the size, the dimensions, the aspect ratio and a
/// video's duration. Each violation names the file by its index (<c>media[i]</c>).
/// </summary>
public static class MediaRules
{
    // Formats MediaProbe tells apart. A platform that also takes formats outside this set (TikTok's WebM) lets a file
    // the probe cannot read go to the platform, which has the last word; otherwise such a file is refused here.
    private static readonly HashSet<string> Recognized = new(["jpeg", "png", "gif", "webp", "bmp", "tiff", "heif", "mp4", "mov", "avi"], StringComparer.Ordinal);

    /// <summary>Every violation of <paramref name="limits"/> in the files of <paramref name="media"/>, given what inspecting each URL found.</summary>
    public static IReadOnlyList<ContentViolation> Check(
        string platformId, IReadOnlyList<MediaItem> media, IReadOnlyDictionary<MediaItem, MediaInspection> inspections, MediaLimits limits)
    {
        ArgumentNullException.ThrowIfNull(media);
        ArgumentNullException.ThrowIfNull(inspections);
        ArgumentNullException.ThrowIfNull(limits);
        var platform = ContentRules.DisplayName(platformId);
        var violations = new List<ContentViolation>();
        for (var i = 0; i < media.Count; i++)
        {
            if (inspections.TryGetValue(media[i], out var inspection))
            {
                violations.AddRange(CheckOne(platform, Format($"media[{i}]"), media[i], inspection, limits));
            }
        }

        return violations;
    }

    /// <summary>Whether <paramref name="limits"/> look at <paramref name="item"/>'s file at all (so it must be fetched).</summary>
    public static bool Inspects(MediaItem item, MediaLimits limits) =>
        item.Type == MediaType.Image ? limits.Image is not null : limits.Video is not null;

    private static IEnumerable<ContentViolation> CheckOne(string platform, string field, MediaItem item, MediaInspection inspection, MediaLimits limits)
    {
        var noun = item.Type == MediaType.Image ? "image" : "video";
        if (inspection.Unavailable is { } reason)
        {
            yield return new(MediaUnavailable, field, $"{reason} It could not be checked against {platform}'s rules.");
            yield break;
        }

        var formats = item.Type == MediaType.Image ? limits.Image?.Formats : limits.Video?.Formats;
        if (formats is null)
        {
            yield break; // No rules for this kind here.
        }

        if (inspection.Facts is not { } facts)
        {
            if (formats.Length > 0 && formats.All(Recognized.Contains))
            {
                yield return new(MediaUnreadable, field, $"The file at {item.Url} is not a {Formats(formats)} {noun} (its format was not recognized).");
            }

            yield break;
        }

        if (facts.Kind != item.Type)
        {
            yield return new(MediaKindMismatch, field, $"The file at {item.Url} is declared as {A(noun)} but is {A(facts.Kind == MediaType.Image ? "image" : "video")} ({Name(facts.Format)}).");
            yield break;
        }

        var violations = item.Type == MediaType.Image
            ? CheckImage(platform, facts, limits.Image!)
            : CheckVideo(platform, facts, limits.Video!);
        foreach (var (code, message) in violations)
        {
            yield return new(code, field, message);
        }
    }

    private static IEnumerable<(string, string)> CheckImage(string platform, MediaFacts facts, ImageLimits limits)
    {
        if (FormatNotAllowed(platform, facts, limits.Formats, "images") is { } format)
        {
            yield return (MediaFormat, format);
            yield break;
        }

        var maxBytes = limits.MaxBytesByFormat.TryGetValue(facts.Format, out var formatMax) ? formatMax : limits.MaxBytes;
        if (TooLarge(platform, facts, maxBytes, "images") is { } large)
        {
            yield return (MediaTooLarge, large);
        }

        foreach (var problem in Dimensions(platform, facts, limits, "images"))
        {
            yield return (MediaDimensions, problem);
        }

        if (limits.MaxPixels is long maxPixels && facts.Width * (long?)facts.Height is long pixels && pixels > maxPixels)
        {
            yield return (MediaDimensions, Format($"The image has {pixels:N0} pixels ({facts.Width}×{facts.Height}); {platform} allows {maxPixels:N0}."));
        }

        if (AspectRatio(platform, facts, limits, "images") is { } aspect)
        {
            yield return (MediaAspectRatio, aspect);
        }
    }

    private static IEnumerable<(string, string)> CheckVideo(string platform, MediaFacts facts, VideoLimits limits)
    {
        if (FormatNotAllowed(platform, facts, limits.Formats, "videos") is { } format)
        {
            yield return (MediaFormat, format);
            yield break;
        }

        if (TooLarge(platform, facts, limits.MaxBytes, "videos") is { } large)
        {
            yield return (MediaTooLarge, large);
        }

        if (facts.Duration is not { } duration)
        {
            if (limits.MinDuration is not null || limits.MaxDuration is not null)
            {
                yield return (MediaUnreadable, $"The video's duration could not be read from its headers (no movie header), so it cannot be checked against {platform}'s limits.");
            }
        }
        else if (duration < limits.MinDuration)
        {
            yield return (VideoTooShort, $"The video is {Seconds(duration)} long; {platform} needs at least {Seconds(limits.MinDuration.Value)}.");
        }
        else if (duration > limits.MaxDuration)
        {
            yield return (VideoTooLong, $"The video is {Seconds(duration)} long; {platform} allows at most {Seconds(limits.MaxDuration.Value)}.");
        }

        foreach (var problem in Dimensions(platform, facts, limits, "videos"))
        {
            yield return (MediaDimensions, problem);
        }

        if (AspectRatio(platform, facts, limits, "videos") is { } aspect)
        {
            yield return (MediaAspectRatio, aspect);
        }
    }

    private static string? FormatNotAllowed(string platform, MediaFacts facts, string[] formats, string nouns) =>
        formats.Length == 0 || formats.Contains(facts.Format, StringComparer.OrdinalIgnoreCase)
            ? null
            : $"The file is {A(Name(facts.Format))}; {platform} takes {Formats(formats)} {nouns} only.";

    private static string? TooLarge(string platform, MediaFacts facts, long? max, string nouns) =>
        max is long limit && facts.Bytes is long bytes && bytes > limit
            ? Format($"The file is {Size(bytes)}; {platform} takes {nouns} up to {Size(limit)}.")
            : null;

    private static IEnumerable<string> Dimensions(string platform, MediaFacts facts, FileLimits limits, string nouns)
    {
        if (facts.Width is int width && (width < limits.MinWidth || width > limits.MaxWidth))
        {
            yield return Format($"The {Singular(nouns)} is {width} px wide; {platform} takes {nouns} {Range(limits.MinWidth, limits.MaxWidth)} px wide.");
        }

        if (facts.Height is int height && (height < limits.MinHeight || height > limits.MaxHeight))
        {
            yield return Format($"The {Singular(nouns)} is {height} px high; {platform} takes {nouns} {Range(limits.MinHeight, limits.MaxHeight)} px high.");
        }
    }

    private static string? AspectRatio(string platform, MediaFacts facts, FileLimits limits, string nouns) =>
        facts.AspectRatio is double ratio && (ratio < limits.MinAspectRatio || ratio > limits.MaxAspectRatio)
            ? Format($"The {Singular(nouns)} is {facts.Width}×{facts.Height} (aspect ratio {ratio:0.###}); {platform} takes {nouns} with an aspect ratio (width / height) {Range(limits.MinAspectRatio, limits.MaxAspectRatio)}.")
            : null;

    private static string Range<T>(T? min, T? max)
        where T : struct, IFormattable => (min, max) switch
        {
            ({ } lo, { } hi) => Format($"from {lo:0.###} to {hi:0.###}"),
            ({ } lo, null) => Format($"of at least {lo:0.###}"),
            (null, { } hi) => Format($"of at most {hi:0.###}"),
            _ => "of any size",
        };

    private static string Singular(string nouns) => nouns[..^1];

    private static string Formats(string[] formats) => string.Join(", ", formats.Select(Name));

    private static string Name(string format) => format switch
    {
        "jpeg" => "JPEG",
        "webp" => "WebP",
        "heif" => "HEIF",
        "tiff" => "TIFF",
        _ => format.ToUpperInvariant(),
    };

    private static string A(string word) => ("AEIOUaeiou".Contains(word[0], StringComparison.Ordinal) || word.StartsWith("MP4", StringComparison.Ordinal) ? "an " : "a ") + word;

    private static string Seconds(TimeSpan duration) => duration.TotalSeconds switch
    {
        >= 3600 => Format($"{duration.TotalHours:0.##} h"),
        >= 120 => Format($"{duration.TotalMinutes:0.##} min"),
        var s => Format($"{s:0.##} s"),
    };

    private static string Size(long bytes) => bytes switch
    {
        >= 1L << 30 => Format($"{bytes / (double)(1L << 30):0.##} GB"),
        >= 1L << 20 => Format($"{bytes / (double)(1L << 20):0.##} MB"),
        >= 1L << 10 => Format($"{bytes / 1024.0:0.##} KB"),
        _ => Format($"{bytes} bytes"),
    };

    private static string Format(FormattableString message) => message.ToString(CultureInfo.InvariantCulture);
}
