using System.Net.Http.Headers;
using PostNext.Silo.Hosting;

namespace PostNext.Api.Tests;

/// <summary>Our API limits each key: past the burst it answers 429 with Retry-After and problem details; other keys are unaffected.</summary>
public sealed class ApiRateLimitTests : IAsyncLifetime
{
    private const string OperatorKey = "rate-limit-tests-operator-key";
    private RunningHost _host = null!;

    public async Task InitializeAsync() => _host = await RunningHost.StartAsync(SiloHost.Build(SiloHost.CreateBuilder(
    [
        "--urls=http://127.0.0.1:0",
        $"--PostNext:OperatorKey={OperatorKey}",
        $"--PostNext:Cluster:SiloPort={FreePort.Next()}",
        $"--PostNext:Cluster:GatewayPort={FreePort.Next()}",
        "--PostNext:ApiRateLimit:PermitsPerMinute=60",
        "--PostNext:ApiRateLimit:Burst=5",
        "--Logging:LogLevel:Default=Warning",
    ])));

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task A_key_past_its_burst_gets_429_with_retry_after_while_another_key_still_works()
    {
        var created = JsonNode.Parse(await (await SendAsync(HttpMethod.Post, "v1/workspaces", OperatorKey, """{"name":"A","timeZone":"UTC"}""")).Content.ReadAsStringAsync())!;
        var ws = created["id"]!.GetValue<string>();
        var key = created["apiKey"]!.GetValue<string>();

        var statuses = new List<HttpStatusCode>();
        HttpResponseMessage? limited = null;
        for (var i = 0; i < 12 && limited is null; i++)
        {
            var response = await SendAsync(HttpMethod.Get, $"v1/workspaces/{ws}", key);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                limited = response;
            }
        }

        Assert.NotNull(limited);
        Assert.True(statuses.Count(s => s == HttpStatusCode.OK) >= 5);
        Assert.True(limited!.Headers.RetryAfter?.Delta >= TimeSpan.FromSeconds(1));
        Assert.Equal("application/problem+json", limited.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.OK, (await SendAsync(HttpMethod.Get, $"v1/workspaces/{ws}", OperatorKey)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _host.Http.GetAsync("health/ready")).StatusCode);
    }

    private async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string key, string? json = null)
    {
        using var request = new HttpRequestMessage(method, path);
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        if (json is not null)
        {
            request.Content = new StringContent(json, System.Text.Encoding.UTF8, "application/json");
        }

        return await _host.Http.SendAsync(request);
    }
}
