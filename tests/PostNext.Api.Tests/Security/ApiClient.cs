using System.Net.Http.Headers;
using System.Text;

namespace PostNext.Api.Tests.Security;

/// <summary>Sends API requests with a key and reads JSON answers; shared by the security and fuzz tests.</summary>
public sealed class ApiClient(HttpClient http, string operatorKey)
{
    public HttpClient Http => http;

    public string OperatorKey => operatorKey;

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key, object? json = null, string? raw = null, string contentType = "application/json")
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (key is not null)
        {
            request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
        }

        if (raw is not null)
        {
            request.Content = new StringContent(raw, Encoding.UTF8);
            request.Content.Headers.ContentType = MediaTypeHeaderValue.Parse(contentType);
        }
        else if (json is not null)
        {
            request.Content = JsonContent.Create(json);
        }

        return await http.SendAsync(request);
    }

    public async Task<JsonObject> JsonAsync(HttpMethod method, string path, string? key, object? json, HttpStatusCode expected)
    {
        using var response = await SendAsync(method, path, key, json);
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{method} {path}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return JsonNode.Parse(body)!.AsObject();
    }

    /// <summary>A new workspace (as the operator): its id and first (admin) key.</summary>
    public async Task<(string Id, string Key)> CreateWorkspaceAsync()
    {
        var created = await JsonAsync(HttpMethod.Post, "/v1/workspaces", operatorKey, new { name = "Acme", timeZone = "UTC" }, HttpStatusCode.Created);
        return (created["id"]!.GetValue<string>(), created["apiKey"]!.GetValue<string>());
    }

    /// <summary>Issues a key with the given scopes (null: the default) and answers its value.</summary>
    public async Task<string> IssueKeyAsync(string ws, string adminKey, params string[]? scopes)
    {
        var issued = await JsonAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/api-keys", adminKey,
            new { label = "test", scopes = scopes is { Length: > 0 } ? scopes : null }, HttpStatusCode.Created);
        return issued["apiKey"]!.GetValue<string>();
    }
}
