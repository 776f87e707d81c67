using System.Net.Http.Headers;
using Microsoft.AspNetCore.WebUtilities;

namespace PostNext.Api.Tests.Connectors;

/// <summary>The calls the connector tests make over HTTP, against one running host.</summary>
public sealed class ConnectorsApi(HttpClient http)
{
    public const string ConnectSecretHeader = "PostNext-Connect-Secret";

    /// <summary>The completion secret of each connection this client started, by state (as a client app would keep them).</summary>
    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> _completionSecrets = new(StringComparer.Ordinal);

    public HttpClient Http => http;

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key, object? json = null, string? connectSecret = null)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (connectSecret is not null)
        {
            request.Headers.Add(ConnectSecretHeader, connectSecret);
        }

        if (json is not null)
        {
            request.Content = JsonContent.Create(json);
        }

        return await http.SendAsync(request);
    }

    /// <summary>A new workspace (as the operator); its id and API key.</summary>
    public async Task<(string Id, string Key)> CreateWorkspaceAsync()
    {
        var created = await ApiHost.JsonAsync(
            await SendAsync(HttpMethod.Post, "/v1/workspaces", ConnectorsHost.OperatorKey, new { name = "Connectors", timeZone = "Europe/Paris" }),
            HttpStatusCode.Created);
        return (created["id"]!.GetValue<string>(), created["apiKey"]!.GetValue<string>());
    }

    /// <summary>Imports an account whose tokens are known (POST …/accounts); returns the created account.</summary>
    public async Task<JsonObject> ImportAccountAsync(
        string ws, string key, string platform, string handle, string externalId, string accessToken, string? refreshToken = null, DateTimeOffset? expiresAt = null) =>
        await ApiHost.JsonAsync(
            await SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/accounts", key, new { platform, handle, externalId, accessToken, refreshToken, expiresAt }),
            HttpStatusCode.Created);

    public async Task<JsonObject> GetAccountAsync(string ws, string key, string accountId) =>
        await ApiHost.JsonAsync(await SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/accounts/{accountId}", key), HttpStatusCode.OK);

    public async Task<JsonArray> ListAccountsAsync(string ws, string key) =>
        (await ApiHost.JsonAsync(await SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/accounts", key), HttpStatusCode.OK))["accounts"]!.AsArray();

    /// <summary>POST …/accounts/connect: the authorize URL (parsed) and the state.</summary>
    public async Task<ConnectStart> StartConnectAsync(string ws, string key, string platform, Uri redirectUri)
    {
        var start = await ApiHost.JsonAsync(
            await SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/accounts/connect", key, new { platform, redirectUri = redirectUri.ToString() }),
            HttpStatusCode.OK);
        var url = new Uri(start["authorizeUrl"]!.GetValue<string>());
        var state = start["state"]!.GetValue<string>();
        var secret = start["completionSecret"]?.GetValue<string>();
        if (secret is not null)
        {
            _completionSecrets[state] = secret;
        }

        return new ConnectStart(url, state, QueryHelpers.ParseQuery(url.Query).ToDictionary(q => q.Key, q => q.Value.ToString()), start["expiresAt"]!.GetValue<DateTimeOffset>(), secret);
    }

    /// <summary>
    /// GET /v1/oauth/{platform}/callback?code=&amp;state= with no key, as the client app that started the connection
    /// forwards the platform's redirect: with the completion secret it kept for that state.
    /// </summary>
    public Task<HttpResponseMessage> CallbackAsync(string platform, string code, string state) =>
        CallbackAsync(platform, code, state, _completionSecrets.GetValueOrDefault(state));

    /// <summary>The callback with an explicit completion secret (or none).</summary>
    public Task<HttpResponseMessage> CallbackAsync(string platform, string code, string state, string? secret) =>
        SendAsync(HttpMethod.Get, $"/v1/oauth/{platform}/callback?code={Uri.EscapeDataString(code)}&state={Uri.EscapeDataString(state)}", key: null, connectSecret: secret);

    /// <summary>Creates a post; returns the 201 answer.</summary>
    public async Task<JsonObject> CreatePostAsync(string ws, string key, object body) =>
        await ApiHost.JsonAsync(await SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts", key, body), HttpStatusCode.Created);

    public async Task<JsonObject> GetPostAsync(string ws, string key, string postId) =>
        await ApiHost.JsonAsync(await SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/posts/{postId}", key), HttpStatusCode.OK);

    /// <summary>Polls the post until every target has a final status (published, failed, canceled) or the timeout passes.</summary>
    public async Task<JsonObject> WaitForPostAsync(string ws, string key, string postId, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(45));
        while (true)
        {
            var post = await GetPostAsync(ws, key, postId);
            var final = post["targets"]!.AsArray().All(t => t!["status"]!.GetValue<string>() is "published" or "failed" or "canceled");
            if (final || DateTime.UtcNow > deadline)
            {
                return post;
            }

            await Task.Delay(100);
        }
    }

    /// <summary>A refused request stored nothing: no calendar entry, no post.</summary>
    public async Task AssertNothingStoredAsync(string ws, string key)
    {
        var from = DateTimeOffset.UtcNow.AddDays(-1).ToString("O");
        var to = DateTimeOffset.UtcNow.AddDays(30).ToString("O");
        var calendar = await ApiHost.JsonAsync(
            await SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/calendar?from={Uri.EscapeDataString(from)}&to={Uri.EscapeDataString(to)}", key), HttpStatusCode.OK);
        Assert.Empty(calendar["entries"]!.AsArray());
        var posts = await ApiHost.JsonAsync(await SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/posts", key), HttpStatusCode.OK);
        Assert.Empty(posts["posts"]!.AsArray());
    }

    public static JsonObject Target(JsonObject post, string accountId) =>
        post["targets"]!.AsArray().Single(t => t!["accountId"]!.GetValue<string>() == accountId)!.AsObject();

    /// <summary>A 400 with problem details; returns its detail.</summary>
    public static async Task<string> ProblemAsync(HttpResponseMessage response, HttpStatusCode expected = HttpStatusCode.BadRequest)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        var problem = JsonNode.Parse(body)!.AsObject();
        Assert.Equal((int)expected, problem["status"]!.GetValue<int>());
        return problem["detail"]!.GetValue<string>();
    }
}

/// <summary>What POST …/accounts/connect answered.</summary>
public sealed record ConnectStart(Uri AuthorizeUrl, string State, IReadOnlyDictionary<string, string> Query, DateTimeOffset ExpiresAt, string? CompletionSecret = null);
