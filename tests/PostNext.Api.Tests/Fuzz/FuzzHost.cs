using PostNext.Abstractions.Platforms;
using PostNext.Api.Tests.Security;
using PostNext.Silo.Hosting;

namespace PostNext.Api.Tests.Fuzz;

/// <summary>What the fuzz suite knows of a workspace it made: ids to aim at and a marker that must never leak to another workspace.</summary>
public sealed record FuzzTenant(
    string Id, string Key, string ReadKey, string KeyId, string SpareKeyId, string AccountId, string SpareAccountId, string PostId, string WebhookId,
    string ConnectSecret, string Marker);

/// <summary>
/// The embedded host the fuzz suite attacks, with its own document and two workspaces: the one it sends keys of, and
/// another it must never reach. Nothing it does leaves the machine: every platform URL points at a closed loopback
/// port, webhooks go to loopback, media URLs on loopback are refused.
/// </summary>
public sealed class FuzzHost : IAsyncLifetime
{
    public const string OperatorKey = "fuzz-tests-operator-key-0001";

    /// <summary>A loopback port nothing listens on (discard): calls fail at once and go nowhere.</summary>
    private const string Nowhere = "http://127.0.0.1:9/";

    private RunningHost _host = null!;

    public ApiClient Api { get; private set; } = null!;

    public JsonNode Document { get; private set; } = null!;

    public FuzzTenant Own { get; private set; } = null!;

    public FuzzTenant Other { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var platforms = PlatformIds.All.Where(p => p != PlatformIds.Sandbox).SelectMany(p => new[]
        {
            $"--PostNext:Platforms:{p}:ClientId=fuzz-client", $"--PostNext:Platforms:{p}:ClientSecret=fuzz-secret",
            $"--PostNext:Platforms:{p}:ApiBaseUrl={Nowhere}", $"--PostNext:Platforms:{p}:UploadBaseUrl={Nowhere}",
            $"--PostNext:Platforms:{p}:AuthorizeUrl={Nowhere}authorize", $"--PostNext:Platforms:{p}:TokenUrl={Nowhere}token",
            $"--PostNext:Platforms:{p}:RevokeUrl={Nowhere}revoke", $"--PostNext:Platforms:{p}:RequestTimeout=00:00:02",
        });
        _host = await RunningHost.StartAsync(SiloHost.Build(SiloHost.CreateBuilder(
        [
            "--urls=http://127.0.0.1:0",
            $"--PostNext:OperatorKey={OperatorKey}",
            $"--PostNext:Cluster:SiloPort={FreePort.Next()}",
            $"--PostNext:Cluster:GatewayPort={FreePort.Next()}",
            "--PostNext:ApiRateLimit:PermitsPerMinute=60000000",
            "--PostNext:ApiRateLimit:Burst=10000000",
            "--PostNext:Webhooks:AllowPrivateNetworks=true",
            "--Logging:LogLevel:Default=Error",
            .. platforms,
        ])));
        _host.Http.Timeout = TimeSpan.FromSeconds(30);
        Api = new ApiClient(_host.Http, OperatorKey);
        Document = JsonNode.Parse(await _host.Http.GetStringAsync("openapi/v1.json"))!;
        Own = await CreateTenantAsync("own");
        Other = await CreateTenantAsync("other");
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    private async Task<FuzzTenant> CreateTenantAsync(string name)
    {
        var marker = $"MARKER{name}{Guid.NewGuid():N}";
        var (ws, key) = await Api.CreateWorkspaceAsync();
        var readKey = await Api.IssueKeyAsync(ws, key, "read");
        var spareKey = await Api.IssueKeyAsync(ws, key);
        var account = await Api.JsonAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/accounts", key, new { platform = "sandbox", handle = marker, displayName = marker }, HttpStatusCode.Created);
        var spare = await Api.JsonAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/accounts", key, new { platform = "sandbox", handle = marker + "spare" }, HttpStatusCode.Created);
        var accountId = account["id"]!.GetValue<string>();
        var post = await Api.JsonAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts", key,
            new { content = new { text = marker }, targets = new[] { new { accountId } }, schedule = new { at = DateTimeOffset.UtcNow.AddDays(30).ToString("O") } },
            HttpStatusCode.Created);
        var webhook = await Api.JsonAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/webhooks", key,
            new { url = $"http://127.0.0.1:9/{marker}", events = new[] { "post.failed" } }, HttpStatusCode.Created);
        var connect = await Api.JsonAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/accounts/connect", key,
            new { platform = "x", redirectUri = "https://127.0.0.1:9/cb" }, HttpStatusCode.OK);
        return new FuzzTenant(
            ws, key, readKey, key.Split('_')[2], spareKey.Split('_')[2], accountId, spare["id"]!.GetValue<string>(), post["id"]!.GetValue<string>(),
            webhook["id"]!.GetValue<string>(), connect["completionSecret"]!.GetValue<string>(), marker);
    }
}

[CollectionDefinition(Name)]
public sealed class FuzzCollection : ICollectionFixture<FuzzHost>
{
    public const string Name = "Fuzz";
}
