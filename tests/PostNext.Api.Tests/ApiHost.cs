using Microsoft.Extensions.DependencyInjection;
using System.Net.Http.Headers;
using System.Text;
using PostNext.Silo.Hosting;

namespace PostNext.Api.Tests;

/// <summary>The embedded host on a loopback port with a known operator key, and small helpers to call it.</summary>
public sealed class ApiHost : IAsyncLifetime
{
    public const string OperatorKey = "api-tests-operator-key-0001";

    private RunningHost _host = null!;

    public HttpClient Http => _host.Http;

    public async Task InitializeAsync()
    {
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            $"--PostNext:OperatorKey={OperatorKey}",
            $"--PostNext:Cluster:SiloPort={FreePort.Next()}",
            $"--PostNext:Cluster:GatewayPort={FreePort.Next()}",
            "--PostNext:Scheduling:ReminderPeriod=00:01:00",
            "--PostNext:ApiRateLimit:PermitsPerMinute=600000",
            "--PostNext:ApiRateLimit:Burst=100000",
            "--PostNext:Webhooks:AllowPrivateNetworks=true",
            "--PostNext:Webhooks:InitialRetryDelay=00:00:00.200",
            "--PostNext:Webhooks:MaxRetryDelay=00:00:01",
            "--Logging:LogLevel:Default=Warning",
        ];
        _host = await RunningHost.StartAsync(SiloHost.Build(SiloHost.CreateBuilder(args)));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    /// <summary>Deactivates every idle grain, as the activation collector would: the next call reads each from storage.</summary>
    public Task CollectActivationsAsync() =>
        _host.Services.GetRequiredService<IGrainFactory>().GetGrain<IManagementGrain>(0).ForceActivationCollection(TimeSpan.Zero);

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key, object? json = null, string? rawJson = null, IDictionary<string, string>? headers = null)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (rawJson is not null)
        {
            request.Content = new StringContent(rawJson, Encoding.UTF8, "application/json");
        }
        else if (json is not null)
        {
            request.Content = JsonContent.Create(json);
        }

        foreach (var (name, value) in headers ?? new Dictionary<string, string>())
        {
            request.Headers.Add(name, value);
        }

        return await Http.SendAsync(request);
    }

    public static async Task<JsonObject> JsonAsync(HttpResponseMessage response, HttpStatusCode expected)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>A new workspace (as the operator); returns its id and key.</summary>
    public async Task<(string Id, string Key)> CreateWorkspaceAsync(string timeZone = "Europe/Paris")
    {
        var created = await JsonAsync(await SendAsync(HttpMethod.Post, "/v1/workspaces", OperatorKey, new { name = "Acme", timeZone }), HttpStatusCode.Created);
        return (created["id"]!.GetValue<string>(), created["apiKey"]!.GetValue<string>());
    }

    /// <summary>The post, read every 200 ms until <paramref name="done"/> holds (at most 30 s); the last read either way.</summary>
    public async Task<JsonObject> WaitForPostAsync(string ws, string key, string postId, Func<JsonObject, bool> done)
    {
        JsonObject post;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await Task.Delay(200);
            post = await JsonAsync(await SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/posts/{postId}", key), HttpStatusCode.OK);
        }
        while (!done(post) && DateTime.UtcNow < deadline);

        return post;
    }

    public async Task<string> CreateSandboxAccountAsync(string ws, string key, string handle = "acme", object? sandbox = null)
    {
        var account = await JsonAsync(
            await SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/accounts", key, new { platform = "sandbox", handle, sandbox }),
            HttpStatusCode.Created);
        return account["id"]!.GetValue<string>();
    }
}

[CollectionDefinition(Name)]
public sealed class ApiCollection : ICollectionFixture<ApiHost>
{
    public const string Name = "API";
}
