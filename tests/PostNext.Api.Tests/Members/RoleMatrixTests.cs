using System.Text.RegularExpressions;

namespace PostNext.Api.Tests.Members;

/// <summary>
/// The role matrix, proven over every route of the host's own OpenAPI document: a viewer (or a read key) changes
/// nothing anywhere, so a new state-changing route without the right policy fails here the day it is mapped.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed partial class RoleMatrixTests(ApiHost host)
{
    /// <summary>State-changing routes anyone may call: they act on the caller's own session, never on a workspace.</summary>
    private static readonly string[] SessionRoutes =
    [
        "POST /v1/auth/sign-in", "POST /v1/auth/sign-out", "POST /v1/auth/workspace",
        "POST /v1/auth/invitations/preview", "POST /v1/auth/invitations/accept",
    ];

    [Fact]
    public async Task A_viewer_is_refused_every_state_changing_route_of_the_openapi_document_and_nothing_changes()
    {
        var (ws, adminKey, owner, _) = await Team.NewWorkspaceWithOwnerAsync(host);
        var (viewer, _) = await Team.JoinAsync(host, owner, ws, "viewer");
        var account = await host.CreateSandboxAccountAsync(ws, adminKey);
        var before = await SnapshotAsync(owner, ws);

        var routes = await StateChangingRoutesAsync();
        Assert.Equal(SessionRoutes.Order(), routes.Where(r => r.Path.StartsWith("/v1/auth/", StringComparison.Ordinal)).Select(r => r.ToString()).Order());
        var checkedRoutes = routes.Where(r => !r.Path.StartsWith("/v1/auth/", StringComparison.Ordinal)).ToList();
        Assert.True(checkedRoutes.Count >= 20, $"only {checkedRoutes.Count} state-changing routes found");

        var allowed = new List<string>();
        foreach (var route in checkedRoutes)
        {
            using var response = await viewer.SendAsync(new HttpMethod(route.Method), Fill(route.Path, ws, account, viewer.UserId!), new { role = "owner" });
            if (response.StatusCode != HttpStatusCode.Forbidden)
            {
                allowed.Add($"{route} answered {(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
                continue;
            }

            var detail = (await Person.ReadAsync(response, HttpStatusCode.Forbidden, route.ToString()))["detail"]!.GetValue<string>();
            Assert.DoesNotContain("antiforgery", detail, StringComparison.OrdinalIgnoreCase); // Refused for the role, not the token.
        }

        Assert.True(allowed.Count == 0, "a viewer got past:\n" + string.Join("\n", allowed));
        Assert.Equal(HttpStatusCode.Forbidden, (await viewer.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/invitations")).StatusCode);
        Assert.Equal(before, await SnapshotAsync(owner, ws));
    }

    [Fact]
    public async Task A_read_key_is_held_to_the_same_rule_on_every_state_changing_route()
    {
        var (ws, adminKey, owner, _) = await Team.NewWorkspaceWithOwnerAsync(host);
        var readKey = (await ApiHost.JsonAsync(await host.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/api-keys", adminKey, new { scopes = new[] { "read" } }), HttpStatusCode.Created))["apiKey"]!.GetValue<string>();
        var account = await host.CreateSandboxAccountAsync(ws, adminKey);
        var before = await SnapshotAsync(owner, ws);

        var allowed = new List<string>();
        foreach (var route in (await StateChangingRoutesAsync()).Where(r => !r.Path.StartsWith("/v1/auth/", StringComparison.Ordinal)))
        {
            using var response = await host.SendAsync(new HttpMethod(route.Method), Fill(route.Path, ws, account, owner.UserId!), readKey, new { role = "viewer" });
            if (response.StatusCode != HttpStatusCode.Forbidden)
            {
                allowed.Add($"{route} answered {(int)response.StatusCode}");
            }
        }

        Assert.True(allowed.Count == 0, "a read key got past:\n" + string.Join("\n", allowed));
        Assert.Equal(before, await SnapshotAsync(owner, ws));
    }

    [Fact]
    public async Task An_editor_writes_posts_and_queues_but_manages_no_members_keys_accounts_or_webhooks()
    {
        var (ws, adminKey, owner, _) = await Team.NewWorkspaceWithOwnerAsync(host);
        var (editor, _) = await Team.JoinAsync(host, owner, ws, "editor");
        var account = await host.CreateSandboxAccountAsync(ws, adminKey);

        var post = await editor.JsonAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts",
            new { content = new { text = "hello" }, targets = new[] { new { accountId = account } }, draft = true }, HttpStatusCode.Created);
        var postId = post["id"]!.GetValue<string>();
        await editor.JsonAsync(HttpMethod.Put, $"/v1/workspaces/{ws}/accounts/{account}/queue", new { slots = new[] { new { day = "tue", time = "18:00" } } }, HttpStatusCode.OK);
        Assert.Equal(HttpStatusCode.NoContent, (await editor.SendAsync(HttpMethod.Delete, $"/v1/workspaces/{ws}/posts/{postId}")).StatusCode);

        foreach (var (method, path, body) in new (string, string, object?)[]
                 {
                     ("POST", $"/v1/workspaces/{ws}/invitations", new { email = Team.NewEmail("x"), role = "viewer" }),
                     ("PATCH", $"/v1/workspaces/{ws}/members/{editor.UserId}", new { role = "owner" }),
                     ("DELETE", $"/v1/workspaces/{ws}/members/{owner.UserId}", null),
                     ("POST", $"/v1/workspaces/{ws}/api-keys", new { label = "mine" }),
                     ("POST", $"/v1/workspaces/{ws}/accounts", new { platform = "sandbox", handle = "more" }),
                     ("DELETE", $"/v1/workspaces/{ws}/accounts/{account}", null),
                     ("POST", $"/v1/workspaces/{ws}/webhooks", new { url = "https://example.com/hook", events = new[] { "post.published" } }),
                     ("GET", $"/v1/workspaces/{ws}/invitations", null),
                 })
        {
            using var response = await editor.SendAsync(new HttpMethod(method), path, body);
            var problem = await Person.ReadAsync(response, HttpStatusCode.Forbidden, $"{method} {path}");
            Assert.Contains("'owner' role; you are 'editor'", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        }
    }

    private async Task<List<Route>> StateChangingRoutesAsync()
    {
        var document = JsonNode.Parse(await host.Http.GetStringAsync("openapi/v1.json"))!;
        return document["paths"]!.AsObject()
            .SelectMany(p => p.Value!.AsObject().Select(o => new Route(o.Key.ToUpperInvariant(), p.Key)))
            .Where(r => r.Method is "POST" or "PUT" or "PATCH" or "DELETE")
            .ToList();
    }

    /// <summary>Path parameters filled with the workspace, a real account, the viewer's own user id, and made-up ids of the right shape.</summary>
    private static string Fill(string path, string ws, string account, string userId) => Parameter().Replace(path, m => m.Groups[1].Value switch
    {
        "ws" => ws,
        "accountId" => account,
        "userId" => userId,
        "platform" => "x",
        "postId" => "post00000000000000000000",
        "keyId" => "key00000000000000000000",
        "invitationId" => "inv00000000000000000000",
        "webhookId" => "wh00000000000000000000",
        _ => "x0000000000000000000",
    });

    /// <summary>What a viewer could have changed, as the owner sees it.</summary>
    private static async Task<string> SnapshotAsync(Person owner, string ws)
    {
        var parts = new List<string>();
        foreach (var path in new[] { "", "/members", "/invitations", "/accounts", "/webhooks" })
        {
            parts.Add((await owner.JsonAsync(HttpMethod.Get, $"/v1/workspaces/{ws}{path}", null, HttpStatusCode.OK)).ToJsonString());
        }

        return string.Join("\n", parts);
    }

    private sealed record Route(string Method, string Path)
    {
        public override string ToString() => $"{Method} {Path}";
    }

    [GeneratedRegex(@"\{([A-Za-z0-9_]+)\}")]
    private static partial Regex Parameter();
}
