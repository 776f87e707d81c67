using System.Diagnostics;
using PostNext.Abstractions.Workspaces;

namespace PostNext.Api.Tests.Security;

/// <summary>
/// Verified keys are cached per process for a few seconds (PostNext:ApiKeys:CacheFor), so requests do not queue on the
/// workspace grain; a revocation still takes effect within that bound, even one made on another silo.
/// </summary>
public sealed class ApiKeyCacheTests
{
    [Fact]
    public async Task Repeated_requests_with_one_key_check_it_with_the_workspace_grain_once()
    {
        await using var host = await SecurityHost.StartAsync();
        var (ws, key) = await host.Api.CreateWorkspaceAsync();
        host.Calls.Reset();

        for (var i = 0; i < 20; i++)
        {
            using var response = await host.Api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/calendar?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z", key);
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        }

        var checks = host.Calls["IWorkspaceGrain.CheckApiKeyAsync"] + host.Calls["IWorkspaceGrain.VerifyApiKeyAsync"];
        var loads = host.Calls["IWorkspaceGrain.GetAsync"];
        Assert.True(checks <= 1, $"20 requests checked the key with the workspace grain {checks} times");
        Assert.True(loads <= 1, $"20 requests loaded the workspace {loads} times");
    }

    [Fact]
    public async Task A_key_revoked_on_another_silo_answers_401_within_the_cache_bound()
    {
        var bound = TimeSpan.FromSeconds(2);
        await using var host = await SecurityHost.StartAsync($"--PostNext:ApiKeys:CacheFor={bound}");
        var (ws, key) = await host.Api.CreateWorkspaceAsync();
        Assert.Equal(HttpStatusCode.OK, (await host.Api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}", key)).StatusCode);

        // Revoked through the grain, as another silo's API would: this process's cache is not told.
        Assert.True(await host.Grains.GetGrain<IWorkspaceGrain>(ws).RevokeApiKeyAsync(key.Split('_')[2]));
        var revoked = Stopwatch.StartNew();
        HttpStatusCode status;
        do
        {
            status = (await host.Api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}", key)).StatusCode;
            if (status != HttpStatusCode.Unauthorized)
            {
                await Task.Delay(100);
            }
        }
        while (status != HttpStatusCode.Unauthorized && revoked.Elapsed < bound + TimeSpan.FromSeconds(5));

        Assert.Equal(HttpStatusCode.Unauthorized, status);
        // The slack covers the requests themselves on a loaded two-core machine (one full run measured 3.2 s); a cache
        // that ignored its bound would keep answering 200 for the whole loop.
        Assert.True(revoked.Elapsed <= bound + TimeSpan.FromSeconds(3), $"401 only after {revoked.Elapsed.TotalSeconds:0.0} s (bound {bound.TotalSeconds} s)");
    }

    [Fact]
    public async Task A_key_revoked_through_this_api_answers_401_at_once()
    {
        await using var host = await SecurityHost.StartAsync("--PostNext:ApiKeys:CacheFor=00:01:00");
        var (ws, key) = await host.Api.CreateWorkspaceAsync();
        var second = await host.Api.IssueKeyAsync(ws, key);
        Assert.Equal(HttpStatusCode.OK, (await host.Api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}", second)).StatusCode);

        Assert.Equal(HttpStatusCode.NoContent, (await host.Api.SendAsync(HttpMethod.Delete, $"/v1/workspaces/{ws}/api-keys/{second.Split('_')[2]}", key)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await host.Api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}", second)).StatusCode);
    }

    [Fact]
    public async Task A_cache_setting_above_five_minutes_is_refused_at_start()
    {
        var failure = await Record.ExceptionAsync(async () => await (await SecurityHost.StartAsync("--PostNext:ApiKeys:CacheFor=01:00:00")).DisposeAsync());
        Assert.NotNull(failure);
        Assert.Contains("CacheFor", failure!.ToString(), StringComparison.Ordinal);
    }
}
