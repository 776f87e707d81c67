using System.Net.Http.Headers;
using PostNext.Silo.Hosting;

namespace PostNext.Web.Tests;

/// <summary>The embedded host (silo, API and web app) on a loopback port, and one headless chromium for every test.</summary>
public sealed class WebHost : IAsyncLifetime
{
    public const string OperatorKey = "web-tests-operator-key-0001";

    private RunningHost _host = null!;
    private IPlaywright _playwright = null!;

    public IBrowser Browser { get; private set; } = null!;

    public Uri Address => _host.Address;

    public HttpClient Http => _host.Http;

    public async Task InitializeAsync()
    {
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            $"--PostNext:OperatorKey={OperatorKey}",
            $"--PostNext:Cluster:SiloPort={FreePort.Next()}",
            $"--PostNext:Cluster:GatewayPort={FreePort.Next()}",
            "--PostNext:ApiRateLimit:PermitsPerMinute=600000",
            "--PostNext:ApiRateLimit:Burst=100000",
            "--Logging:LogLevel:Default=Warning",
        ];
        var starting = RunningHost.StartAsync(SiloHost.Build(SiloHost.CreateBuilder(args)));
        (_playwright, Browser) = await Tests.Browser.LaunchAsync();
        _host = await starting;
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await _host.DisposeAsync();
    }

    /// <summary>A fresh browser context (its own cookies) whose relative URLs resolve against the host.</summary>
    public async Task<IPage> NewPageAsync()
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Address.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = 1280, Height = 900 },
        });
        context.SetDefaultTimeout(15_000);
        return await context.NewPageAsync();
    }

    /// <summary>A new workspace (as the operator) with a key of the given scopes; returns its id and key.</summary>
    public async Task<(string Id, string Key)> CreateWorkspaceAsync(string timeZone = "Europe/Paris", string name = "Acme")
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, "v1/workspaces") { Content = JsonContent.Create(new { name, timeZone }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", OperatorKey);
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        var created = JsonNode.Parse(body)!;
        return (created["id"]!.GetValue<string>(), created["apiKey"]!.GetValue<string>());
    }

    /// <summary>An extra key of the workspace with the given scopes (e.g. read for a viewer).</summary>
    public async Task<string> CreateKeyAsync(string ws, string adminKey, params string[] scopes)
    {
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v1/workspaces/{ws}/api-keys") { Content = JsonContent.Create(new { label = "key", scopes }) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", adminKey);
        using var response = await Http.SendAsync(request);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.Created, body);
        return JsonNode.Parse(body)!["apiKey"]!.GetValue<string>();
    }
}

[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<WebHost>
{
    public const string Name = "Web";
}
