using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PostNext.Abstractions.Platforms;
using PostNext.Platforms.Tests.X;

namespace PostNext.Api.Tests.Connectors;

/// <summary>
/// Failure handling against X's loopback fake, over the API: a 429 with reset headers defers the target to that reset,
/// a burst of 5xx is retried and then succeeds, and a 401 that survives a token refresh ends in reconnect_required with
/// an account.reconnect_required webhook.
/// </summary>
public sealed class FailureHandlingTests : IAsyncLifetime
{
    private const string WebhookSecret = "whsec-failure-handling-tests";
    private FakeXApi _x = null!;
    private FakePlatformServer _receiver = null!;
    private RunningHost _host = null!;
    private ConnectorsApi _api = null!;

    public async Task InitializeAsync()
    {
        _x = await FakeXApi.StartAsync();
        _receiver = await FakePlatformServer.StartAsync(app => app.MapPost("/hooks", () => Results.Ok()));
        _host = await ConnectorsHost.StartXHostAsync(_x, "--PostNext:Webhooks:AllowPrivateNetworks=true", "--PostNext:Webhooks:InitialRetryDelay=00:00:00.200");
        _api = new ConnectorsApi(_host.Http);
    }

    public async Task DisposeAsync()
    {
        await _host.DisposeAsync();
        await _receiver.DisposeAsync();
        await _x.DisposeAsync();
    }

    [Fact]
    public async Task A_429_with_reset_headers_defers_the_target_to_that_reset_and_blocks_the_account_until_then()
    {
        var (ws, key, account) = await ImportXAccountAsync();
        var reset = DateTimeOffset.UtcNow.AddSeconds(40);
        var resetUnix = reset.ToUnixTimeSeconds();
        _x.Server.Fail("POST", "/2/tweets", 429, """{"title":"Too Many Requests","detail":"Too Many Requests","type":"about:blank","status":429}""",
            ("x-rate-limit-limit", "100"), ("x-rate-limit-remaining", "0"), ("x-rate-limit-reset", resetUnix.ToString(CultureInfo.InvariantCulture)));

        var post = await _api.CreatePostAsync(ws, key, new { content = new { text = "limited" }, targets = new[] { new { accountId = account } }, schedule = new { mode = "now" } });
        var target = await WaitForTargetAsync(ws, key, post["id"]!.GetValue<string>(), account, "deferred");

        var until = target["deferredUntil"]!.GetValue<DateTimeOffset>();
        Assert.Equal(resetUnix, until.ToUnixTimeSeconds());
        Assert.Contains("Rate limited", target["deferReason"]!.GetValue<string>(), StringComparison.Ordinal);
        var limits = await ApiHost.JsonAsync(await _api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/accounts/{account}/limits", key), HttpStatusCode.OK);
        var scope = limits["scopes"]!.AsArray().Single(s => s!["scope"]!.GetValue<string>() == "account")!;
        Assert.Equal(resetUnix, scope["blockedUntil"]!.GetValue<DateTimeOffset>().ToUnixTimeSeconds());
        Assert.Equal(1, limits["deferred"]!.GetValue<int>());
        Assert.Empty(_x.Tweets);
    }

    [Fact]
    public async Task A_success_that_spends_the_last_of_the_budget_defers_the_next_post_to_the_reset()
    {
        var (ws, key, account) = await ImportXAccountAsync();
        var resetUnix = DateTimeOffset.UtcNow.AddSeconds(45).ToUnixTimeSeconds();
        _x.Server.Fail("POST", "/2/tweets", 201, """{"data":{"id":"1860000000000000001","text":"last one"}}""",
            ("x-rate-limit-limit", "100"), ("x-rate-limit-remaining", "0"), ("x-rate-limit-reset", resetUnix.ToString(CultureInfo.InvariantCulture)));

        var first = await _api.CreatePostAsync(ws, key, new { content = new { text = "last one" }, targets = new[] { new { accountId = account } }, schedule = new { mode = "now" } });
        var published = await _api.WaitForPostAsync(ws, key, first["id"]!.GetValue<string>());
        Assert.Equal("published", ConnectorsApi.Target(published, account)["status"]!.GetValue<string>());

        var second = await _api.CreatePostAsync(ws, key, new { content = new { text = "one too many" }, targets = new[] { new { accountId = account } }, schedule = new { mode = "now" } });
        var target = await WaitForTargetAsync(ws, key, second["id"]!.GetValue<string>(), account, "deferred");

        Assert.Equal(resetUnix, target["deferredUntil"]!.GetValue<DateTimeOffset>().ToUnixTimeSeconds());
        Assert.DoesNotContain(_x.Tweets, t => t.Text == "one too many");
    }

    [Fact]
    public async Task A_burst_of_5xx_is_retried_and_then_succeeds_once()
    {
        var (ws, key, account) = await ImportXAccountAsync();
        for (var i = 0; i < 2; i++)
        {
            _x.Server.Fail("POST", "/2/tweets", 503, """{"title":"Service Unavailable","detail":"Service Unavailable","type":"about:blank","status":503}""");
        }

        var post = await _api.CreatePostAsync(ws, key, new { content = new { text = "persistent" }, targets = new[] { new { accountId = account } }, schedule = new { mode = "now" } });
        var done = await _api.WaitForPostAsync(ws, key, post["id"]!.GetValue<string>(), TimeSpan.FromSeconds(60));

        var target = ConnectorsApi.Target(done, account);
        Assert.Equal("published", target["status"]!.GetValue<string>());
        Assert.Equal(3, target["attempts"]!.GetValue<int>());
        Assert.Single(_x.Tweets, t => t.Text == "persistent");
        Assert.Equal(3, _x.Server.Requests.Count(r => r.Method == "POST" && r.Path == "/2/tweets"));
    }

    [Fact]
    public async Task A_401_that_survives_a_refresh_ends_in_reconnect_required_and_a_signed_webhook()
    {
        var (ws, key, account) = await ImportXAccountAsync();
        var webhook = await ApiHost.JsonAsync(await _api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/webhooks", key, new
        {
            url = _receiver.Url("hooks").ToString(),
            events = new[] { "account.reconnect_required", "post.failed" },
            secret = WebhookSecret,
        }), HttpStatusCode.Created);
        Assert.NotNull(webhook["id"]);
        for (var i = 0; i < 2; i++)
        {
            _x.Server.Fail("POST", "/2/tweets", 401, """{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}""");
        }

        var post = await _api.CreatePostAsync(ws, key, new { content = new { text = "denied" }, targets = new[] { new { accountId = account } }, schedule = new { mode = "now" } });
        var done = await _api.WaitForPostAsync(ws, key, post["id"]!.GetValue<string>(), TimeSpan.FromSeconds(60));

        var target = ConnectorsApi.Target(done, account);
        Assert.Equal("failed", target["status"]!.GetValue<string>());
        Assert.Equal("auth", target["error"]!["category"]!.GetValue<string>());
        Assert.Equal(1, _x.Server.Requests.Count(r => r.Path.EndsWith("/oauth2/token", StringComparison.Ordinal) && r.Body.Contains("grant_type=refresh_token", StringComparison.Ordinal)));
        Assert.Equal("reconnect_required", (await _api.GetAccountAsync(ws, key, account))["status"]!.GetValue<string>());

        var hooks = await WaitForHooksAsync(2);
        var types = hooks.Select(h => h.Header("PostNext-Event-Type")).ToList();
        Assert.Contains("account.reconnect_required", types);
        Assert.Contains("post.failed", types);
        foreach (var hook in hooks)
        {
            AssertSigned(hook);
        }

        var reconnect = JsonNode.Parse(hooks.First(h => h.Header("PostNext-Event-Type") == "account.reconnect_required").Body)!;
        Assert.Contains(account, reconnect["data"]!.ToJsonString(), StringComparison.Ordinal);
    }

    private async Task<(string Ws, string Key, string Account)> ImportXAccountAsync()
    {
        var (ws, key) = await _api.CreateWorkspaceAsync();
        var token = _x.AccessTokens.First();
        var account = await _api.ImportAccountAsync(ws, key, PlatformIds.X, FakeXApi.Username, FakeXApi.UserId, token, _x.RefreshToken, DateTimeOffset.UtcNow.AddHours(2));
        return (ws, key, account["id"]!.GetValue<string>());
    }

    private async Task<JsonObject> WaitForTargetAsync(string ws, string key, string postId, string account, string status)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var target = ConnectorsApi.Target(await _api.GetPostAsync(ws, key, postId), account);
            if (target["status"]!.GetValue<string>() == status || DateTime.UtcNow > deadline)
            {
                Assert.Equal(status, target["status"]!.GetValue<string>());
                return target;
            }

            await Task.Delay(100);
        }
    }

    private async Task<List<RecordedRequest>> WaitForHooksAsync(int count)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            var hooks = _receiver.Requests.Where(r => r.Path == "/hooks").ToList();
            if (hooks.Count >= count || DateTime.UtcNow > deadline)
            {
                Assert.True(hooks.Count >= count, $"only {hooks.Count} webhook(s) arrived");
                return hooks;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>Checks PostNext-Signature independently: t=&lt;unix&gt;,v1=hex(HMAC-SHA256(secret, "t.body")).</summary>
    private static void AssertSigned(RecordedRequest hook)
    {
        var parts = hook.Header("PostNext-Signature")!.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        var expected = Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(WebhookSecret), Encoding.UTF8.GetBytes($"{parts["t"]}.{hook.Body}")));
        Assert.Equal(expected, parts["v1"]);
        Assert.False(string.IsNullOrEmpty(hook.Header("PostNext-Event-Id")));
    }
}
