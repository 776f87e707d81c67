using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace PostNext.Api.Tests;

/// <summary>
/// Webhooks over HTTP against the embedded host (private networks allowed, retries after 200 ms … 1 s), with a
/// loopback receiver that checks every signature itself.
/// </summary>
[Collection(ApiCollection.Name)]
public sealed class WebhooksApiTests(ApiHost api)
{
    private const string Secret = "receiver-shared-secret-0001";

    [Fact]
    public async Task A_generated_secret_is_shown_once_and_a_supplied_one_never()
    {
        var (ws, key) = await api.CreateWorkspaceAsync();

        var generated = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/webhooks", key,
            new { url = "https://hooks.example.com/postnext", events = new[] { "post.published", "post.failed" } }), HttpStatusCode.Created);
        var id = generated["id"]!.GetValue<string>();
        var secret = generated["secret"]!.GetValue<string>();
        Assert.StartsWith("whsec_", secret, StringComparison.Ordinal);
        Assert.Equal(["post.published", "post.failed"], generated["events"]!.AsArray().Select(e => e!.GetValue<string>()));

        var supplied = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/webhooks", key,
            new { url = "https://hooks.example.com/other", events = new[] { "account.reconnect_required" }, secret = Secret }), HttpStatusCode.Created);
        Assert.False(supplied.ContainsKey("secret"));

        var list = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/webhooks", key), HttpStatusCode.OK);
        var one = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/webhooks/{id}", key), HttpStatusCode.OK);
        Assert.Equal(2, list["webhooks"]!.AsArray().Count);
        Assert.Equal("https://hooks.example.com/postnext", one["url"]!.GetValue<string>());
        foreach (var json in new[] { list.ToJsonString(), one.ToJsonString() })
        {
            Assert.DoesNotContain(secret, json, StringComparison.Ordinal);
            Assert.DoesNotContain(Secret, json, StringComparison.Ordinal);
            Assert.DoesNotContain("\"secret\"", json, StringComparison.Ordinal);
        }

        Assert.Equal(HttpStatusCode.NoContent, (await api.SendAsync(HttpMethod.Delete, $"/v1/workspaces/{ws}/webhooks/{id}", key)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/webhooks/{id}", key)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Delete, $"/v1/workspaces/{ws}/webhooks/{id}", key)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/webhooks/{id}/deliveries", key)).StatusCode);
    }

    [Fact]
    public async Task Invalid_input_answers_400_listing_every_problem()
    {
        var (ws, key) = await api.CreateWorkspaceAsync();

        var response = await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/webhooks", key,
            new { url = "ftp://hooks.example.com/x", events = new[] { "post.published", "post.exploded" }, secret = "short" });
        var problem = await ApiHost.JsonAsync(response, HttpStatusCode.BadRequest);
        var errors = problem["errors"]!.AsObject();
        Assert.Equal(["events[1]", "secret", "url"], errors.Select(e => e.Key).Order(StringComparer.Ordinal));

        var empty = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/webhooks", key, new { }), HttpStatusCode.BadRequest);
        Assert.Equal(["events", "url"], empty["errors"]!.AsObject().Select(e => e.Key).Order(StringComparer.Ordinal));

        var credentials = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/webhooks", key,
            new { url = "https://user:pass@hooks.example.com/x", events = new[] { "post.failed" } }), HttpStatusCode.BadRequest);
        Assert.True(credentials["errors"]!.AsObject().ContainsKey("url"));

        var hook = await CreateAsync(ws, key, "https://hooks.example.com/x");
        Assert.Equal(HttpStatusCode.BadRequest, (await api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/webhooks/{hook}/deliveries?limit=0", key)).StatusCode);
        Assert.Equal(HttpStatusCode.BadRequest, (await api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/webhooks/{hook}/deliveries?limit=many", key)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/webhooks/not-an-id", key)).StatusCode);
    }

    [Fact]
    public async Task Another_workspace_neither_sees_nor_deletes_a_webhook()
    {
        var (ws, key) = await api.CreateWorkspaceAsync();
        var (_, otherKey) = await api.CreateWorkspaceAsync();
        var hook = await CreateAsync(ws, key, "https://hooks.example.com/x");

        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/webhooks", otherKey)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await api.SendAsync(HttpMethod.Delete, $"/v1/workspaces/{ws}/webhooks/{hook}", otherKey)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/webhooks/{hook}", key)).StatusCode);
    }

    [Fact]
    public async Task Every_delivery_carries_a_signature_the_receiver_verifies_with_the_shared_secret()
    {
        await using var receiver = await FakePlatformServer.StartAsync(app => app.MapPost("/hooks/ok", () => Results.Ok()));
        var (ws, key) = await api.CreateWorkspaceAsync();
        var hook = await CreateAsync(ws, key, receiver.Url("/hooks/ok").ToString());

        var sent = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var accepted = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/webhooks/{hook}/test", key), HttpStatusCode.Accepted);
            Assert.Equal("pending", accepted["status"]!.GetValue<string>());
            sent.Add(accepted["eventId"]!.GetValue<string>());
        }

        var deliveries = await WaitForDeliveriesAsync(ws, key, hook, 3);

        Assert.All(deliveries, d => Assert.Equal("delivered", d["status"]!.GetValue<string>()));
        Assert.Equal(3, receiver.Requests.Count);
        foreach (var request in receiver.Requests)
        {
            var body = JsonNode.Parse(request.Body)!.AsObject();
            Assert.True(SignatureVerifies(request, Secret), $"signature {request.Header("PostNext-Signature")} does not verify");
            Assert.Equal(body["id"]!.GetValue<string>(), request.Header("PostNext-Event-Id"));
            Assert.Equal("webhook.test", request.Header("PostNext-Event-Type"));
            Assert.Equal("webhook.test", body["type"]!.GetValue<string>());
            Assert.Equal(ws, body["workspaceId"]!.GetValue<string>());
            Assert.Equal(hook, body["data"]!["webhookId"]!.GetValue<string>());
            Assert.True(DateTimeOffset.TryParse(body["createdAt"]!.GetValue<string>(), CultureInfo.InvariantCulture, out _));
            Assert.Equal("application/json", request.Header("Content-Type"));
            Assert.Equal("PostNext-Webhooks/1", request.Header("User-Agent"));
            Assert.False(SignatureVerifies(request, "some-other-secret-0000"));
        }

        Assert.Equal(sent.Order(StringComparer.Ordinal), receiver.Requests.Select(r => r.Header("PostNext-Event-Id")!).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task A_receiver_that_is_down_for_a_while_gets_every_event_once_after_it_recovers()
    {
        const int failures = 4;
        await using var receiver = await FakePlatformServer.StartAsync(app => app.MapPost("/hooks/flaky", () => Results.Ok()));
        for (var i = 0; i < failures; i++)
        {
            receiver.Fail("POST", "/hooks/flaky", 503, """{"error":"maintenance"}""");
        }

        var (ws, key) = await api.CreateWorkspaceAsync();
        var hook = await CreateAsync(ws, key, receiver.Url("/hooks/flaky").ToString());
        var sent = new List<string>();
        for (var i = 0; i < 3; i++)
        {
            var accepted = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/webhooks/{hook}/test", key), HttpStatusCode.Accepted);
            sent.Add(accepted["eventId"]!.GetValue<string>());
        }

        var deliveries = await WaitForDeliveriesAsync(ws, key, hook, 3, TimeSpan.FromSeconds(30));
        await Task.Delay(TimeSpan.FromSeconds(1)); // nothing more may arrive

        // The first requests met the outage, one at a time; every later one was answered 200: each event exactly once,
        // the oldest first (it found the receiver back); test events are each their own resource, so the others may
        // then overtake each other.
        var requests = receiver.Requests;
        Assert.All(requests, r => Assert.True(SignatureVerifies(r, Secret)));
        var accepted200 = requests.Skip(failures).Select(r => r.Header("PostNext-Event-Id")!).ToList();
        Assert.Equal(sent[0], accepted200[0]);
        Assert.Equal(sent.Order(StringComparer.Ordinal), accepted200.Order(StringComparer.Ordinal));
        Assert.Equal(failures + sent.Count, requests.Count);
        Assert.All(requests.Take(failures), r => Assert.Equal(sent[0], r.Header("PostNext-Event-Id")));

        // The deliveries list (newest first) shows the outage in the first event's attempts.
        Assert.Equal(sent.AsEnumerable().Reverse(), deliveries.Select(d => d["eventId"]!.GetValue<string>()));
        Assert.All(deliveries, d => Assert.Equal("delivered", d["status"]!.GetValue<string>()));
        var first = deliveries[^1];
        var attempts = first["attempts"]!.AsArray();
        Assert.Equal(failures + 1, first["attemptCount"]!.GetValue<int>());
        Assert.Equal(failures + 1, attempts.Count);
        Assert.All(attempts.Take(failures), a =>
        {
            Assert.Equal(503, a!["statusCode"]!.GetValue<int>());
            Assert.Contains("maintenance", a["error"]!.GetValue<string>(), StringComparison.Ordinal);
        });
        Assert.Equal(200, attempts[^1]!["statusCode"]!.GetValue<int>());
        Assert.Null(first["nextAttemptAt"]?.GetValue<string>());
        Assert.NotNull(first["deliveredAt"]?.GetValue<string>());
    }

    private async Task<string> CreateAsync(string ws, string key, string url)
    {
        var created = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/webhooks", key,
            new { url, events = new[] { "post.published", "post.failed", "post.deferred", "account.reconnect_required" }, secret = Secret }),
            HttpStatusCode.Created);
        return created["id"]!.GetValue<string>();
    }

    /// <summary>Polls the deliveries list until <paramref name="count"/> deliveries are no longer pending.</summary>
    private async Task<List<JsonObject>> WaitForDeliveriesAsync(string ws, string key, string hook, int count, TimeSpan? timeout = null)
    {
        var deadline = DateTime.UtcNow + (timeout ?? TimeSpan.FromSeconds(15));
        while (true)
        {
            var list = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/webhooks/{hook}/deliveries", key), HttpStatusCode.OK);
            var deliveries = list["deliveries"]!.AsArray().Select(d => d!.AsObject()).ToList();
            if (deliveries.Count >= count && deliveries.All(d => d["status"]!.GetValue<string>() != "pending"))
            {
                return deliveries;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"Deliveries still pending: {list.ToJsonString()}");
            }

            await Task.Delay(100);
        }
    }

    /// <summary>The receiver's check, written from the documented scheme: HMAC-SHA256(secret, "&lt;t&gt;." + raw body) in hex, under <c>v1</c>.</summary>
    private static bool SignatureVerifies(RecordedRequest request, string secret)
    {
        var header = request.Header("PostNext-Signature");
        if (header is null)
        {
            return false;
        }

        var parts = header.Split(',').Select(p => p.Split('=', 2)).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        var timestamp = long.Parse(parts["t"], CultureInfo.InvariantCulture);
        if (Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - timestamp) > 300)
        {
            return false;
        }

        var signed = Encoding.UTF8.GetBytes(parts["t"] + ".").Concat(request.BodyBytes).ToArray();
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(parts["v1"]));
    }
}
