namespace PostNext.Api.Tests.Fuzz;

/// <summary>One operation of the running host's own <c>/openapi/v1.json</c>: what the fuzz suite generates requests for.</summary>
public sealed record ApiOperation(string Method, string Path, string Name, IReadOnlyList<ApiParameter> Parameters, JsonNode? BodySchema)
{
    public override string ToString() => $"{Method} {Path}";

    /// <summary>Every operation of the document; a new route is covered as soon as it is mapped.</summary>
    public static IReadOnlyList<ApiOperation> ReadAll(JsonNode document)
    {
        var operations = new List<ApiOperation>();
        foreach (var (path, item) in document["paths"]!.AsObject())
        {
            foreach (var (method, node) in item!.AsObject())
            {
                if (method is not ("get" or "post" or "put" or "patch" or "delete"))
                {
                    continue;
                }

                var parameters = (node!["parameters"]?.AsArray() ?? [])
                    .Select(p => new ApiParameter(p!["name"]!.GetValue<string>(), p["in"]!.GetValue<string>(), p["required"]?.GetValue<bool>() ?? false, p["schema"]))
                    .ToList();
                var body = node["requestBody"]?["content"]?["application/json"]?["schema"];
                operations.Add(new ApiOperation(method.ToUpperInvariant(), path, node["operationId"]?.GetValue<string>() ?? path, parameters, body));
            }
        }

        return operations;
    }
}

public sealed record ApiParameter(string Name, string In, bool Required, JsonNode? Schema);
