using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.DependencyInjection;

namespace PostNext.Testing;

/// <summary>A real web host (Kestrel on a loopback port) started in the test process, with an HTTP client for it.</summary>
public sealed class RunningHost : IAsyncDisposable
{
    private bool _stopped;

    private RunningHost(WebApplication app, Uri address)
    {
        App = app;
        Address = address;
        Http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(60) };
    }

    public WebApplication App { get; }

    public Uri Address { get; }

    public HttpClient Http { get; }

    public IServiceProvider Services => App.Services;

    /// <summary>Starts the app; its URLs must use port 0 or a free port on 127.0.0.1.</summary>
    public static async Task<RunningHost> StartAsync(WebApplication app)
    {
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        return new RunningHost(app, new Uri(address.TrimEnd('/') + "/"));
    }

    /// <summary>Graceful stop (the silo leaves the cluster cleanly).</summary>
    public async Task StopAsync()
    {
        if (_stopped)
        {
            return;
        }

        _stopped = true;
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(60));
        await App.StopAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await StopAsync();
        await App.DisposeAsync();
    }
}
