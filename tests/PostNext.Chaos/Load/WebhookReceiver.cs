using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PostNext.Testing;

namespace PostNext.Chaos.Load;

/// <summary>One POST the receiver got, in arrival order.</summary>
public sealed record ReceivedWebhook(
    long Arrival, DateTimeOffset ReceivedAt, string EventId, string EventType, string? DeliveryId, string? PostId, string? AccountId,
    DateTimeOffset? CreatedAt, bool SignatureValid);

/// <summary>
/// The webhook receiver a customer would run, on loopback: answers 200 to every delivery, checks its signature, and
/// records each one (event id, type, delivery id, the publication it is about) in arrival order; the bodies go to
/// webhooks.ndjson in the run directory.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    public const string Secret = "chaos-webhook-secret-0123456789abcdef";

    private readonly StreamWriter _bodies;
    private readonly Lock _gate = new();
    private readonly List<ReceivedWebhook> _received = [];
    private FakePlatformServer? _server;

    private WebhookReceiver(StreamWriter bodies) => _bodies = bodies;

    public Uri Url => _server!.Url("hook");

    public IReadOnlyList<ReceivedWebhook> Received
    {
        get
        {
            lock (_gate)
            {
                return _received.ToList();
            }
        }
    }

    /// <summary>Starts the receiver on a loopback port (the same Kestrel fake the connector tests use).</summary>
    public static async Task<WebhookReceiver> StartAsync(string runDirectory)
    {
        var receiver = new WebhookReceiver(new StreamWriter(Path.Combine(runDirectory, "webhooks.ndjson")) { AutoFlush = true });
        receiver._server = await FakePlatformServer.StartAsync(app => app.MapPost("/hook", (Func<HttpContext, Task<IResult>>)receiver.ReceiveAsync));
        return receiver;
    }

    private async Task<IResult> ReceiveAsync(HttpContext http)
    {
        using var buffer = new MemoryStream();
        await http.Request.Body.CopyToAsync(buffer, http.RequestAborted);
        var body = buffer.ToArray();
        var headers = http.Request.Headers;
        string? postId = null, accountId = null;
        DateTimeOffset? createdAt = null;
        try
        {
            var json = JsonNode.Parse(body)?.AsObject();
            postId = json?["data"]?["postId"]?.GetValue<string>();
            accountId = json?["data"]?["accountId"]?.GetValue<string>();
            createdAt = json?["createdAt"]?.GetValue<DateTimeOffset>();
        }
        catch (Exception ex) when (ex is JsonException or InvalidOperationException or FormatException)
        {
            // Recorded with what the headers say; a body that is not the documented JSON shows in webhooks.ndjson.
        }

        lock (_gate)
        {
            _received.Add(new ReceivedWebhook(
                _received.Count, DateTimeOffset.UtcNow, headers["PostNext-Event-Id"].ToString(), headers["PostNext-Event-Type"].ToString(),
                headers["PostNext-Delivery-Id"].ToString() is { Length: > 0 } delivery ? delivery : null,
                postId, accountId, createdAt, SignatureIsValid(headers["PostNext-Signature"].ToString(), body)));
            _bodies.WriteLine(Encoding.UTF8.GetString(body));
        }

        return TypedResults.Ok();
    }

    /// <summary>Recomputes <c>v1</c> = hex HMAC-SHA256 of "&lt;t&gt;.&lt;raw body&gt;" with the secret, as the README tells receivers to.</summary>
    private static bool SignatureIsValid(string header, byte[] body)
    {
        var parts = header.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToDictionary(p => p[0], p => p[1], StringComparer.Ordinal);
        if (!parts.TryGetValue("t", out var t) || !parts.TryGetValue("v1", out var v1) || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out _))
        {
            return false;
        }

        byte[] signed = [.. Encoding.UTF8.GetBytes(t + "."), .. body];
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), signed);
        return CryptographicOperations.FixedTimeEquals(Encoding.ASCII.GetBytes(Convert.ToHexStringLower(expected)), Encoding.ASCII.GetBytes(v1));
    }

    public async ValueTask DisposeAsync()
    {
        if (_server is not null)
        {
            await _server.DisposeAsync();
        }

        lock (_gate)
        {
            _bodies.Dispose();
        }
    }
}
