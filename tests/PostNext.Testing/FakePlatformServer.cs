using System.Collections.Concurrent;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace PostNext.Testing;

/// <summary>
/// A fake of a social platform's HTTP API, served by Kestrel on a loopback port, so connectors run their real HTTP
/// code in tests. It records every request (method, path, query, headers, body) and lets a test queue scripted
/// failures in front of the normal routes, or headers added to a route's own answer (a rate-limit header on a success).
/// </summary>
public sealed class FakePlatformServer : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly ConcurrentQueue<RecordedRequest> _requests = new();
    private readonly ConcurrentQueue<ScriptedResponse> _script = new();
    private readonly ConcurrentQueue<ScriptedHeaders> _headers = new();
    private readonly ConcurrentDictionary<string, (byte[] Bytes, string ContentType)> _files = new(StringComparer.Ordinal);

    private FakePlatformServer(WebApplication app, Uri baseUrl)
    {
        _app = app;
        BaseUrl = baseUrl;
    }

    /// <summary>The server's root, e.g. http://127.0.0.1:41234/.</summary>
    public Uri BaseUrl { get; }

    /// <summary>Every request received, in order.</summary>
    public IReadOnlyList<RecordedRequest> Requests => [.. _requests];

    /// <summary>Starts a fake whose routes are mapped by <paramref name="map"/>.</summary>
    public static async Task<FakePlatformServer> StartAsync(Action<IEndpointRouteBuilder> map)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.WebHost.UseUrls("http://127.0.0.1:0");
        builder.Logging.ClearProviders();
        var app = builder.Build();
        FakePlatformServer? server = null;
        app.Use(async (context, next) =>
        {
            context.Request.EnableBuffering();
            using var reader = new StreamReader(context.Request.Body, leaveOpen: true);
            var body = await reader.ReadToEndAsync();
            context.Request.Body.Position = 0;
            using var bytes = new MemoryStream();
            await context.Request.Body.CopyToAsync(bytes);
            context.Request.Body.Position = 0;
            server!._requests.Enqueue(new RecordedRequest(
                context.Request.Method,
                context.Request.Path.Value ?? "",
                context.Request.QueryString.Value ?? "",
                context.Request.Headers.ToDictionary(h => h.Key, h => h.Value.ToString(), StringComparer.OrdinalIgnoreCase),
                body,
                bytes.ToArray()));

            if (server._script.TryPeek(out var scripted) && scripted.Matches(context.Request) && server._script.TryDequeue(out scripted))
            {
                await scripted.Respond(context);
                return;
            }

            if (server._headers.TryPeek(out var extra) && extra.Matches(context.Request) && server._headers.TryDequeue(out extra))
            {
                foreach (var (name, value) in extra.Headers)
                {
                    context.Response.Headers[name] = value;
                }
            }

            if (HttpMethods.IsGet(context.Request.Method) && server._files.TryGetValue(context.Request.Path.Value ?? "", out var file))
            {
                context.Response.ContentType = file.ContentType;
                await context.Response.Body.WriteAsync(file.Bytes);
                return;
            }

            await next(context);
        });
        map(app);
        await app.StartAsync();
        var address = app.Services.GetRequiredService<IServer>().Features.Get<IServerAddressesFeature>()!.Addresses.First();
        server = new FakePlatformServer(app, new Uri(address.TrimEnd('/') + "/"));
        return server;
    }

    /// <summary>The next request matching method and path prefix gets this response instead of the route's.</summary>
    public void Fail(string method, string pathPrefix, Func<HttpContext, Task> respond) =>
        _script.Enqueue(new ScriptedResponse(method, pathPrefix, respond));

    /// <summary>Shorthand: answer the next matching request with a status, JSON body and headers.</summary>
    public void Fail(string method, string pathPrefix, int status, string json, params (string Name, string Value)[] headers) =>
        Fail(method, pathPrefix, async context =>
        {
            context.Response.StatusCode = status;
            foreach (var (name, value) in headers)
            {
                context.Response.Headers[name] = value;
            }

            context.Response.ContentType = "application/json";
            await context.Response.WriteAsync(json);
        });

    /// <summary>The next request matching method and path prefix gets the route's own answer, with these headers added.</summary>
    public void AddHeaders(string method, string pathPrefix, params (string Name, string Value)[] headers) =>
        _headers.Enqueue(new ScriptedHeaders(method, pathPrefix, headers));

    /// <summary>The next matching request hangs past any reasonable client timeout (a timeout mid-publish).</summary>
    public void Hang(string method, string pathPrefix, TimeSpan howLong) =>
        Fail(method, pathPrefix, async context => await Task.Delay(howLong, context.RequestAborted).ContinueWith(_ => { }, TaskScheduler.Default));

    public Uri Url(string relative) => new(BaseUrl, relative.TrimStart('/'));

    /// <summary>Serves bytes at <paramref name="path"/> (e.g. <c>/media/a.jpg</c>), as a post's media would be hosted; returns its URL.</summary>
    public Uri ServeFile(string path, byte[] bytes, string contentType)
    {
        var absolute = "/" + path.TrimStart('/');
        _files[absolute] = (bytes, contentType);
        return Url(absolute);
    }

    public void ClearRequests() => _requests.Clear();

    public async ValueTask DisposeAsync()
    {
        await _app.StopAsync();
        await _app.DisposeAsync();
    }

    private sealed record ScriptedResponse(string Method, string PathPrefix, Func<HttpContext, Task> Respond)
    {
        public bool Matches(HttpRequest request) => RequestMatches(request, Method, PathPrefix);
    }

    private sealed record ScriptedHeaders(string Method, string PathPrefix, (string Name, string Value)[] Headers)
    {
        public bool Matches(HttpRequest request) => RequestMatches(request, Method, PathPrefix);
    }

    private static bool RequestMatches(HttpRequest request, string method, string pathPrefix) =>
        string.Equals(request.Method, method, StringComparison.OrdinalIgnoreCase) &&
        (request.Path.Value ?? "").StartsWith(pathPrefix, StringComparison.Ordinal);
}

/// <summary>One request as the fake received it.</summary>
public sealed record RecordedRequest(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string Body, byte[] BodyBytes)
{
    public string? Header(string name) => Headers.GetValueOrDefault(name);
}
