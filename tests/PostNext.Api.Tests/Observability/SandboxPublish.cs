namespace PostNext.Api.Tests.Observability;

/// <summary>A sandbox post published through the API, waited for until the platform has it.</summary>
internal static class SandboxPublish
{
    /// <summary>Creates a workspace, a sandbox account and a post scheduled an hour ahead, publishes it now and waits until it is published.</summary>
    public static async Task<(string Workspace, string Key, string PostId)> PublishNowAsync(ApiHost api, IDictionary<string, string>? headers = null)
    {
        var (ws, key) = await api.CreateWorkspaceAsync();
        var account = await api.CreateSandboxAccountAsync(ws, key);
        var created = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts", key, new
        {
            content = new { text = "Observed" },
            targets = new[] { new { accountId = account } },
            schedule = new { at = DateTimeOffset.UtcNow.AddHours(1) },
        }), HttpStatusCode.Created);
        var postId = created["id"]!.GetValue<string>();
        await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts/{postId}/publish-now", key, headers: headers), HttpStatusCode.OK);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        JsonObject post;
        do
        {
            await Task.Delay(100);
            post = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/posts/{postId}", key), HttpStatusCode.OK);
        }
        while (post["status"]!.GetValue<string>() != "published" && DateTime.UtcNow < deadline);

        Assert.Equal("published", post["status"]!.GetValue<string>());
        return (ws, key, postId);
    }
}
