namespace PostNext.Api.Tests.Security;

/// <summary>The API's rate limit applies per client address before any key is checked, and per workspace (not per key) after.</summary>
public sealed class AuthenticationRateLimitTests
{
    [Fact]
    public async Task Forged_keys_are_limited_by_client_address_before_any_workspace_grain_is_asked()
    {
        await using var host = await SecurityHost.StartAsync(
            "--PostNext:ApiRateLimit:PermitsPerMinute=60", "--PostNext:ApiRateLimit:Burst=5",
            "--PostNext:ApiRateLimit:AddressPermitsPerMinute=60", "--PostNext:ApiRateLimit:AddressBurst=5");
        var statuses = new List<HttpStatusCode>();
        for (var i = 0; i < 15; i++)
        {
            // Well-formed keys for workspaces nobody created: each would activate a workspace grain to be checked.
            var forged = $"pn_ws{Guid.NewGuid():N}"[..25] + $"_key{i}_{new string('a', 32)}";
            using var response = await host.Api.SendAsync(HttpMethod.Get, "/v1/workspaces/wsnothere/calendar", forged);
            statuses.Add(response.StatusCode);
            if (response.StatusCode == HttpStatusCode.TooManyRequests)
            {
                Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
                Assert.NotNull(response.Headers.RetryAfter);
            }
        }

        Assert.Contains(HttpStatusCode.TooManyRequests, statuses);
        var checks = host.Calls["IWorkspaceGrain.CheckApiKeyAsync"] + host.Calls["IWorkspaceGrain.VerifyApiKeyAsync"];
        Assert.True(checks <= 5, $"15 forged keys from one address were checked {checks} times (address burst 5)");
    }

    [Fact]
    public async Task Keys_of_one_workspace_share_one_rate_budget()
    {
        await using var host = await SecurityHost.StartAsync(
            "--PostNext:ApiRateLimit:PermitsPerMinute=60", "--PostNext:ApiRateLimit:Burst=5",
            "--PostNext:ApiRateLimit:AddressPermitsPerMinute=6000", "--PostNext:ApiRateLimit:AddressBurst=1000");
        var (ws, first) = await host.Api.CreateWorkspaceAsync();
        var second = await host.Api.IssueKeyAsync(ws, first);
        var limited = 0;
        for (var i = 0; i < 10; i++)
        {
            using var response = await host.Api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}", i % 2 == 0 ? first : second);
            limited += response.StatusCode == HttpStatusCode.TooManyRequests ? 1 : 0;
        }

        // Burst 5 for the workspace (one was spent issuing the second key): alternating two keys must not double it.
        Assert.True(limited >= 4, $"only {limited} of 10 requests with two keys of one workspace were limited (burst 5)");
    }
}
