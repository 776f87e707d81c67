using System.Text.Json;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace PostNext.Api.Http;

/// <summary>
/// Reads a JSON request body: a body over the route's cap answers 413 (checked against Content-Length and again while
/// reading, so a chunked body cannot get past it), malformed JSON and wrong types a 400 that says where.
/// </summary>
public static class JsonBody
{
    /// <summary>Cap of a route that does not set its own (settings, keys, webhooks, accounts).</summary>
    public const int DefaultMaxBytes = 64 * 1024;

    /// <summary>Cap of post bodies (long captions, many media and per-target overrides stay far below).</summary>
    public const int PostMaxBytes = 1024 * 1024;

    /// <summary>Gives a route its own body cap.</summary>
    public static TBuilder WithBodyLimit<TBuilder>(this TBuilder builder, int maxBytes)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new BodyLimitMetadata(maxBytes));

    /// <summary>The body cap of the request's route.</summary>
    public static int MaxBytesFor(HttpContext http) => http.GetEndpoint()?.Metadata.GetMetadata<BodyLimitMetadata>()?.MaxBytes ?? DefaultMaxBytes;

    public static async Task<(T? Value, byte[] Raw, IResult? Error)> ReadAsync<T>(HttpRequest request)
        where T : class
    {
        var max = MaxBytesFor(request.HttpContext);
        if (!request.HasJsonContentType())
        {
            return (null, [], TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type", detail: "Send the body as JSON with 'Content-Type: application/json'."));
        }

        var raw = await ReadCappedAsync(request, max);
        if (raw is null)
        {
            return (null, [], TooLarge(max));
        }

        if (raw.Length == 0)
        {
            return (null, raw, Problems.BadRequest("The request body is empty; a JSON object is expected."));
        }

        var options = request.HttpContext.RequestServices.GetRequiredService<IOptions<JsonOptions>>().Value.SerializerOptions;
        try
        {
            var value = JsonSerializer.Deserialize<T>(raw, options);
            return value is null
                ? (null, raw, Problems.BadRequest("The request body must be a JSON object, not null."))
                : (value, raw, null);
        }
        catch (JsonException ex)
        {
            var where = string.IsNullOrEmpty(ex.Path) ? "" : $" at '{ex.Path}'";
            return (null, raw, Problems.BadRequest($"The request body is not valid JSON for this endpoint{where}: {Describe(ex)}"));
        }
    }

    /// <summary>
    /// The body, or null when it passes <paramref name="max"/> bytes: the rest is read and dropped, never buffered, so
    /// the client can finish sending and read the 413 (the server-wide cap ends the connection past 2 MiB).
    /// </summary>
    private static async Task<byte[]?> ReadCappedAsync(HttpRequest request, int max)
    {
        using var buffer = new MemoryStream();
        var chunk = new byte[16 * 1024];
        var tooLarge = request.ContentLength > max;
        try
        {
            int read;
            while ((read = await request.Body.ReadAsync(chunk, request.HttpContext.RequestAborted)) > 0)
            {
                tooLarge |= buffer.Length + read > max;
                if (!tooLarge)
                {
                    buffer.Write(chunk, 0, read);
                }
            }
        }
        catch (BadHttpRequestException ex) when (ex.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            return null; // Past the server-wide cap.
        }

        return tooLarge ? null : buffer.ToArray();
    }

    private static IResult TooLarge(int max) => TypedResults.Problem(
        statusCode: StatusCodes.Status413PayloadTooLarge, title: "Request body too large",
        detail: $"This route accepts a request body of at most {max} bytes.");

    private static string Describe(JsonException ex) =>
        ex.InnerException is { } inner && ex.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)
            ? inner.Message
            : ex.Message.Split(" Path:", 2)[0];
}

/// <summary>A route's request body cap, in bytes.</summary>
public sealed record BodyLimitMetadata(int MaxBytes);
