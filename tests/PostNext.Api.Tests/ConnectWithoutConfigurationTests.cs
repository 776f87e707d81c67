namespace PostNext.Api.Tests;

/// <summary>A platform without a client id cannot be connected: the answer says what to configure, and nothing is stored.</summary>
[Collection(ApiCollection.Name)]
public sealed class ConnectWithoutConfigurationTests(ApiHost api)
{
    [Theory]
    [InlineData("x")]
    [InlineData("linkedin")]
    [InlineData("facebook")]
    [InlineData("instagram")]
    [InlineData("tiktok")]
    [InlineData("youtube")]
    public async Task Connecting_an_unconfigured_platform_answers_400_naming_the_setting(string platform)
    {
        var (ws, key) = await api.CreateWorkspaceAsync();

        var response = await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/accounts/connect", key,
            new { platform, redirectUri = "https://app.example.com/callback" });

        var problem = await ApiHost.JsonAsync(response, HttpStatusCode.BadRequest);
        Assert.Contains($"PostNext:Platforms:{platform}:ClientId", problem["detail"]!.GetValue<string>(), StringComparison.Ordinal);
        var accounts = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/accounts", key), HttpStatusCode.OK);
        Assert.Empty(accounts["accounts"]!.AsArray());
    }

    [Fact]
    public async Task Connect_requests_with_bad_input_list_every_problem()
    {
        var (ws, key) = await api.CreateWorkspaceAsync();

        var response = await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/accounts/connect", key,
            new { platform = "myspace", redirectUri = "ftp://nowhere" });

        var problem = await ApiHost.JsonAsync(response, HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.True(errors.ContainsKey("platform"));
        Assert.True(errors.ContainsKey("redirectUri"));
    }
}
