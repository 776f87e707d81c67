using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace PostNext.Grains.Tests.Webhooks;

/// <summary>
/// A loopback webhook receiver, as a customer would write one: it checks each signature itself, answers 503 while
/// "down", and records which event ids it accepted (answered 200).
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _accepted = new();
    private readonly ConcurrentDictionary<string, bool> _refused = new(StringComparer.Ordinal);
    private volatile bool _down;
    private int _badSignatures;

    private WebhookReceiver(string secret) => Secret = secret;

    public FakePlatformServer Server { get; private set; } = null!;

    public string Url => Server.Url("/hooks").ToString();

    /// <summary>Event ids answered 200, in arrival order.</summary>
    public IReadOnlyList<string> Accepted => [.. _accepted];

    public int BadSignatures => _badSignatures;

    public static async Task<WebhookReceiver> StartAsync(string secret, bool down = false)
    {
        var receiver = new WebhookReceiver(secret) { _down = down };
        receiver.Server = await FakePlatformServer.StartAsync(app => app.MapPost("/hooks", (Func<HttpContext, Task<IResult>>)receiver.Handle));
        return receiver;
    }

    public void GoDown() => _down = true;

    public void ComeBack() => _down = false;

    /// <summary>Answers 500 to every attempt of this one event (a receiver bug that one payload triggers).</summary>
    public void AlwaysRefuse(string eventId) => _refused[eventId] = true;

    /// <summary>The secret signatures are checked with from now on (a rotation on the receiver's side).</summary>
    public string Secret { get; set; } = "";

    private async Task<IResult> Handle(HttpContext context)
    {
        using var buffer = new MemoryStream();
        await context.Request.Body.CopyToAsync(buffer);
        var body = buffer.ToArray();
        if (!Verifies(context.Request.Headers["PostNext-Signature"].ToString(), body, Secret))
        {
            Interlocked.Increment(ref _badSignatures);
            return Results.StatusCode(401);
        }

        if (_down)
        {
            return Results.StatusCode(503);
        }

        var id = JsonNode.Parse(body)!["id"]!.GetValue<string>();
        if (_refused.ContainsKey(id))
        {
            return Results.StatusCode(500);
        }

        _accepted.Enqueue(id);
        return Results.Ok();
    }

    /// <summary>HMAC-SHA256 with the secret over "&lt;t&gt;." + raw body, hex, compared in constant time; t within 5 minutes.</summary>
    public static bool Verifies(string header, byte[] body, string secret)
    {
        // Several v1 signatures while a secret rotation's grace period runs: any one made with our secret will do.
        var parts = header.Split(',').Select(p => p.Split('=', 2)).Where(p => p.Length == 2).ToList();
        var t = parts.FirstOrDefault(p => p[0] == "t")?[1];
        if (t is null || !long.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out var seconds) ||
            Math.Abs(DateTimeOffset.UtcNow.ToUnixTimeSeconds() - seconds) > 300)
        {
            return false;
        }

        byte[] signed = [.. Encoding.UTF8.GetBytes(t + "."), .. body];
        var expected = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return parts.Where(p => p[0] == "v1").Select(p => p[1])
            .Any(v1 => v1.Length == expected.Length * 2 && CryptographicOperations.FixedTimeEquals(expected, Convert.FromHexString(v1)));
    }

    public ValueTask DisposeAsync() => Server.DisposeAsync();
}
