using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PostNext.Content.Addresses;

namespace PostNext.Content.Tests.Media;

/// <summary>
/// Inspection over HTTP on loopback: the first 256 KB through a Range request, the whole file (capped) only when the
/// headers are further in, the address policy on every request, and every failure answered as a reason, never thrown.
/// </summary>
public sealed class MediaInspectorTests : IAsyncLifetime
{
    private readonly ConcurrentDictionary<string, byte[]> _ranged = new(StringComparer.Ordinal);
    private FakePlatformServer _server = null!;

    public async Task InitializeAsync() =>
        _server = await FakePlatformServer.StartAsync(app =>
        {
            // A host that honours Range (206 with Content-Range), as CDNs do.
            app.MapGet("/ranged/{name}", (string name) =>
                _ranged.TryGetValue(name, out var bytes) ? Results.File(bytes, "video/mp4", enableRangeProcessing: true) : Results.NotFound());
            app.MapGet("/status/{code:int}", (int code) => Results.StatusCode(code));
        });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Fact]
    public async Task A_faststart_mp4_is_read_from_one_ranged_request_of_its_first_256_kb()
    {
        var mp4 = TestMedia.Mp4(1080, 1920, 42, mediaBytes: 2_000_000);
        var url = Ranged("faststart.mp4", mp4);

        var inspection = await Inspector().InspectAsync(new MediaItem(url, MediaType.Video), default);

        Assert.Equal(new MediaFacts(MediaType.Video, "mp4", mp4.Length, 1080, 1920, TimeSpan.FromSeconds(42)), inspection.Facts);
        var request = Assert.Single(_server.Requests, r => r.Path == "/ranged/faststart.mp4");
        Assert.Equal($"bytes=0-{MediaInspector.PrefixBytes - 1}", request.Header("Range"));
    }

    [Fact]
    public async Task An_mp4_with_its_moov_box_last_is_read_again_whole_and_its_duration_found()
    {
        var mp4 = TestMedia.Mp4(720, 1280, 95, moovLast: true, mediaBytes: 600_000);
        var url = Ranged("moov-last.mp4", mp4);

        var inspection = await Inspector().InspectAsync(new MediaItem(url, MediaType.Video), default);

        Assert.Equal(new MediaFacts(MediaType.Video, "mp4", mp4.Length, 720, 1280, TimeSpan.FromSeconds(95)), inspection.Facts);
        var requests = _server.Requests.Where(r => r.Path == "/ranged/moov-last.mp4").ToList();
        Assert.Equal([$"bytes=0-{MediaInspector.PrefixBytes - 1}", null], requests.Select(r => r.Header("Range")));
    }

    [Fact]
    public async Task A_host_that_ignores_range_is_read_on_the_same_answer_and_an_image_from_its_first_bytes()
    {
        var moovLast = TestMedia.Mp4(1920, 1080, 8, moovLast: true, mediaBytes: 400_000);
        var jpeg = TestMedia.Jpeg(1200, 628);
        var video = _server.ServeFile("/plain/moov-last.mp4", moovLast, "video/mp4").AbsoluteUri;
        var image = _server.ServeFile("/plain/photo.jpg", jpeg, "image/jpeg").AbsoluteUri;

        var videoFacts = (await Inspector().InspectAsync(new MediaItem(video, MediaType.Video), default)).Facts;
        var imageFacts = (await Inspector().InspectAsync(new MediaItem(image, MediaType.Image), default)).Facts;

        Assert.Equal((TimeSpan.FromSeconds(8), (long?)moovLast.Length), (videoFacts!.Duration, videoFacts.Bytes));
        Assert.Equal((1200, 628, (long?)jpeg.Length), (imageFacts!.Width, imageFacts.Height, imageFacts.Bytes));
        Assert.Single(_server.Requests, r => r.Path == "/plain/moov-last.mp4");
    }

    [Fact]
    public async Task A_file_past_the_byte_cap_is_not_downloaded_and_says_so()
    {
        var mp4 = TestMedia.Mp4(720, 1280, 10, moovLast: true, mediaBytes: 500_000);
        var url = Ranged("huge.mp4", mp4);

        var inspection = await Inspector(new MediaOptions { AllowPrivateNetworks = true, MaxVideoBytes = 300_000 }).InspectAsync(new MediaItem(url, MediaType.Video), default);

        Assert.Null(inspection.Facts);
        Assert.False(inspection.Transient);
        Assert.Contains("larger than 300,000 bytes", inspection.Unavailable, StringComparison.Ordinal);
        Assert.Single(_server.Requests, r => r.Path == "/ranged/huge.mp4"); // the Content-Range total was enough
    }

    [Theory]
    [InlineData(404, false)]
    [InlineData(403, false)]
    [InlineData(503, true)]
    [InlineData(429, true)]
    public async Task A_status_that_is_not_success_is_a_reason_transient_only_for_a_passing_one(int status, bool transient)
    {
        var inspection = await Inspector().InspectAsync(new MediaItem(_server.Url($"/status/{status}").AbsoluteUri, MediaType.Image), default);

        Assert.EndsWith($"could not be fetched ({status}).", inspection.Unavailable, StringComparison.Ordinal);
        Assert.Equal(transient, inspection.Transient);
    }

    [Fact]
    public async Task A_loopback_url_is_refused_by_the_address_policy_unless_private_networks_are_allowed()
    {
        var url = Ranged("private.mp4", TestMedia.Mp4(1080, 1920, 5));

        var refused = await Inspector(new MediaOptions()).InspectAsync(new MediaItem(url, MediaType.Video), default);

        Assert.Null(refused.Facts);
        Assert.Contains("only public addresses are allowed", refused.Unavailable, StringComparison.Ordinal);
        Assert.DoesNotContain(_server.Requests, r => r.Path == "/ranged/private.mp4");
    }

    private string Ranged(string name, byte[] bytes)
    {
        _ranged[name] = bytes;
        return _server.Url($"/ranged/{name}").AbsoluteUri;
    }

    private static MediaInspector Inspector(MediaOptions? options = null) =>
        MediaInspector.Create(options ?? new MediaOptions { AllowPrivateNetworks = true });
}
