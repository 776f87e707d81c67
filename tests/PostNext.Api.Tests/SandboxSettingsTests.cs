namespace PostNext.Api.Tests;

/// <summary>Sandbox fault settings over HTTP: what is refused (naming the field), what is kept, and a 429 that defers.</summary>
[Collection(ApiCollection.Name)]
public sealed class SandboxSettingsTests(ApiHost api)
{
    [Theory]
    [InlineData("""{"rateLimitRate": 1.5}""", "sandbox.rateLimitRate")]
    [InlineData("""{"rateLimitRate": -0.1}""", "sandbox.rateLimitRate")]
    [InlineData("""{"failureRate": 2}""", "sandbox.failureRate")]
    [InlineData("""{"unknownOutcomeRate": -1}""", "sandbox.unknownOutcomeRate")]
    [InlineData("""{"rateLimitResetSeconds": 0}""", "sandbox.rateLimitResetSeconds")]
    [InlineData("""{"rateLimitResetSeconds": 3601}""", "sandbox.rateLimitResetSeconds")]
    [InlineData("""{"failureRate": 0.6, "rateLimitRate": 0.5}""", "sandbox.rateLimitRate")]
    [InlineData("""{"failureRate": 0.5, "rateLimitRate": 0.3, "unknownOutcomeRate": 0.3}""", "sandbox.unknownOutcomeRate")]
    public async Task Bad_sandbox_fault_settings_answer_400_naming_the_field(string sandbox, string field)
    {
        var (ws, key) = await api.CreateWorkspaceAsync();

        var response = await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/accounts", key,
            rawJson: $$"""{"platform": "sandbox", "handle": "faulty", "sandbox": {{sandbox}}}""");

        var problem = await ApiHost.JsonAsync(response, HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.ContainsKey(field), $"expected an error for {field}: {problem.ToJsonString()}");
        Assert.Single(errors);
    }

    [Fact]
    public async Task Fault_settings_within_bounds_are_kept_and_shown()
    {
        var (ws, key) = await api.CreateWorkspaceAsync();

        var account = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/accounts", key, new
        {
            platform = "sandbox",
            handle = "faulty",
            sandbox = new { latencyMs = 50, failureRate = 0.1, rateLimitRate = 0.2, rateLimitResetSeconds = 45, unknownOutcomeRate = 0.7 },
        }), HttpStatusCode.Created);

        var sandbox = account["sandbox"]!;
        Assert.Equal(0.2, sandbox["rateLimitRate"]!.GetValue<double>());
        Assert.Equal(45, sandbox["rateLimitResetSeconds"]!.GetValue<int>());
        Assert.Equal(0.7, sandbox["unknownOutcomeRate"]!.GetValue<double>());
    }

    [Fact]
    public async Task A_simulated_429_defers_the_target_to_the_reported_reset_and_nothing_is_received()
    {
        var (ws, key) = await api.CreateWorkspaceAsync();
        var account = await api.CreateSandboxAccountAsync(ws, key, "limited", new { rateLimitRate = 1.0, rateLimitResetSeconds = 600 });
        var before = DateTimeOffset.UtcNow;

        var created = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts", key, new
        {
            content = new { text = "Too many" },
            targets = new[] { new { accountId = account } },
            schedule = new { mode = "now" },
        }), HttpStatusCode.Created);
        var postId = created["id"]!.GetValue<string>();

        JsonNode target;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await Task.Delay(200);
            var post = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/posts/{postId}", key), HttpStatusCode.OK);
            target = post["targets"]!.AsArray().Single()!;
        }
        while (target["status"]!.GetValue<string>() != "deferred" && DateTime.UtcNow < deadline);

        Assert.Equal("deferred", target["status"]!.GetValue<string>());
        Assert.Contains("429", target["deferReason"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.True(target["deferredUntil"]!.GetValue<DateTimeOffset>() >= before.AddSeconds(590), target.ToJsonString());
        var received = await ApiHost.JsonAsync(
            await api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/accounts/{account}/sandbox/received?postId={postId}", key), HttpStatusCode.OK);
        Assert.Empty(received["received"]!.AsArray());
    }
}
