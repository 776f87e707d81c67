namespace PostNext.Api.Tests.Security;

/// <summary>A post's media URL that names a loopback, private or metadata address is refused at once, naming the field; nothing is stored.</summary>
[Collection(ApiCollection.Name)]
public sealed class MediaUrlTests(ApiHost host)
{
    private readonly ApiClient _api = new(host.Http, ApiHost.OperatorKey);

    [Theory]
    [InlineData("http://169.254.169.254/latest/meta-data/iam")]
    [InlineData("http://127.0.0.1:5432/x.jpg")]
    [InlineData("https://[::1]/x.jpg")]
    [InlineData("https://localhost/x.jpg")]
    [InlineData("https://10.1.2.3/x.jpg")]
    [InlineData("https://user:pass@cdn.example.com/x.jpg")]
    public async Task A_media_url_on_a_non_public_address_answers_400_naming_the_field(string url)
    {
        var (ws, key) = await _api.CreateWorkspaceAsync();
        var account = (await _api.JsonAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/accounts", key, new { platform = "sandbox", handle = "a" }, HttpStatusCode.Created))["id"]!.GetValue<string>();

        var problem = await _api.JsonAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts", key, new
        {
            content = new { text = "x", media = new[] { new { url = "https://cdn.example.com/ok.jpg", type = "image" }, new { url, type = "image" } } },
            targets = new[] { new { accountId = account } },
            draft = true,
        }, HttpStatusCode.BadRequest);

        Assert.NotNull(problem["errors"]!["content.media[1].url"]);
        Assert.Null(problem["errors"]!["content.media[0].url"]);
    }
}
