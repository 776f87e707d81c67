namespace PostNext.Api.Tests;

/// <summary>Keys: the operator manages workspaces; a workspace key sees only its own workspace; other workspaces answer 404.</summary>
[Collection(ApiCollection.Name)]
public sealed class WorkspaceAccessTests(ApiHost api)
{
    [Fact]
    public async Task The_operator_creates_a_workspace_and_gets_its_first_key_once()
    {
        var response = await api.SendAsync(HttpMethod.Post, "/v1/workspaces", ApiHost.OperatorKey, new { name = "Acme", timeZone = "America/New_York" });
        var created = await ApiHost.JsonAsync(response, HttpStatusCode.Created);
        var id = created["id"]!.GetValue<string>();
        var key = created["apiKey"]!.GetValue<string>();
        Assert.StartsWith($"pn_{id}_", key, StringComparison.Ordinal);

        var fetched = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{id}", key), HttpStatusCode.OK);
        Assert.Equal("America/New_York", fetched["timeZone"]!.GetValue<string>());
        Assert.DoesNotContain(key, fetched.ToJsonString(), StringComparison.Ordinal);
        Assert.DoesNotContain(key.Split('_')[3], fetched.ToJsonString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_workspace_key_may_not_create_workspaces()
    {
        var (_, key) = await api.CreateWorkspaceAsync();
        var response = await api.SendAsync(HttpMethod.Post, "/v1/workspaces", key, new { name = "Other", timeZone = "UTC" });
        Assert.Equal(HttpStatusCode.Forbidden, response.StatusCode);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
    }

    [Fact]
    public async Task A_revoked_key_answers_401_and_a_new_key_works()
    {
        var (ws, key) = await api.CreateWorkspaceAsync();
        var issued = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/api-keys", key, new { label = "ci" }), HttpStatusCode.Created);
        var second = issued["apiKey"]!.GetValue<string>();
        var firstKeyId = key.Split('_')[2];

        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Delete, $"/v1/workspaces/{ws}/api-keys/{firstKeyId}", second)).StatusCode);

        Assert.Equal(HttpStatusCode.Unauthorized, (await api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}", key)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}", second)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Delete, $"/v1/workspaces/{ws}/api-keys/keynotthere", second)).StatusCode);
    }

    public static TheoryData<string, string> WorkspaceRoutes => new()
    {
        { "GET", "" },
        { "POST", "/api-keys" },
        { "DELETE", "/api-keys/{key}" },
        { "POST", "/accounts" },
        { "POST", "/accounts/connect" },
        { "GET", "/accounts" },
        { "GET", "/accounts/{account}" },
        { "DELETE", "/accounts/{account}" },
        { "PUT", "/accounts/{account}/queue" },
        { "GET", "/accounts/{account}/queue" },
        { "GET", "/accounts/{account}/sandbox/received" },
        { "GET", "/accounts/{account}/limits" },
        { "POST", "/posts" },
        { "GET", "/posts/{post}" },
        { "PATCH", "/posts/{post}" },
        { "POST", "/posts/{post}/cancel" },
        { "POST", "/posts/{post}/publish-now" },
        { "DELETE", "/posts/{post}" },
        { "GET", "/calendar?from=2026-01-01T00:00:00Z&to=2026-02-01T00:00:00Z" },
    };

    [Theory]
    [MemberData(nameof(WorkspaceRoutes))]
    public async Task Every_workspace_route_answers_404_to_another_workspaces_key_and_401_without_a_valid_key(string method, string route)
    {
        var (ws, key) = await api.CreateWorkspaceAsync();
        var (_, otherKey) = await api.CreateWorkspaceAsync();
        var account = await api.CreateSandboxAccountAsync(ws, key);
        var post = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts", key, new
        {
            content = new { text = "draft" },
            targets = new[] { new { accountId = account } },
            draft = true,
        }), HttpStatusCode.Created);
        var path = $"/v1/workspaces/{ws}" + route
            .Replace("{key}", key.Split('_')[2], StringComparison.Ordinal)
            .Replace("{account}", account, StringComparison.Ordinal)
            .Replace("{post}", post["id"]!.GetValue<string>(), StringComparison.Ordinal);
        var body = method is "POST" or "PUT" or "PATCH" ? new { name = "x" } : null;

        var foreign = await api.SendAsync(new HttpMethod(method), path, otherKey, body);
        var anonymous = await api.SendAsync(new HttpMethod(method), path, null, body);
        var forged = await api.SendAsync(new HttpMethod(method), path, key[..^4] + (key.EndsWith("0000", StringComparison.Ordinal) ? "ffff" : "0000"), body);

        Assert.Equal(HttpStatusCode.NotFound, foreign.StatusCode);
        Assert.Equal("application/problem+json", foreign.Content.Headers.ContentType?.MediaType);
        Assert.Equal(HttpStatusCode.Unauthorized, anonymous.StatusCode);
        Assert.Equal(HttpStatusCode.Unauthorized, forged.StatusCode);

        // The owner still sees its post and account untouched.
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/accounts/{account}", key)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/posts/{post["id"]}", key)).StatusCode);
    }
}
