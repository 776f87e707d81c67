using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace PostNext.Api.Http;

/// <summary>Reads a JSON request body, turning malformed JSON and wrong types into a 400 that says where.</summary>
public static class JsonBody
{
    /// <summary>Largest request body the API reads (posts with long captions and many media stay far below).</summary>
    public const int MaxBytes = 1024 * 1024;

    public static async Task<(T? Value, byte[] Raw, IResult? Error)> ReadAsync<T>(HttpRequest request)
        where T : class
    {
        if (request.ContentLength > MaxBytes)
        {
            return (null, [], Problems.BadRequest($"The request body is larger than {MaxBytes} bytes."));
        }

        if (!request.HasJsonContentType())
        {
            return (null, [], TypedResults.Problem(statusCode: StatusCodes.Status415UnsupportedMediaType,
                title: "Unsupported media type", detail: "Send the body as JSON with 'Content-Type: application/json'."));
        }

        using var buffer = new MemoryStream();
        await request.Body.CopyToAsync(buffer, request.HttpContext.RequestAborted);
        if (buffer.Length > MaxBytes)
        {
            return (null, [], Problems.BadRequest($"The request body is larger than {MaxBytes} bytes."));
        }

        var raw = buffer.ToArray();
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

    private static string Describe(JsonException ex) =>
        ex.InnerException is { } inner && ex.Message.StartsWith("The JSON value could not be converted", StringComparison.Ordinal)
            ? inner.Message
            : ex.Message.Split(" Path:", 2)[0];
}
