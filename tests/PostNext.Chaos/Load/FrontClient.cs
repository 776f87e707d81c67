using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace PostNext.Chaos.Load;

/// <summary>
/// The public HTTP API of the front, as a client application would use it: bearer keys, JSON, and retries of
/// requests that may not have gone through (connection errors, timeouts, 5xx, 429 after its Retry-After). Creating a
/// post is retried with the same body and Idempotency-Key, so a retry never makes a second post.
/// </summary>
public sealed class FrontClient(Uri address, int connections) : IDisposable
{
    private static readonly TimeSpan RetryFor = TimeSpan.FromMinutes(3);

    private readonly HttpClient _http = new(new SocketsHttpHandler { MaxConnectionsPerServer = connections, PooledConnectionLifetime = TimeSpan.FromMinutes(1) })
    {
        BaseAddress = address,
        Timeout = TimeSpan.FromSeconds(30),
    };

    /// <summary>Requests sent again after an error that left their outcome open.</summary>
    public int Retries => _retries;

    private int _retries;

    public async Task<JsonObject> CreateWorkspaceAsync(string operatorKey, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Post, "v1/workspaces", operatorKey, Json(new { name = "Chaos", timeZone = "UTC" }), null, HttpStatusCode.Created, cancellationToken);

    public async Task<JsonObject> CreateAccountAsync(string ws, string key, PlannedAccount account, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Post, $"v1/workspaces/{ws}/accounts", key,
            Json(new { platform = "sandbox", handle = account.Handle, sandbox = account.Sandbox }), null, HttpStatusCode.Created, cancellationToken);

    public async Task<JsonObject> CreateWebhookAsync(string ws, string key, Uri url, string secret, IReadOnlyList<string> events, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Post, $"v1/workspaces/{ws}/webhooks", key, Json(new { url, events, secret }), null, HttpStatusCode.Created, cancellationToken);

    /// <summary>Creates a single-target post due at <paramref name="at"/>; a replay of the same key answers the first result.</summary>
    public async Task<JsonObject> CreatePostAsync(string ws, string key, string accountId, string text, DateTimeOffset at, string idempotencyKey, CancellationToken cancellationToken)
    {
        var body = Json(new
        {
            content = new { text },
            targets = new[] { new { accountId } },
            schedule = new { at = at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture) },
        });
        return await SendAsync(HttpMethod.Post, $"v1/workspaces/{ws}/posts", key, body, idempotencyKey, null, cancellationToken);
    }

    public async Task<JsonObject> GetPostAsync(string ws, string key, string postId, CancellationToken cancellationToken) =>
        await SendAsync(HttpMethod.Get, $"v1/workspaces/{ws}/posts/{postId}", key, null, null, HttpStatusCode.OK, cancellationToken);

    private static byte[] Json(object value) => JsonSerializer.SerializeToUtf8Bytes(value, new JsonSerializerOptions(JsonSerializerDefaults.Web));

    /// <summary>Sends until an answer that settles it: the expected status (any 2xx when null) or a 4xx, which throws.</summary>
    private async Task<JsonObject> SendAsync(
        HttpMethod method, string path, string key, byte[]? body, string? idempotencyKey, HttpStatusCode? expected, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + RetryFor;
        for (var attempt = 1; ; attempt++)
        {
            string? problem;
            TimeSpan? wait = null;
            try
            {
                using var request = new HttpRequestMessage(method, path);
                request.Headers.Authorization = new AuthenticationHeaderValue("Bearer", key);
                if (idempotencyKey is not null)
                {
                    request.Headers.Add("Idempotency-Key", idempotencyKey);
                }

                if (body is not null)
                {
                    request.Content = new ByteArrayContent(body);
                    request.Content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
                }

                using var response = await _http.SendAsync(request, cancellationToken);
                var text = await response.Content.ReadAsStringAsync(cancellationToken);
                var status = (int)response.StatusCode;
                if (expected is { } exact ? response.StatusCode == exact : response.IsSuccessStatusCode)
                {
                    return JsonNode.Parse(text)!.AsObject();
                }

                if (status is >= 400 and < 500 && status != 429 && status != 408)
                {
                    throw new ApiRefusedException(method, path, status, text);
                }

                problem = $"HTTP {status}: {Shorten(text)}";
                wait = response.Headers.RetryAfter?.Delta;
            }
            catch (Exception ex) when (ex is HttpRequestException or IOException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                problem = ex.Message;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new InvalidOperationException($"{method} {path} kept failing for {RetryFor.TotalMinutes:0} minutes ({attempt} attempts); last: {problem}");
            }

            Interlocked.Increment(ref _retries);
            await Task.Delay(wait ?? TimeSpan.FromMilliseconds(Math.Min(5000, 200 * attempt)), cancellationToken);
        }
    }

    private static string Shorten(string text) => text.Length <= 300 ? text : text[..300] + "…";

    public void Dispose() => _http.Dispose();
}

/// <summary>The API refused a request for good (a 4xx other than 408/429): the suite's own mistake or a changed API.</summary>
public sealed class ApiRefusedException(HttpMethod method, string path, int status, string body)
    : Exception($"{method} {path} answered {status}: {body}")
{
    public int Status { get; } = status;

    public string Body { get; } = body;
}
