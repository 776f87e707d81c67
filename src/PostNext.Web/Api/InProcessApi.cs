using System.Security.Claims;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using PostNext.Api.Members;
using PostNext.Web.Session;

namespace PostNext.Web.Api;

/// <summary>
/// The app's only way to read or change anything: it runs the HTTP API's own endpoint (found by its name, e.g.
/// <c>CreatePost</c>) in-process, as the signed-in member (their workspace and role). Validation,
/// scheduling, scope checks and problem details are the API's; the app keeps no second copy of any rule, and nothing
/// it does is impossible through the API.
/// </summary>
public sealed class InProcessApi(EndpointDataSource endpoints, IServiceScopeFactory scopes, IOptions<JsonOptions> json)
{
    private readonly Lazy<Dictionary<string, RouteEndpoint>> _byName = new(() => endpoints.Endpoints
        .OfType<RouteEndpoint>()
        .Select(e => (Endpoint: e, Name: e.Metadata.GetMetadata<IEndpointNameMetadata>()?.EndpointName))
        .Where(e => e.Name is not null)
        .GroupBy(e => e.Name!, StringComparer.Ordinal)
        .ToDictionary(g => g.Key, g => g.First().Endpoint, StringComparer.Ordinal));

    public JsonSerializerOptions JsonOptions => json.Value.SerializerOptions;

    /// <summary>Calls the endpoint named <paramref name="name"/> with route values, query and JSON body; the answer is read as <typeparamref name="T"/>.</summary>
    public async Task<ApiAnswer<T>> SendAsync<T>(
        Member member, string name, object? route = null, IEnumerable<KeyValuePair<string, string?>>? query = null, object? body = null,
        IEnumerable<KeyValuePair<string, string>>? headers = null, CancellationToken cancellationToken = default)
    {
        if (!_byName.Value.TryGetValue(name, out var endpoint))
        {
            throw new InvalidOperationException($"No API endpoint is named '{name}'.");
        }

        await using var scope = scopes.CreateAsyncScope();
        var http = new DefaultHttpContext { RequestServices = scope.ServiceProvider, User = PrincipalFor(member) };
        http.RequestAborted = cancellationToken;
        http.Request.Method = endpoint.Metadata.GetMetadata<HttpMethodMetadata>()?.HttpMethods.FirstOrDefault() ?? HttpMethods.Get;
        http.Request.Scheme = "http";
        http.Request.Host = new HostString("localhost");
        var values = new RouteValueDictionary(route) { ["ws"] = member.WorkspaceId };
        http.Request.Path = endpoint.RoutePattern.RawText is { } pattern ? Fill(pattern, values) : "/";
        http.Request.RouteValues = values;
        if (query is not null)
        {
            http.Request.QueryString = QueryString.Create(query.Where(q => !string.IsNullOrEmpty(q.Value)));
        }

        foreach (var (header, value) in headers ?? [])
        {
            http.Request.Headers[header] = value;
        }

        if (body is not null)
        {
            var bytes = JsonSerializer.SerializeToUtf8Bytes(body, body.GetType(), JsonOptions);
            http.Request.ContentType = "application/json";
            http.Request.ContentLength = bytes.Length;
            http.Request.Body = new MemoryStream(bytes);
        }

        using var responseBody = new MemoryStream();
        http.Response.Body = responseBody;
        http.SetEndpoint(endpoint);
        await endpoint.RequestDelegate!(http);

        var status = http.Response.StatusCode;
        responseBody.Position = 0;
        if (status is >= 200 and < 300 && typeof(T) == typeof(string))
        {
            return new ApiAnswer<T>(status, (T)(object)System.Text.Encoding.UTF8.GetString(responseBody.ToArray()), null);
        }

        if (status is >= 200 and < 300)
        {
            var value = responseBody.Length == 0 || typeof(T) == typeof(NoContent) ? default : await JsonSerializer.DeserializeAsync<T>(responseBody, JsonOptions, cancellationToken);
            return new ApiAnswer<T>(status, value, null);
        }

        return new ApiAnswer<T>(status, default, ApiProblem.Read(status, responseBody.ToArray()));
    }

    /// <summary>The principal the API sees: the member's session (person, workspace, role), so the API's own role rules decide.</summary>
    private static ClaimsPrincipal PrincipalFor(Member member) => new(new ClaimsIdentity(
        [
            new Claim(ClaimTypes.Role, SessionDefaults.MemberRole),
            new Claim(SessionDefaults.UserClaim, member.UserId),
            new Claim(SessionDefaults.WorkspaceClaim, member.WorkspaceId),
            new Claim(SessionDefaults.RoleClaim, member.Role),
            new Claim(ClaimTypes.NameIdentifier, member.UserId),
        ],
        Member.Scheme));

    private static string Fill(string pattern, RouteValueDictionary values)
    {
        foreach (var (key, value) in values)
        {
            pattern = pattern.Replace("{" + key + "}", Uri.EscapeDataString(Convert.ToString(value, System.Globalization.CultureInfo.InvariantCulture) ?? ""), StringComparison.Ordinal);
        }

        return pattern;
    }
}

/// <summary>Marks a call whose answer has no body (204).</summary>
public sealed record NoContent;

/// <summary>The API's answer: the value on success, else its problem details.</summary>
public sealed record ApiAnswer<T>(int Status, T? Value, ApiProblem? Problem)
{
    public bool Ok => Problem is null;
}

/// <summary>RFC 9457 problem details as the API wrote them, with the field errors and content-rule violations it lists.</summary>
public sealed record ApiProblem(int Status, string Title, string? Detail, IReadOnlyList<(string Field, string Message)> Errors, IReadOnlyList<Violation> Violations)
{
    public static ApiProblem Read(int status, byte[] body)
    {
        try
        {
            using var doc = JsonDocument.Parse(body);
            var root = doc.RootElement;
            var errors = new List<(string, string)>();
            if (root.TryGetProperty("errors", out var e) && e.ValueKind == JsonValueKind.Object)
            {
                foreach (var field in e.EnumerateObject())
                {
                    errors.AddRange(field.Value.EnumerateArray().Select(m => (field.Name, m.GetString() ?? "")));
                }
            }

            var violations = new List<Violation>();
            if (root.TryGetProperty("violations", out var v) && v.ValueKind == JsonValueKind.Array)
            {
                violations.AddRange(v.EnumerateArray().Select(x => new Violation(
                    Text(x, "accountId"), Text(x, "platform"), Text(x, "code"), Text(x, "field"), Text(x, "message"))));
            }

            return new ApiProblem(status, Text(root, "title"), root.TryGetProperty("detail", out var d) ? d.GetString() : null, errors, violations);
        }
        catch (JsonException)
        {
            return new ApiProblem(status, $"The request was refused ({status}).", null, [], []);
        }
    }

    /// <summary>Every message, one line each: field errors, violations, else the detail.</summary>
    public IEnumerable<string> Messages()
    {
        var lines = Errors.Select(e => $"{e.Field}: {e.Message}").Concat(Violations.Select(v => $"{v.Platform}: {v.Message}")).ToList();
        return lines.Count > 0 ? lines : [Detail ?? Title];
    }

    private static string Text(JsonElement e, string name) => e.TryGetProperty(name, out var p) && p.ValueKind == JsonValueKind.String ? p.GetString()! : "";
}

public sealed record Violation(string AccountId, string Platform, string Code, string Field, string Message);
