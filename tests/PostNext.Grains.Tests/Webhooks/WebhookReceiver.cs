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
/// "down", and records which event ids it accepted (answered 200). It can be slow (<see cref="Hold"/>), and counts how
/// many requests it was answering at once, and whether two about the same resource ever overlapped.
/// </summary>
public sealed class WebhookReceiver : IAsyncDisposable
{
    private readonly ConcurrentQueue<string> _accepted = new();
    private readonly ConcurrentDictionary<string, bool> _refused = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, int> _answering = new(StringComparer.Ordinal);
    private volatile bool _down;
    private int _badSignatures;
    private int _inFlight;
    private int _maxInFlight;
    private int _sameResourceOverlaps;

    private WebhookReceiver(string secret) => Secret = secret;

    public FakePlatformServer Server { get; private set; } = null!;

    public string Url => Server.Url("/hooks").ToString();

    /// <summary>Event ids answered 200, in arrival order.</summary>
    public IReadOnlyList<string> Accepted => [.. _accepted];

    public int BadSignatures => _badSignatures;

    /// <summary>The most requests it was answering at the same time.</summary>
    public int MaxConcurrent => Volatile.Read(ref _maxInFlight);

    /// <summary>Requests that arrived while one about the same resource (post target, account) was still unanswered.</summary>
    public int SameResourceOverlaps => Volatile.Read(ref _sameResourceOverlaps);

    /// <summary>How long each signed request is held before it is answered (none when null): a slow receiver.</summary>
    public Func<TimeSpan>? Hold { get; set; }

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

        var json = JsonNode.Parse(body)!;
        var resource = ResourceOf(json);
        var concurrent = Interlocked.Increment(ref _inFlight);
        InterlockedMax(ref _maxInFlight, concurrent);
        if (_answering.AddOrUpdate(resource, 1, (_, n) => n + 1) > 1)
        {
            Interlocked.Increment(ref _sameResourceOverlaps);
        }

        try
        {
            if (Hold?.Invoke() is { } hold && hold > TimeSpan.Zero)
            {
                await Task.Delay(hold);
            }

            if (_down)
            {
                return Results.StatusCode(503);
            }

            var id = json["id"]!.GetValue<string>();
            if (_refused.ContainsKey(id))
            {
                return Results.StatusCode(500);
            }

            _accepted.Enqueue(id);
            return Results.Ok();
        }
        finally
        {
            _answering.AddOrUpdate(resource, 0, (_, n) => n - 1);
            Interlocked.Decrement(ref _inFlight);
        }
    }

    /// <summary>The post target or account an event is about (as the sender orders them), else the event itself.</summary>
    private static string ResourceOf(JsonNode body)
    {
        var data = body["data"] as JsonObject;
        var post = data?["postId"]?.GetValue<string>();
        var account = data?["accountId"]?.GetValue<string>();
        return post is null && account is null ? "event:" + body["id"]!.GetValue<string>() : $"{post}/{account}";
    }

    private static void InterlockedMax(ref int target, int value)
    {
        var seen = Volatile.Read(ref target);
        while (value > seen)
        {
            var previous = Interlocked.CompareExchange(ref target, value, seen);
            if (previous == seen)
            {
                return;
            }

            seen = previous;
        }
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
