using static Microsoft.Playwright.Assertions;

using System.Net.Http.Headers;
using Microsoft.Extensions.DependencyInjection;
using PostNext.Abstractions.Platforms;
using PostNext.Platforms.Facebook;
using PostNext.Platforms.Tests.Common;
using PostNext.Platforms.Tests.Facebook;
using PostNext.Platforms.Tests.X;
using PostNext.Platforms.X;
using PostNext.Silo.Hosting;

namespace PostNext.Web.Tests;

/// <summary>
/// The embedded host (silo, API and web app) on a loopback port with X and Facebook wired to their fakes on loopback (the
/// Facebook person manages two Pages, so connecting asks which), and one headless chromium for every test.
/// </summary>
public sealed class WebHost : IAsyncLifetime
{
    public const string OperatorKey = "web-tests-operator-key-0001";

    private RunningHost _host = null!;
    private IPlaywright _playwright = null!;

    public IBrowser Browser { get; private set; } = null!;

    public FakeXApi X { get; private set; } = null!;

    public FakeFacebookApi Facebook { get; private set; } = null!;

    public Uri Address => _host.Address;

    public HttpClient Http => _host.Http;

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public async Task InitializeAsync()
    {
        Assertions.SetDefaultExpectTimeout(15_000);
        var launching = Tests.Browser.LaunchAsync();
        X = await FakeXApi.StartAsync();
        Facebook = await FakeFacebookApi.StartAsync();
        Facebook.SecondPageGranted = true;
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            $"--PostNext:OperatorKey={OperatorKey}",
            $"--PostNext:Cluster:SiloPort={FreePort.Next()}",
            $"--PostNext:Cluster:GatewayPort={FreePort.Next()}",
            "--PostNext:ApiRateLimit:PermitsPerMinute=600000",
            "--PostNext:ApiRateLimit:Burst=100000",
            "--PostNext:Analytics:FirstHourInterval=00:00:01", // a post's first reading a second after it is published
            "--Logging:LogLevel:Default=Warning",
            .. ConnectorHarness.HostArguments(PlatformIds.X, XConnector.Defaults, X.Server),
            .. ConnectorHarness.HostArguments(PlatformIds.Facebook, FacebookConnector.Defaults, Facebook.Server),
        ];
        _host = await RunningHost.StartAsync(SiloHost.Build(SiloHost.CreateBuilder(args)));
        (_playwright, Browser) = await launching;
    }

    public async Task DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
        await _host.DisposeAsync();
        await X.DisposeAsync();
        await Facebook.DisposeAsync();
    }

    /// <summary>A fresh browser context (its own cookies) whose relative URLs resolve against the host.</summary>
    public async Task<IPage> NewPageAsync(int width = 1280, int height = 900)
    {
        var context = await Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Address.ToString().TrimEnd('/'),
            ViewportSize = new ViewportSize { Width = width, Height = height },
        });
        // Generous: the machine running the tests may be busy (the server renders every state; nothing here waits on a timer).
        context.SetDefaultTimeout(30_000);
        return await context.NewPageAsync();
    }

    public const string Password = "correct horse battery staple";

    private int _people;

    /// <summary>A fresh email address (each person of the tests has their own).</summary>
    public string NewEmail(string who = "person") => $"{who}{Interlocked.Increment(ref _people)}@example.com";

    /// <summary>
    /// The way a first owner gets in: the operator's one-time bootstrap link for <paramref name="ws"/>, opened in the
    /// browser, email and password chosen on the join page; the page lands in the app signed in. Returns the email.
    /// </summary>
    public async Task<string> JoinAsOwnerAsync(IPage page, string ws)
    {
        var link = (await SendAsync(HttpMethod.Post, $"v1/workspaces/{ws}/bootstrap-link", OperatorKey))["link"]!.GetValue<string>();
        var email = NewEmail("owner");
        await JoinAsync(page, link, email);
        return email;
    }

    /// <summary>An owner's invitation (by the workspace's admin key) to a new person with <paramref name="role"/>, accepted in the browser.</summary>
    public async Task<string> JoinAsAsync(IPage page, string ws, string adminKey, string role)
    {
        var email = NewEmail(role);
        var link = (await SendAsync(HttpMethod.Post, $"v1/workspaces/{ws}/invitations", adminKey, new { email, role }))["link"]!.GetValue<string>();
        await JoinAsync(page, link, email: null);
        await Expect(page.Locator(".role")).ToHaveTextAsync(role);
        return email;
    }

    /// <summary>Opens an invitation link and joins with <see cref="Password"/> (and <paramref name="email"/> when the link names none).</summary>
    public static async Task JoinAsync(IPage page, string link, string? email)
    {
        await page.GotoAsync(link);
        if (email is not null)
        {
            await page.GetByLabel("Email").FillAsync(email);
        }

        await page.GetByLabel("Password").FillAsync(Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        await ArrivedAsync(page, "/app/calendar");
    }

    /// <summary>
    /// Waits until the page's address contains <paramref name="path"/>. Not <c>WaitForURLAsync</c>: when the address
    /// already matches, Playwright for .NET checks for the "load" event and then subscribes to it, and a "load" that
    /// lands between the two is missed (the wait then times out on a fully loaded page; seen once in CI).
    /// </summary>
    public static Task ArrivedAsync(IPage page, string path) =>
        Expect(page).ToHaveURLAsync(new System.Text.RegularExpressions.Regex(System.Text.RegularExpressions.Regex.Escape(path)), new() { Timeout = 30_000 });

    /// <summary>A new workspace (as the operator); returns its id and its admin key.</summary>
    public async Task<(string Id, string Key)> CreateWorkspaceAsync(string timeZone = "Europe/Paris", string name = "Acme")
    {
        var created = await SendAsync(HttpMethod.Post, "v1/workspaces", OperatorKey, new { name, timeZone });
        return (created["id"]!.GetValue<string>(), created["apiKey"]!.GetValue<string>());
    }

    /// <summary>Another key of the workspace with the given scopes (read for a viewer, publish for an editor).</summary>
    public async Task<string> CreateKeyAsync(string ws, string adminKey, params string[] scopes) =>
        (await SendAsync(HttpMethod.Post, $"v1/workspaces/{ws}/api-keys", adminKey, new { label = "key", scopes }))["apiKey"]!.GetValue<string>();

    /// <summary>An API call that must succeed; its JSON answer.</summary>
    public async Task<JsonNode> SendAsync(HttpMethod method, string path, string key, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/')) { Content = body is null ? null : JsonContent.Create(body) };
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        using var response = await Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return text.Length == 0 ? new JsonObject() : JsonNode.Parse(text)!;
    }
}

[CollectionDefinition(Name)]
public sealed class WebCollection : ICollectionFixture<WebHost>
{
    public const string Name = "Web";
}
