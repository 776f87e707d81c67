using System.Globalization;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace PostNext.Platforms.Tests.Meta;

/// <summary>What the Facebook and Instagram fakes share: Meta's error envelope, bearer tokens, Graph timestamps.</summary>
public static class MetaFake
{
    /// <summary>Meta's error envelope as the Graph API sends it.</summary>
    public static string ErrorJson(string message, int code, int? subcode = null, string type = "OAuthException", bool? transient = null,
        string? userTitle = null, string? userMessage = null)
    {
        var error = new JsonObject { ["message"] = message, ["type"] = type, ["code"] = code };
        if (subcode is not null)
        {
            error["error_subcode"] = subcode;
        }

        if (transient is not null)
        {
            error["is_transient"] = transient;
        }

        if (userTitle is not null)
        {
            error["error_user_title"] = userTitle;
        }

        if (userMessage is not null)
        {
            error["error_user_msg"] = userMessage;
        }

        error["fbtrace_id"] = "AbCdEfGh123";
        return new JsonObject { ["error"] = error }.ToJsonString();
    }

    public static IResult Error(int status, string message, int code, int? subcode = null) =>
        Results.Text(ErrorJson(message, code, subcode), "application/json", statusCode: status);

    /// <summary>The bearer token of a request, or null.</summary>
    public static string? Bearer(HttpContext context) =>
        context.Request.Headers.Authorization.ToString() is { } header && header.StartsWith("Bearer ", StringComparison.Ordinal) ? header["Bearer ".Length..] : null;

    /// <summary>Meta's answer to a missing or wrong token: 400 with code 104 or 190.</summary>
    public static IResult? RequireToken(HttpContext context, Func<string, bool> valid) => Bearer(context) switch
    {
        null => Error(400, "An access token is required to request this resource.", 104),
        var token when !valid(token) => Error(400, "Error validating access token: The session has been invalidated because the user changed their password or Facebook has changed the session for security reasons.", 190, 460),
        _ => null,
    };

    public static IResult Json(JsonNode node) => Results.Text(node.ToJsonString(), "application/json");

    /// <summary>Graph's timestamp format, e.g. 2026-12-01T09:00:00+0000.</summary>
    public static string Timestamp(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + "+0000";

    public static string Query(HttpContext context, string name) => context.Request.Query[name].ToString();

    public static async Task<JsonObject?> JsonBodyAsync(HttpContext context) =>
        context.Request.HasJsonContentType() ? await JsonNode.ParseAsync(context.Request.Body) as JsonObject : null;

    /// <summary>Runs <paramref name="effect"/> (the create took place) and then never answers: a timeout mid-publish.</summary>
    public static Func<HttpContext, Task> EffectThenHang(Func<HttpContext, Task> effect) => async context =>
    {
        await effect(context);
        try
        {
            await Task.Delay(TimeSpan.FromSeconds(30), context.RequestAborted);
        }
        catch (OperationCanceledException)
        {
            // The client gave up, as intended.
        }
    };
}
