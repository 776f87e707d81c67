namespace PostNext.Api.Tests.Members;

/// <summary>A browser-like client: its own cookie jar (the session and antiforgery cookies), sending the antiforgery header it was given.</summary>
public sealed class Person(Uri address) : IDisposable
{
    public const string AntiforgeryHeader = "X-CSRF-TOKEN";

    public CookieContainer Cookies { get; } = new();

    private HttpClient? _http;

    public HttpClient Http => _http ??= new HttpClient(new SocketsHttpHandler { CookieContainer = Cookies, UseCookies = true, AllowAutoRedirect = false }) { BaseAddress = address };

    /// <summary>The antiforgery token of the last session answer.</summary>
    public string? Antiforgery { get; private set; }

    public string? WorkspaceId { get; private set; }

    public string? UserId { get; private set; }

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, object? json = null, bool antiforgery = true)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (json is not null)
        {
            request.Content = JsonContent.Create(json);
        }

        if (antiforgery && Antiforgery is not null)
        {
            request.Headers.Add(AntiforgeryHeader, Antiforgery);
        }

        var response = await Http.SendAsync(request);
        return response;
    }

    public async Task<JsonObject> JsonAsync(HttpMethod method, string path, object? json, HttpStatusCode expected)
    {
        using var response = await SendAsync(method, path, json);
        return await ReadAsync(response, expected, $"{method} {path}");
    }

    /// <summary>Accepts an invitation token and keeps the session it answers.</summary>
    public Task<JsonObject> AcceptAsync(string token, string password, string? email = null, HttpStatusCode expected = HttpStatusCode.OK) =>
        SessionAsync("/v1/auth/invitations/accept", new { token, password, email }, expected);

    public Task<JsonObject> SignInAsync(string email, string password, string? workspaceId = null, HttpStatusCode expected = HttpStatusCode.OK) =>
        SessionAsync("/v1/auth/sign-in", new { email, password, workspaceId }, expected);

    public Task<JsonObject> SwitchAsync(string workspaceId, HttpStatusCode expected = HttpStatusCode.OK) =>
        SessionAsync("/v1/auth/workspace", new { workspaceId }, expected);

    private async Task<JsonObject> SessionAsync(string path, object body, HttpStatusCode expected)
    {
        var session = await JsonAsync(HttpMethod.Post, path, body, expected);
        if (expected == HttpStatusCode.OK)
        {
            Antiforgery = session["antiforgeryToken"]!.GetValue<string>();
            WorkspaceId = session["workspaceId"]!.GetValue<string>();
            UserId = session["userId"]!.GetValue<string>();
        }

        return session;
    }

    public static async Task<JsonObject> ReadAsync(HttpResponseMessage response, HttpStatusCode expected, string what)
    {
        var body = await response.Content.ReadAsStringAsync();
        Assert.True(response.StatusCode == expected, $"{what}: expected {(int)expected}, got {(int)response.StatusCode}: {body}");
        return body.Length == 0 ? [] : JsonNode.Parse(body)!.AsObject();
    }

    public void Dispose() => _http?.Dispose();
}

/// <summary>Workspaces with people in them, made through the API as a newcomer would.</summary>
public static class Team
{
    public const string Password = "correct horse battery";

    /// <summary>A new email nobody has used.</summary>
    public static string NewEmail(string who) => $"{who}-{Guid.NewGuid():N}@example.com";

    /// <summary>A new workspace (operator) and its first owner, signed in through the operator's bootstrap link.</summary>
    public static async Task<(string Ws, string AdminKey, Person Owner, string OwnerEmail)> NewWorkspaceWithOwnerAsync(ApiHost host)
    {
        var (ws, key) = await host.CreateWorkspaceAsync();
        var link = await ApiHost.JsonAsync(await host.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/bootstrap-link", ApiHost.OperatorKey), HttpStatusCode.Created);
        var owner = new Person(host.Http.BaseAddress!);
        var email = NewEmail("owner");
        await owner.AcceptAsync(link["token"]!.GetValue<string>(), Password, email);
        return (ws, key, owner, email);
    }

    /// <summary>Invites a new person with <paramref name="role"/> (as the owner) and signs them in by accepting.</summary>
    public static async Task<(Person Person, string Email)> JoinAsync(ApiHost host, Person owner, string ws, string role)
    {
        var email = NewEmail(role);
        var invitation = await owner.JsonAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/invitations", new { email, role }, HttpStatusCode.Created);
        var person = new Person(host.Http.BaseAddress!);
        await person.AcceptAsync(invitation["token"]!.GetValue<string>(), Password);
        return (person, email);
    }
}
