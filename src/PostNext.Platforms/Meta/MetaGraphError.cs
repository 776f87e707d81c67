using System.Text.Json;
using System.Text.Json.Nodes;

namespace PostNext.Platforms.Meta;

/// <summary>
/// Meta's error envelope, shared by the Facebook and Instagram Graph APIs:
/// <c>{"error":{"message","type","code","error_subcode","is_transient","error_user_title","error_user_msg","fbtrace_id"}}</c>.
/// The Instagram token endpoint (api.instagram.com) answers in an older flat shape,
/// <c>{"error_type","code","error_message"}</c>, which is read into the same record.
/// </summary>
public sealed record MetaGraphError(
    string Message,
    string? Type,
    int? Code,
    int? Subcode,
    bool IsTransient,
    string? UserTitle,
    string? UserMessage,
    string? TraceId)
{
    /// <summary>The envelope in a response body, or null when the body is not one.</summary>
    public static MetaGraphError? Parse(string body)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            return null;
        }

        try
        {
            if (JsonNode.Parse(body) is not JsonObject root)
            {
                return null;
            }

            if (root["error"] is JsonObject error)
            {
                return new MetaGraphError(
                    Text(error["message"]) ?? "",
                    Text(error["type"]),
                    Number(error["code"]),
                    Number(error["error_subcode"]),
                    error["is_transient"] is JsonValue t && t.TryGetValue<bool>(out var transient) && transient,
                    Text(error["error_user_title"]),
                    Text(error["error_user_msg"]),
                    Text(error["fbtrace_id"]));
            }

            if (root["error_message"] is not null || root["error_type"] is not null)
            {
                return new MetaGraphError(
                    Text(root["error_message"]) ?? "", Text(root["error_type"]), Number(root["code"]), null, false, null, null, null);
            }

            return null;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    /// <summary>"code/subcode" as the platform reports them, e.g. "190/463".</summary>
    public string PlatformCode => Subcode is { } s ? $"{Code}/{s}" : $"{Code}";

    /// <summary>The platform's own words (its message, and the user-facing one when it differs), with the codes to look up.</summary>
    public string Describe(string platform)
    {
        var user = UserMessage is { Length: > 0 } && UserMessage != Message
            ? $" — {(UserTitle is { Length: > 0 } ? UserTitle + ": " : "")}{UserMessage}"
            : "";
        var trace = TraceId is null ? "" : $", fbtrace_id {TraceId}";
        return $"{platform}: {Message}{user} (code {PlatformCode}{trace})";
    }

    private static string? Text(JsonNode? node) => node is JsonValue v ? v.ToString() : null;

    private static int? Number(JsonNode? node) =>
        node is JsonValue v && (v.TryGetValue<int>(out var i) || (v.TryGetValue<string>(out var s) && int.TryParse(s, out i))) ? i : null;
}
