using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using PostNext.Abstractions.Posts;
using PostNext.Platforms.Common;
using PostNext.Testing;
using PostNext.Content.Addresses;

namespace PostNext.Platforms.Tests.Common;

/// <summary>
/// Media URLs are the workspace's choice, so the fetcher refuses non-public addresses (per connection, redirects
/// included), stops a body at its cap while streaming, and refuses a served type that does not match the item.
/// </summary>
public sealed class MediaFetcherTests : IAsyncLifetime
{
    private static readonly byte[] Png = [0x89, 0x50, 0x4E, 0x47, 1, 2, 3, 4];

    private FakePlatformServer _server = null!;

    public async Task InitializeAsync() => _server = await FakePlatformServer.StartAsync(routes =>
    {
        // An endless chunked body: no Content-Length, never ends.
        routes.MapGet("/endless.png", async (HttpContext context) =>
        {
            context.Response.ContentType = "image/png";
            var chunk = new byte[64 * 1024];
            while (!context.RequestAborted.IsCancellationRequested)
            {
                await context.Response.Body.WriteAsync(chunk, context.RequestAborted);
            }
        });
        routes.MapGet("/hop", (HttpContext context) =>
        {
            context.Response.StatusCode = 302;
            context.Response.Headers.Location = "/media/a.png";
            return Task.CompletedTask;
        });
    });

    public async Task DisposeAsync() => await _server.DisposeAsync();

    [Theory]
    [InlineData("127.0.0.1")]
    [InlineData("localhost")]
    public async Task Media_on_a_loopback_address_is_refused_as_invalid_content_without_a_request(string host)
    {
        var url = new UriBuilder(_server.ServeFile("/media/a.png", Png, "image/png")) { Host = host }.Uri;
        var fetcher = Fetcher(new MediaOptions());

        var refused = await Assert.ThrowsAsync<PlatformException>(() => fetcher.FetchAsync(new MediaItem(url.ToString(), MediaType.Image), CancellationToken.None));

        Assert.Equal(ErrorCategory.InvalidContent, refused.Error.Category);
        Assert.Contains("not fetched", refused.Error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(_server.Requests, r => r.Path == "/media/a.png");
    }

    [Fact]
    public async Task An_endless_chunked_body_stops_at_the_cap_and_is_refused()
    {
        var fetcher = Fetcher(new MediaOptions { AllowPrivateNetworks = true, MaxImageBytes = 1_000_000 });

        var refused = await Assert.ThrowsAsync<PlatformException>(() =>
            fetcher.FetchAsync(new MediaItem(_server.Url("/endless.png").ToString(), MediaType.Image), CancellationToken.None).WaitAsync(TimeSpan.FromSeconds(20)));

        Assert.Equal(ErrorCategory.InvalidContent, refused.Error.Category);
        Assert.Contains("larger than 1000000 bytes", refused.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Media_served_as_another_type_than_the_item_is_refused()
    {
        var url = _server.ServeFile("/media/page.png", "<html>secret</html>"u8.ToArray(), "text/html");
        var fetcher = Fetcher(new MediaOptions { AllowPrivateNetworks = true });

        var refused = await Assert.ThrowsAsync<PlatformException>(() => fetcher.FetchAsync(new MediaItem(url.ToString(), MediaType.Image), CancellationToken.None));

        Assert.Equal(ErrorCategory.InvalidContent, refused.Error.Category);
        Assert.Contains("text/html", refused.Error.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("secret", refused.Error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_redirect_is_followed_and_its_target_checked_like_the_first()
    {
        _server.ServeFile("/media/a.png", Png, "image/png");

        var fetched = await Fetcher(new MediaOptions { AllowPrivateNetworks = true }).FetchAsync(new MediaItem(_server.Url("/hop").ToString(), MediaType.Image), CancellationToken.None);
        var refused = await Assert.ThrowsAsync<PlatformException>(() =>
            Fetcher(new MediaOptions { AllowPrivateNetworks = true, MaxRedirects = 0 }).FetchAsync(new MediaItem(_server.Url("/hop").ToString(), MediaType.Image), CancellationToken.None));

        Assert.Equal(Png, fetched.Bytes);
        Assert.Equal("image/png", fetched.ContentType);
        Assert.Contains("redirects", refused.Error.Message, StringComparison.Ordinal);
    }

    private static MediaFetcher Fetcher(MediaOptions settings) => new(new HandlerFactory(MediaFetcher.CreateHandler(settings)), Options.Create(settings));

    private sealed class HandlerFactory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
    }
}
