using FsCheck;
using FsCheck.Fluent;

namespace PostNext.Api.Tests.Fuzz;

/// <summary>One generated request: the operation, its path and query, the key it is sent with, its headers and body.</summary>
public sealed record FuzzRequest(ApiOperation Operation, string Path, string? Key, string KeyName, IReadOnlyList<KeyValuePair<string, string>> Headers, string? Body, string ContentType)
{
    public bool Mutates => Operation.Method != "GET";

    public override string ToString() =>
        $"{Operation.Method} {Cut(Path)} as {KeyName} [{string.Join("; ", Headers.Select(h => $"{h.Key}: {Cut(h.Value)}"))}] {ContentType} {Cut(Body ?? "(no body)")}";

    private static string Cut(string text) => text.Length > 300 ? text[..300] + $"… ({text.Length} chars)" : text;
}

/// <summary>
/// Generates requests for every operation of the document, from its parameters and body schemas: values of the right
/// shape and of every wrong one (types, missing and extra fields, boundaries, Unicode edge cases, nesting, sizes,
/// malformed JSON, wrong content types), and ids of the own workspace, of another workspace and of none.
/// </summary>
public sealed class FuzzRequests(IReadOnlyList<ApiOperation> operations, JsonNode document, FuzzTenant own, FuzzTenant other, string operatorKey)
{
    private const int MaxDepth = 6;

    /// <summary>Bodies stay under the server-wide cap (2 MiB), past which the server ends the connection at the protocol level.</summary>
    private const int MaxBodyChars = 400_000;

    public Gen<FuzzRequest> Any() =>
        Gen.Elements(operations.ToArray()).SelectMany(For);

    public Gen<FuzzRequest> For(ApiOperation operation) =>
        from key in Hostile.Weighted(
            (20, Gen.Constant((Key: (string?)own.Key, Name: "own admin key"))),
            (2, Gen.Constant((Key: (string?)own.ReadKey, Name: "own read key"))),
            (2, Gen.Constant((Key: (string?)operatorKey, Name: "operator key"))),
            (1, Gen.Constant((Key: (string?)null, Name: "no key"))),
            (1, Gen.Elements<string?>("pn_x", own.Key[..^3] + "zzz", "Basic Og==").Select(k => (Key: k, Name: "forged key"))))
        from path in PathFor(operation)
        from query in QueryFor(operation)
        from headers in HeadersFor(operation)
        from body in BodyFor(operation)
        where body.Body is null || body.Body.Length <= MaxBodyChars
        select new FuzzRequest(operation, path + query, key.Key, key.Name, headers, body.Body, body.ContentType);

    private Gen<string> PathFor(ApiOperation operation)
    {
        var segments = operation.Path.Split('/');
        Gen<List<string>> built = Gen.Constant(new List<string>());
        foreach (var segment in segments)
        {
            var piece = segment.StartsWith('{') && segment.EndsWith('}')
                ? IdFor(segment[1..^1], operation.Method).Select(Uri.EscapeDataString)
                : Gen.Constant(segment);
            built = built.SelectMany(list => piece.Select(p => new List<string>(list) { p }));
        }

        return built.Select(list => string.Join('/', list));
    }

    /// <summary>An id for a path parameter: mostly the own workspace's, sometimes the other workspace's, one of nobody, or garbage.</summary>
    private Gen<string> IdFor(string name, string method)
    {
        var (mine, theirs, none) = name switch
        {
            "ws" => (own.Id, other.Id, "ws" + new string('0', 20)),
            "accountId" => (method == "DELETE" ? own.SpareAccountId : own.AccountId, other.AccountId, "acc" + new string('0', 20)),
            "postId" => (own.PostId, other.PostId, "post" + new string('0', 20)),
            "webhookId" => (own.WebhookId, other.WebhookId, "wh" + new string('0', 20)),
            "keyId" => (own.SpareKeyId, other.KeyId, "key" + new string('0', 20)),
            "platform" => ("x", "sandbox", "myspace"),
            _ => ("1", "2", "0"),
        };
        return Hostile.Weighted(
            (14, Gen.Constant(mine)),
            (3, Gen.Constant(theirs)),
            (1, Gen.Constant(none)),
            // Kestrel refuses a NUL in the path itself (400 at the protocol level, before any of our code).
            (2, Hostile.UrlSafeString.Where(s => s.Length > 0 && !s.Contains('\0'))));
    }

    private Gen<string> QueryFor(ApiOperation operation)
    {
        var query = operation.Parameters.Where(p => p.In == "query").ToList();
        Gen<List<string>> built = Gen.Constant(new List<string>());
        foreach (var parameter in query)
        {
            var value = Hostile.Weighted(
                (3, Gen.Constant<string?>(null)),
                (5, ScalarFor(parameter.Name, Resolve(parameter.Schema)).Select(j => (string?)(j is JsonString s ? s.Value : j.Text())).Where(Hostile.FitsInUrl)),
                (2, Hostile.UrlSafeString.Select(s => (string?)s)));
            built = built.SelectMany(list => value.Select(v =>
                v is null ? list : new List<string>(list) { $"{Uri.EscapeDataString(parameter.Name)}={Uri.EscapeDataString(v)}" }));
        }

        return built.Select(list => list.Count == 0 ? "" : "?" + string.Join('&', list));
    }

    private Gen<List<KeyValuePair<string, string>>> HeadersFor(ApiOperation operation)
    {
        var headers = operation.Parameters.Where(p => p.In == "header").ToList();
        Gen<List<KeyValuePair<string, string>>> built = Gen.Constant(new List<KeyValuePair<string, string>>());
        foreach (var header in headers)
        {
            var value = Hostile.Weighted(
                (2, Gen.Constant<string?>(null)),
                (2, Gen.Elements<string?>("first", Guid.NewGuid().ToString(), new string('k', 255), new string('k', 256), own.ConnectSecret)),
                (1, Hostile.String.Where(s => s.Length < 4_000 && s.All(c => c is >= ' ' and <= '~')).Select(s => (string?)s)));
            built = built.SelectMany(list => value.Select(v => v is null ? list : new List<KeyValuePair<string, string>>(list) { new(header.Name, v) }));
        }

        return built;
    }

    private Gen<(string? Body, string ContentType)> BodyFor(ApiOperation operation)
    {
        if (operation.BodySchema is null)
        {
            return Hostile.Weighted(
                (4, Gen.Constant<(string?, string)>((null, "application/json"))),
                (1, Hostile.AnyJson(2).Select(j => ((string?)j.Text(), "application/json"))));
        }

        var shaped = ValueFor("", operation.BodySchema, MaxDepth).Select(j => (string?)j.Text());
        return Hostile.Weighted(
            (12, shaped.Select(b => (b, "application/json"))),
            (2, Hostile.BrokenBody.Select(b => ((string?)b, "application/json"))),
            (1, shaped.SelectMany(b => Gen.Elements("text/plain", "application/xml", "application/x-www-form-urlencoded", "multipart/form-data; boundary=x", "application/json; charset=utf-16").Select(t => (b, t)))),
            (1, Gen.Constant<(string?, string)>(("", "application/json"))),
            (1, Gen.Constant<(string?, string)>((null, "application/json"))),
            (1, Hostile.AnyJson(3).Select(j => ((string?)j.Text(), "application/json"))));
    }

    /// <summary>A value for a schema: of its shape most of the time, of another kind otherwise.</summary>
    private Gen<Json> ValueFor(string field, JsonNode? schemaNode, int depth)
    {
        var schema = Resolve(schemaNode);
        var types = Types(schema);
        Gen<Json> shaped;
        if (depth <= 0)
        {
            shaped = Gen.Constant(Json.Null);
        }
        else if (types.Contains("object") || schema?["properties"] is not null)
        {
            shaped = ObjectFor(schema!, depth);
        }
        else if (types.Contains("array"))
        {
            var item = schema!["items"];
            shaped = Hostile.Weighted((6, Gen.Choose(0, 4)), (1, Gen.Elements(0, 36, 51, 201, 400)))
                .SelectMany(n => Hostile.ListOf(Math.Min(n, 400), ValueFor(field, item, depth - 1)))
                .Select(items => (Json)new JsonList(items));
        }
        else
        {
            shaped = ScalarFor(field, schema);
        }

        return Hostile.Weighted(
            (8, shaped),
            (1, Gen.Constant(Json.Null)),
            (1, Hostile.AnyJson(2)));
    }

    private Gen<Json> ObjectFor(JsonNode schema, int depth)
    {
        var properties = schema["properties"]?.AsObject().ToList() ?? [];
        Gen<List<KeyValuePair<string, Json>>> built = Gen.Constant(new List<KeyValuePair<string, Json>>());
        foreach (var (name, property) in properties)
        {
            var value = Hostile.Weighted(
                (1, Gen.Constant<Json?>(null)),
                (5, ValueFor(name, property, depth - 1).Select(j => (Json?)j)));
            built = built.SelectMany(list => value.Select(v => v is null ? list : new List<KeyValuePair<string, Json>>(list) { new(name, v) }));
        }

        var extra = Hostile.Weighted(
            (6, Gen.Constant<KeyValuePair<string, Json>?>(null)),
            (1, Hostile.String.SelectMany(name => Hostile.AnyJson(1).Select(v => (KeyValuePair<string, Json>?)new(name, v)))));
        return built.SelectMany(list => extra.Select(e => (Json)new JsonFields(e is { } x ? [.. list, x] : list)));
    }

    /// <summary>A string, number or boolean, with values that mean something to the field where the name tells.</summary>
    private Gen<Json> ScalarFor(string field, JsonNode? schema)
    {
        var types = Types(schema);
        if (types.Contains("boolean"))
        {
            return Gen.Elements<Json>(new JsonRaw("true"), new JsonRaw("false"));
        }

        if (types.Contains("integer") || types.Contains("number"))
        {
            return Hostile.Number.Select(n => (Json)new JsonNumber(n));
        }

        var meaningful = field switch
        {
            "platform" => Gen.Elements("sandbox", "x", "linkedin", "facebook", "instagram", "tiktok", "youtube", "SANDBOX", "myspace"),
            "url" or "redirectUri" => Gen.Elements("http://127.0.0.1:9/hook", "https://127.0.0.1:9/cb", "http://[::1]:9/x", "ftp://127.0.0.1/x", "https://user:pw@127.0.0.1/x"),
            "at" or "from" or "to" or "expiresAt" => Hostile.Instant,
            "timeZone" => Gen.Elements("UTC", "Europe/Paris", "America/New_York", "Mars/Olympus", "Etc/GMT+14", "+02:00"),
            "day" or "peakDay" => Gen.Elements("mon", "tuesday", "SUN", "xyz", "mo"),
            "time" => Gen.Elements("09:00", "9:05", "23:59", "24:00", "12:60", "noon"),
            "type" => Gen.Elements("image", "video", "gif", "IMAGE"),
            "mode" => Gen.Elements("now", "queue", "best_time", "at", "later"),
            "accountId" => Gen.Elements(own.AccountId, other.AccountId, "acc" + new string('0', 20)),
            "events" => Gen.Elements("post.published", "post.failed", "post.deferred", "account.reconnect_required", "webhook.test", "post.*"),
            "scopes" => Gen.Elements("read", "publish", "admin", "root"),
            "secret" => Gen.Elements("0123456789abcdef0123", "short", " padded-secret-value "),
            "accessToken" or "refreshToken" => Gen.Elements("token-" + Guid.NewGuid().ToString("N"), ""),
            _ => Gen.Elements("Acme", "hello world", "#launch @acme"),
        };
        return Hostile.Weighted((3, meaningful), (2, Hostile.String)).Select(s => (Json)new JsonString(s));
    }

    private JsonNode? Resolve(JsonNode? schema)
    {
        for (var hops = 0; hops < 10 && schema?["$ref"]?.GetValue<string>() is { } reference; hops++)
        {
            schema = document["components"]?["schemas"]?[reference.Split('/')[^1]];
        }

        return schema;
    }

    private static HashSet<string> Types(JsonNode? schema) => schema?["type"] switch
    {
        System.Text.Json.Nodes.JsonArray many => many.Select(t => t!.GetValue<string>()).ToHashSet(StringComparer.Ordinal),
        JsonValue one => [one.GetValue<string>()],
        _ => [],
    };
}
