namespace PostNext.Content.Tests.Media;

/// <summary>The facts of a file come from its own headers: format, dimensions, duration; a prefix gives what it holds.</summary>
public sealed class MediaProbeTests
{
    [Fact]
    public void A_jpeg_and_a_png_are_read_with_their_dimensions()
    {
        var jpeg = TestMedia.Jpeg(1080, 1350);
        var png = TestMedia.Png(640, 360);

        Assert.Equal(new MediaFacts(MediaType.Image, "jpeg", jpeg.Length, 1080, 1350, null), MediaProbe.Read(jpeg, jpeg.Length));
        Assert.Equal(new MediaFacts(MediaType.Image, "png", png.Length, 640, 360, null), MediaProbe.Read(png, png.Length));
    }

    [Fact]
    public void An_mp4_and_a_mov_are_read_with_their_picture_size_and_duration()
    {
        var mp4 = TestMedia.Mp4(1080, 1920, 12.5);
        var mov = TestMedia.Mp4(1920, 1080, 4, quickTime: true);

        Assert.Equal(new MediaFacts(MediaType.Video, "mp4", mp4.Length, 1080, 1920, TimeSpan.FromSeconds(12.5)), MediaProbe.Read(mp4, mp4.Length));
        Assert.Equal(new MediaFacts(MediaType.Video, "mov", mov.Length, 1920, 1080, TimeSpan.FromSeconds(4)), MediaProbe.Read(mov, mov.Length));
    }

    [Fact]
    public void The_first_bytes_of_an_mp4_with_its_moov_box_last_hold_no_duration_and_the_whole_file_does()
    {
        var mp4 = TestMedia.Mp4(720, 1280, 30, moovLast: true, mediaBytes: 300_000);

        var prefix = MediaProbe.Read(mp4.AsMemory(0, MediaInspector.PrefixBytes), mp4.Length);
        var whole = MediaProbe.Read(mp4, mp4.Length);

        Assert.Equal(("mp4", false), (prefix!.Format, prefix.IsComplete));
        Assert.Equal((720, 1280, TimeSpan.FromSeconds(30), true), (whole!.Width, whole.Height, whole.Duration, whole.IsComplete));
    }

    [Fact]
    public void Bytes_of_no_known_format_give_no_facts()
    {
        var noise = new byte[5000];
        new Random(7).NextBytes(noise);

        Assert.Null(MediaProbe.Read(noise, noise.Length));
        Assert.Null(MediaProbe.Read(Array.Empty<byte>(), 0));
    }
}
