namespace PostNext.Api.Tests;

[Collection(ApiCollection.Name)]
public sealed class OpenApiTests(ApiHost api)
{
    [Fact]
    public async Task Every_operation_is_named_summarized_tagged_and_lists_its_errors()
    {
        var document = JsonNode.Parse(await api.Http.GetStringAsync("openapi/v1.json"))!;
        var operations = document["paths"]!.AsObject()
            .SelectMany(path => path.Value!.AsObject().Where(op => op.Key is "get" or "post" or "put" or "patch" or "delete").Select(op => (Path: path.Key, Method: op.Key, Op: op.Value!)))
            .ToList();

        Assert.True(operations.Count >= 19, $"only {operations.Count} operations documented");
        foreach (var (path, method, op) in operations.Where(o => o.Path.StartsWith("/v1/", StringComparison.Ordinal)))
        {
            Assert.False(string.IsNullOrEmpty(op["operationId"]?.GetValue<string>()), $"{method} {path} has no name");
            Assert.False(string.IsNullOrEmpty(op["summary"]?.GetValue<string>()), $"{method} {path} has no summary");
            Assert.NotEmpty(op["tags"]!.AsArray());
            Assert.True(op["responses"]!.AsObject().Any(r => r.Key.StartsWith('4')), $"{method} {path} lists no error response");
        }

        Assert.Equal(HttpStatusCode.OK, (await api.Http.GetAsync("docs")).StatusCode);
    }

    [Fact]
    public async Task Each_platforms_target_options_are_a_typed_schema_with_their_fields_described()
    {
        var schemas = JsonNode.Parse(await api.Http.GetStringAsync("openapi/v1.json"))!["components"]!["schemas"]!;

        Assert.Equal(
            ["facebook", "instagram", "linkedin", "tiktok", "x", "youtube"],
            schemas["TargetOptionsDto"]!["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.NotNull(schemas["TargetDto"]!["properties"]!["options"]);
        foreach (var (schema, fields) in new[]
                 {
                     ("TikTokOptionsDto", new[] { "privacyLevel", "allowComments", "allowDuets", "allowStitches", "yourBrand", "brandedContent" }),
                     ("YouTubeOptionsDto", new[] { "title", "description", "tags", "categoryId", "privacy", "madeForKids", "thumbnailUrl", "firstComment" }),
                     ("InstagramOptionsDto", new[] { "type", "shareToFeed", "collaborators", "altText", "firstComment" }),
                     ("FacebookOptionsDto", new[] { "type", "firstComment" }),
                     ("LinkedInOptionsDto", new[] { "visibility", "firstComment" }),
                     ("XOptionsDto", new[] { "thread" }),
                     ("ThreadPartDto", new[] { "text", "media" }),
                 })
        {
            var properties = schemas[schema]!["properties"]!.AsObject();
            Assert.Equal(fields.Order(StringComparer.Ordinal), properties.Select(p => p.Key).Order(StringComparer.Ordinal));
            Assert.All(properties, p => Assert.False(string.IsNullOrWhiteSpace(p.Value!["description"]?.GetValue<string>()), $"{schema}.{p.Key} has no description"));
        }
    }
    [Fact]
    public async Task The_connect_chooser_is_documented_the_callback_202_and_the_choice_endpoints_with_their_shapes()
    {
        var document = JsonNode.Parse(await api.Http.GetStringAsync("openapi/v1.json"))!;
        var paths = document["paths"]!;

        var callback = paths["/v1/oauth/{platform}/callback"]!["get"]!["responses"]!;
        Assert.EndsWith("/ConnectChoiceResponse", callback["202"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>(), StringComparison.Ordinal);
        Assert.Equal("GetConnectChoice", paths["/v1/workspaces/{ws}/connections/{state}"]!["get"]!["operationId"]!.GetValue<string>());
        var choose = paths["/v1/workspaces/{ws}/connections/{state}/choose"]!["post"]!;
        Assert.Equal("ChooseConnectAccounts", choose["operationId"]!.GetValue<string>());
        Assert.Superset(new HashSet<string> { "200", "400", "404", "409", "410" }, choose["responses"]!.AsObject().Select(r => r.Key).ToHashSet());
        Assert.EndsWith("/ChooseAccountsRequest", choose["requestBody"]!["content"]!["application/json"]!["schema"]!["$ref"]!.GetValue<string>(), StringComparison.Ordinal);
        var schemas = document["components"]!["schemas"]!;
        Assert.Equal(["handle", "id", "kind", "name"],
            schemas["ConnectCandidateResponse"]!["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
        Assert.Equal(["accounts", "candidates", "chooseBy", "platform", "state"],
            schemas["ConnectChoiceResponse"]!["properties"]!.AsObject().Select(p => p.Key).Order(StringComparer.Ordinal));
    }

    [Fact]
    public async Task The_facebook_post_types_the_api_accepts_are_the_ones_documented()
    {
        var schemas = JsonNode.Parse(await api.Http.GetStringAsync("openapi/v1.json"))!["components"]!["schemas"]!;
        var described = schemas["FacebookOptionsDto"]!["properties"]!["type"]!["description"]!.GetValue<string>();

        Assert.Equal(["feed", "reel", "story"], PostNext.Abstractions.Posts.FacebookPostOptions.Supported);
        Assert.All(PostNext.Abstractions.Posts.FacebookPostOptions.Supported, type => Assert.Contains(type, described, StringComparison.Ordinal));
    }
}
