using System.Net.Http.Headers;
using System.Text;

namespace PostNext.Api.Tests.Security;

/// <summary>Request bodies are capped per route (413 naming the cap) and every list in a request is capped (400 naming the field); nothing is stored.</summary>
[Collection(ApiCollection.Name)]
public sealed class RequestLimitsTests(ApiHost host)
{
    private readonly ApiClient _api = new(host.Http, ApiHost.OperatorKey);

    [Fact]
    public async Task A_post_body_over_its_cap_answers_413_with_problem_details()
    {
        var (ws, key) = await _api.CreateWorkspaceAsync();
        var huge = "{\"content\": {\"text\": \"" + new string('a', 1_200_000) + "\"}, \"draft\": true}";

        using var response = await _api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts", key, raw: huge);

        await AssertTooLargeAsync(response);
    }

    [Fact]
    public async Task A_small_route_has_a_small_cap_also_when_the_body_is_chunked()
    {
        var (ws, key) = await _api.CreateWorkspaceAsync();
        var body = "{\"label\": \"" + new string('a', 100_000) + "\"}";
        using var request = new HttpRequestMessage(HttpMethod.Post, $"v1/workspaces/{ws}/api-keys")
        {
            // No Content-Length: the cap must hold while reading.
            Content = new StreamContent(new UnknownLengthStream(Encoding.UTF8.GetBytes(body))),
        };
        request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);

        using var response = await _api.Http.SendAsync(request);

        await AssertTooLargeAsync(response);
        var keys = (await _api.JsonAsync(HttpMethod.Get, $"/v1/workspaces/{ws}", key, null, HttpStatusCode.OK))["apiKeys"]!.AsArray();
        Assert.Single(keys);
    }

    [Fact]
    public async Task Every_list_over_its_cap_answers_400_naming_the_field_and_stores_nothing()
    {
        var (ws, key) = await _api.CreateWorkspaceAsync();
        var account = (await _api.JsonAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/accounts", key, new { platform = "sandbox", handle = "a" }, HttpStatusCode.Created))["id"]!.GetValue<string>();

        var targets = await _api.JsonAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts", key,
            new { content = new { text = "x" }, targets = Enumerable.Range(0, 51).Select(_ => new { accountId = account }), draft = true }, HttpStatusCode.BadRequest);
        Assert.NotNull(targets["errors"]!["targets"]);

        var media = await _api.JsonAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts", key,
            new { content = new { text = "x", media = Enumerable.Range(0, 36).Select(i => new { url = $"https://example.com/{i}.jpg", type = "image" }) }, targets = new[] { new { accountId = account } }, draft = true },
            HttpStatusCode.BadRequest);
        Assert.NotNull(media["errors"]!["content.media"]);

        var slots = await _api.JsonAsync(HttpMethod.Put, $"/v1/workspaces/{ws}/accounts/{account}/queue", key,
            new { slots = Enumerable.Range(0, 201).Select(_ => new { day = "mon", time = "09:00" }) }, HttpStatusCode.BadRequest);
        Assert.NotNull(slots["errors"]!["slots"]);

        var events = await _api.JsonAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/webhooks", key,
            new { url = "https://example.com/hook", events = Enumerable.Repeat("post.published", 100) }, HttpStatusCode.BadRequest);
        Assert.NotNull(events["errors"]!["events"]);

        Assert.Empty((await _api.JsonAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/webhooks", key, null, HttpStatusCode.OK))["webhooks"]!.AsArray());
        Assert.Empty((await _api.JsonAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/accounts/{account}/queue", key, null, HttpStatusCode.OK))["slots"]!.AsArray());
        var calendar = await _api.JsonAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/calendar?from=2020-01-01T00:00:00Z&to=2020-12-31T00:00:00Z", key, null, HttpStatusCode.OK);
        Assert.Empty(calendar["entries"]!.AsArray());
    }

    private static async Task AssertTooLargeAsync(HttpResponseMessage response)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == HttpStatusCode.RequestEntityTooLarge, $"expected 413, got {(int)response.StatusCode}: {body[..Math.Min(300, body.Length)]}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.Contains("bytes", JsonNode.Parse(body)!["detail"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    /// <summary>A stream that hides its length, so the client sends the body chunked.</summary>
    private sealed class UnknownLengthStream(byte[] bytes) : MemoryStream(bytes)
    {
        public override bool CanSeek => false;
    }
}
