using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PostNext.Hosting.Tests;

/// <summary>Account tokens are encrypted at rest: a dump of the database holds none of them, nor a readable key ring.</summary>
[Collection(PostgresCollection.Name)]
public sealed class TokensAtRestTests(PostgresFixture postgres)
{
    [Fact]
    public async Task A_dump_of_the_database_contains_no_token_in_plain_text()
    {
        var database = await postgres.CreateDatabaseAsync();
        const string accessToken = "plain-access-token-7f3a9c1e5b2d4f60";
        const string refreshToken = "plain-refresh-token-0b9e8d7c6a5f4e32";
        await using var silo = await ClusterHosts.StartSiloAsync(database, "tokens-" + Guid.NewGuid().ToString("N")[..8]);

        var workspace = await SendAsync(silo, HttpMethod.Post, "/v1/workspaces", ClusterHosts.OperatorKey, new { name = "Acme", timeZone = "UTC" });
        var ws = workspace["id"]!.GetValue<string>();
        var key = workspace["apiKey"]!.GetValue<string>();
        var account = await SendAsync(silo, HttpMethod.Post, $"/v1/workspaces/{ws}/accounts", key, new
        {
            platform = "x",
            handle = "acme",
            externalId = "1234567890",
            accessToken,
            refreshToken,
            expiresAt = DateTimeOffset.UtcNow.AddHours(2),
        });
        Assert.DoesNotContain(accessToken, account.ToJsonString(), StringComparison.Ordinal);

        // The account is readable again (the key ring decrypts), and the answer never carries the token.
        var fetched = await SendAsync(silo, HttpMethod.Get, $"/v1/workspaces/{ws}/accounts/{account["id"]}", key);
        Assert.Equal("connected", fetched["status"]!.GetValue<string>());

        var dump = await postgres.Server.DumpAsync(database);
        Assert.Contains("postnext_data_protection_keys", dump, StringComparison.Ordinal);
        Assert.DoesNotContain(accessToken, dump, StringComparison.Ordinal);
        Assert.DoesNotContain(refreshToken, dump, StringComparison.Ordinal);
        Assert.Contains("encryptedKey", dump, StringComparison.Ordinal); // the key ring is stored, encrypted
        Assert.DoesNotContain("<masterKey", dump, StringComparison.Ordinal);
    }

    private static async Task<JsonObject> SendAsync(RunningHost host, HttpMethod method, string path, string key, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        if (body is not null)
        {
            request.Content = JsonContent.Create(body);
        }

        var response = await host.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{method} {path}: {(int)response.StatusCode} {text}");
        return JsonNode.Parse(text)!.AsObject();
    }
}
