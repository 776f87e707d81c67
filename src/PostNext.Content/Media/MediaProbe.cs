using MetadataExtractor;
using MetadataExtractor.Formats.Gif;
using MetadataExtractor.Formats.Jpeg;
using MetadataExtractor.Formats.Png;
using MetadataExtractor.Formats.QuickTime;
using MetadataExtractor.Formats.WebP;
using MetadataExtractor.Util;
using PostNext.Abstractions.Posts;
using Directory = MetadataExtractor.Directory;

namespace PostNext.Content.Media;

/// <summary>
/// Reads <see cref="MediaFacts"/> from a file's headers with MetadataExtractor (it reads image headers and MP4/MOV
/// boxes without decoding a frame). Given a prefix of a file, it reads what the prefix holds: an MP4 whose
/// <c>moov</c> box comes after the media data has no duration or size in its first bytes.
/// </summary>
public static class MediaProbe
{
    /// <summary>The facts in <paramref name="bytes"/> (the whole file or its first bytes), or null when the format is not an image or video format we know.</summary>
    public static MediaFacts? Read(ReadOnlyMemory<byte> bytes, long? totalBytes)
    {
        IReadOnlyList<Directory> directories;
        FileType type;
        try
        {
            using var stream = new MemoryStream(bytes.ToArray(), writable: false);
            type = FileTypeDetector.DetectFileType(stream);
            stream.Position = 0;
            directories = ImageMetadataReader.ReadMetadata(stream);
        }
        catch (Exception ex) when (ex is ImageProcessingException or IOException or ArgumentException or InvalidOperationException or IndexOutOfRangeException)
        {
            return null;
        }

        return type switch
        {
            FileType.Jpeg => Image("jpeg", Size<JpegDirectory>(directories, JpegDirectory.TagImageWidth, JpegDirectory.TagImageHeight), totalBytes),
            FileType.Png => Image("png", Size<PngDirectory>(directories, PngDirectory.TagImageWidth, PngDirectory.TagImageHeight), totalBytes),
            FileType.Gif => Image("gif", Size<GifHeaderDirectory>(directories, GifHeaderDirectory.TagImageWidth, GifHeaderDirectory.TagImageHeight), totalBytes),
            FileType.WebP => Image("webp", Size<WebPDirectory>(directories, WebPDirectory.TagImageWidth, WebPDirectory.TagImageHeight), totalBytes),
            FileType.Mp4 => Video("mp4", directories, totalBytes),
            FileType.QuickTime => Video(IsQuickTimeBrand(directories) ? "mov" : "mp4", directories, totalBytes),
            FileType.Unknown => null,
            // A format the library knows but no platform takes (HEIF, TIFF, BMP, AVI, …): its name, so the rules can say so.
            _ => new MediaFacts(IsVideo(type) ? MediaType.Video : MediaType.Image, type.ToString().ToLowerInvariant(), totalBytes, null, null, null),
        };
    }

    private static bool IsVideo(FileType type) => type is FileType.Avi or FileType.Mp4 or FileType.QuickTime;

    private static MediaFacts Image(string format, (int? Width, int? Height) size, long? totalBytes) =>
        new(MediaType.Image, format, totalBytes, size.Width, size.Height, null);

    private static MediaFacts Video(string format, IReadOnlyList<Directory> directories, long? totalBytes)
    {
        TimeSpan? duration = directories.OfType<QuickTimeMovieHeaderDirectory>().FirstOrDefault() is { } movie &&
                             movie.GetObject(QuickTimeMovieHeaderDirectory.TagDuration) is TimeSpan d
            ? d
            : null;

        // The picture is the largest track (audio tracks are 0×0); a track rotated a quarter turn is shown the other way round.
        var track = directories.OfType<QuickTimeTrackHeaderDirectory>()
            .Select(t => (Width: Dimension(t, QuickTimeTrackHeaderDirectory.TagWidth), Height: Dimension(t, QuickTimeTrackHeaderDirectory.TagHeight), Rotation: Rotation(t)))
            .Where(t => t.Width > 0 && t.Height > 0)
            .OrderByDescending(t => (long)t.Width * t.Height)
            .FirstOrDefault();
        int? width = track.Width > 0 ? track.Width : null;
        int? height = track.Height > 0 ? track.Height : null;
        if (Math.Abs(track.Rotation % 180) == 90)
        {
            (width, height) = (height, width);
        }

        return new MediaFacts(MediaType.Video, format, totalBytes, width, height, duration);
    }

    private static bool IsQuickTimeBrand(IReadOnlyList<Directory> directories) =>
        directories.OfType<QuickTimeFileTypeDirectory>().FirstOrDefault()?.GetString(QuickTimeFileTypeDirectory.TagMajorBrand)?.Trim() == "qt";

    private static int Dimension(Directory directory, int tag) =>
        directory.GetObject(tag) switch
        {
            decimal value => (int)Math.Round(value),
            null => 0,
            _ => directory.TryGetInt32(tag, out var value) ? value : 0,
        };

    private static int Rotation(Directory directory) =>
        directory.GetObject(QuickTimeTrackHeaderDirectory.TagRotation) is double rotation ? (int)Math.Round(rotation) : 0;

    private static (int?, int?) Size<T>(IReadOnlyList<Directory> directories, int widthTag, int heightTag)
        where T : Directory
    {
        var directory = directories.OfType<T>().FirstOrDefault();
        return directory is null
            ? (null, null)
            : (directory.TryGetInt32(widthTag, out var w) && w > 0 ? w : null, directory.TryGetInt32(heightTag, out var h) && h > 0 ? h : null);
    }
}
