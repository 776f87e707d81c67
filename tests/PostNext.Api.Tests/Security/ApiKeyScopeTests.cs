namespace PostNext.Api.Tests.Security;

/// <summary>Workspace keys carry scopes: read (GET only), publish (read, plus posts and queues), admin (everything, keys included).</summary>
[Collection(ApiCollection.Name)]
public sealed class ApiKeyScopeTests(ApiHost host)
{
    private readonly ApiClient _api = new(host.Http, ApiHost.OperatorKey);

    [Fact]
    public async Task A_read_key_reads_but_may_not_write_and_the_403_names_the_scope()
    {
        var (ws, admin) = await _api.CreateWorkspaceAsync();
        var read = await _api.IssueKeyAsync(ws, admin, "read");

        Assert.Equal(HttpStatusCode.OK, (await _api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/accounts", read)).StatusCode);
        using var denied = await _api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/accounts", read, new { platform = "sandbox", handle = "x" });
        Assert.Equal(HttpStatusCode.Forbidden, denied.StatusCode);
        Assert.Equal("application/problem+json", denied.Content.Headers.ContentType?.MediaType);
        Assert.Contains("admin", await denied.Content.ReadAsStringAsync(), StringComparison.Ordinal);

        var accounts = await _api.JsonAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/accounts", admin, null, HttpStatusCode.OK);
        Assert.Empty(accounts["accounts"]!.AsArray());
    }

    [Fact]
    public async Task A_publish_key_writes_posts_but_may_not_mint_or_revoke_keys()
    {
        var (ws, admin) = await _api.CreateWorkspaceAsync();
        var account = (await _api.JsonAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/accounts", admin, new { platform = "sandbox", handle = "acme" }, HttpStatusCode.Created))["id"]!.GetValue<string>();
        var publish = await _api.IssueKeyAsync(ws, admin, "publish");

        await _api.JsonAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts", publish,
            new { content = new { text = "hello" }, targets = new[] { new { accountId = account } }, draft = true }, HttpStatusCode.Created);
        Assert.Equal(HttpStatusCode.Forbidden, (await _api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/api-keys", publish, new { label = "more" })).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _api.SendAsync(HttpMethod.Delete, $"/v1/workspaces/{ws}/api-keys/{admin.Split('_')[2]}", publish)).StatusCode);
        Assert.Equal(HttpStatusCode.Forbidden, (await _api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/webhooks", publish, new { url = "https://example.com/hook", events = new[] { "post.published" } })).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await _api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}", admin)).StatusCode);
    }

    [Fact]
    public async Task Issued_keys_show_their_scopes_and_unknown_scopes_are_refused_by_field()
    {
        var (ws, admin) = await _api.CreateWorkspaceAsync();
        var issued = await _api.JsonAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/api-keys", admin, new { label = "ci", scopes = new[] { "publish" } }, HttpStatusCode.Created);
        Assert.Equal(["publish"], issued["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));

        var bad = await _api.JsonAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/api-keys", admin, new { scopes = new[] { "publish", "root" } }, HttpStatusCode.BadRequest);
        Assert.Contains("root", bad["errors"]!["scopes[1]"]![0]!.GetValue<string>(), StringComparison.Ordinal);

        var workspace = await _api.JsonAsync(HttpMethod.Get, $"/v1/workspaces/{ws}", admin, null, HttpStatusCode.OK);
        Assert.Equal(["admin"], workspace["apiKeys"]![0]!["scopes"]!.AsArray().Select(s => s!.GetValue<string>()));
        Assert.Equal(2, workspace["apiKeys"]!.AsArray().Count);
    }

    [Fact]
    public async Task Revoked_keys_are_pruned_so_the_workspace_stays_bounded()
    {
        var (ws, admin) = await _api.CreateWorkspaceAsync();
        for (var i = 0; i < 30; i++)
        {
            var key = await _api.IssueKeyAsync(ws, admin, "read");
            Assert.Equal(HttpStatusCode.NoContent, (await _api.SendAsync(HttpMethod.Delete, $"/v1/workspaces/{ws}/api-keys/{key.Split('_')[2]}", admin)).StatusCode);
        }

        var keys = (await _api.JsonAsync(HttpMethod.Get, $"/v1/workspaces/{ws}", admin, null, HttpStatusCode.OK))["apiKeys"]!.AsArray();
        Assert.True(keys.Count <= 21, $"{keys.Count} keys kept after revoking 30 (at most the 20 most recently revoked are kept)");
        Assert.Single(keys, k => k!["revokedAt"] is null);
    }
}
