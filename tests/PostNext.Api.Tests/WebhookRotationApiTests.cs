namespace PostNext.Api.Tests;

/// <summary>Over HTTP: a webhook's secret is rotated with a grace period (generated secret shown once), and a delivery is sent again by hand.</summary>
[Collection(ApiCollection.Name)]
public sealed class WebhookRotationApiTests(ApiHost api)
{
    [Fact]
    public async Task A_secret_is_rotated_with_a_grace_period_and_a_delivery_is_redelivered()
    {
        var (ws, key) = await api.CreateWorkspaceAsync();
        var hook = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/webhooks", key,
            new { url = "http://127.0.0.1:9/hook", events = new[] { "post.published" } }), HttpStatusCode.Created);
        var id = hook["id"]!.GetValue<string>();

        var rotated = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/webhooks/{id}/rotate-secret", key, new { graceHours = 2 }), HttpStatusCode.OK);
        Assert.StartsWith("whsec_", rotated["secret"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.InRange(rotated["previousSecretExpiresAt"]!.GetValue<DateTimeOffset>(), DateTimeOffset.UtcNow.AddHours(1.9), DateTimeOffset.UtcNow.AddHours(2.1));
        var tooLong = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/webhooks/{id}/rotate-secret", key, new { graceHours = 1000 }), HttpStatusCode.BadRequest);
        Assert.NotNull(tooLong["errors"]!["graceHours"]);
        var listed = await (await api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/webhooks/{id}", key)).Content.ReadAsStringAsync();
        Assert.DoesNotContain(rotated["secret"]!.GetValue<string>(), listed, StringComparison.Ordinal);

        var test = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/webhooks/{id}/test", key), HttpStatusCode.Accepted);
        var again = await ApiHost.JsonAsync(
            await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/webhooks/{id}/deliveries/{test["id"]!.GetValue<string>()}/redeliver", key), HttpStatusCode.Accepted);
        Assert.Equal("pending", again["status"]!.GetValue<string>());
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/webhooks/{id}/deliveries/dlv{new string('0', 20)}/redeliver", key)).StatusCode);
    }
}
