using System.Net;
using Microsoft.Extensions.Options;
using PostNext.Abstractions;
using PostNext.Abstractions.Webhooks;
using PostNext.Grains.Webhooks;

namespace PostNext.Grains.Tests.Webhooks;

/// <summary>Receiver URLs: their form, where their host resolves, and the same check again when delivering (DNS rebinding).</summary>
public sealed class WebhookUrlPolicyTests
{
    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("hooks.example.com/x")]
    [InlineData("ftp://hooks.example.com/x")]
    [InlineData("http://hooks.example.com/x")]
    [InlineData("https://user:pass@hooks.example.com/x")]
    [InlineData("https://hooks.example.com/x#part")]
    public async Task Malformed_plain_http_or_credential_carrying_urls_are_refused(string? url)
    {
        var policy = Policy(allowPrivate: false, _ => [IPAddress.Parse("93.184.216.34")]);
        Assert.NotNull(await policy.ValidateAsync(url));
    }

    [Fact]
    public async Task A_host_is_refused_when_any_of_its_addresses_is_private_or_when_it_does_not_resolve()
    {
        var policy = Policy(allowPrivate: false, host => host switch
        {
            "public.example.com" => [IPAddress.Parse("93.184.216.34"), IPAddress.Parse("2606:2800:220:1::1")],
            "mixed.example.com" => [IPAddress.Parse("93.184.216.34"), IPAddress.Parse("10.0.0.7")],
            "internal.example.com" => [IPAddress.Parse("fd00::7")],
            _ => throw new System.Net.Sockets.SocketException((int)System.Net.Sockets.SocketError.HostNotFound),
        });

        Assert.Null(await policy.ValidateAsync("https://public.example.com/hooks"));
        Assert.Contains("10.0.0.7", await policy.ValidateAsync("https://mixed.example.com/hooks"), StringComparison.Ordinal);
        Assert.NotNull(await policy.ValidateAsync("https://internal.example.com/hooks"));
        Assert.Contains("could not be resolved", await policy.ValidateAsync("https://nowhere.example.com/hooks"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task With_private_networks_allowed_loopback_and_http_are_accepted()
    {
        var policy = Policy(allowPrivate: true, _ => [IPAddress.Loopback]);
        Assert.Null(await policy.ValidateAsync("http://127.0.0.1:5000/hooks"));
        Assert.Null(await policy.ValidateAsync("https://localhost/hooks"));
        Assert.Null(await policy.ValidateAsync("http://192.168.1.20/hooks"));
    }

    [Fact]
    public async Task A_name_that_resolves_to_a_private_address_at_delivery_time_is_not_connected_to()
    {
        // Public when the webhook was created, loopback when the delivery connects: the rebinding trick.
        await using var receiver = await FakePlatformServer.StartAsync(_ => { });
        var calls = 0;
        var policy = Policy(allowPrivate: false, _ => Interlocked.Increment(ref calls) == 1 ? [IPAddress.Parse("93.184.216.34")] : [IPAddress.Loopback]);
        var url = $"https://rebind.example.com:{receiver.BaseUrl.Port}/hooks";
        Assert.Null(await policy.ValidateAsync(url));

        using var handler = policy.CreateHandler();
        var sender = new WebhookSender(new SingleClientFactory(handler), policy, Options(false), TimeProvider.System);
        var delivery = new WebhookDelivery("dlv1", "ws1", "wh1", "evt1", WebhookEventTypes.Test, "{}", DateTimeOffset.UtcNow, WebhookDeliveryStatus.Pending, 0, null, null, []);
        var result = await sender.SendAsync(new WebhookTarget("wh1", url, new Secret("0123456789abcdef")), delivery);

        Assert.False(result.Delivered);
        Assert.True(result.ReceiverUnavailable);
        Assert.Null(result.Attempt.StatusCode);
        Assert.Contains("127.0.0.1", result.Attempt.Error, StringComparison.Ordinal);
        Assert.Empty(receiver.Requests);
    }

    private static IOptions<WebhookOptions> Options(bool allowPrivate) =>
        Microsoft.Extensions.Options.Options.Create(new WebhookOptions { AllowPrivateNetworks = allowPrivate, RequestTimeout = TimeSpan.FromSeconds(3) });

    private static WebhookUrlPolicy Policy(bool allowPrivate, Func<string, IPAddress[]> resolve) =>
        new(Options(allowPrivate), (host, _) => Task.FromResult(resolve(host)));

    private sealed class SingleClientFactory(HttpMessageHandler handler) : IHttpClientFactory
    {
        public HttpClient CreateClient(string name) => new(handler, disposeHandler: false) { Timeout = Timeout.InfiniteTimeSpan };
    }
}
