using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Orleans;
using PostNext.Abstractions;
using PostNext.Abstractions.Scheduling;
using PostNext.Abstractions.Workspaces;
using PostNext.Api.Contracts;
using PostNext.Api.Http;
using PostNext.ServiceDefaults.Security;

namespace PostNext.Api.Apis;

/// <summary>Workspaces and their API keys.</summary>
public static class WorkspacesApi
{
    public const int MaxNameLength = 200;

    public static IEndpointRouteBuilder MapWorkspacesApi(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost("/v1/workspaces", CreateAsync)
            .RequireAuthorization(ApiKeyDefaults.OperatorPolicy)
            .WithTags("Workspaces").WithName("CreateWorkspace")
            .WithSummary("Create a workspace (operator); answers its first API key, shown this once.")
            .Accepts<CreateWorkspaceRequest>("application/json")
            .Produces<CreatedWorkspaceResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        var workspace = endpoints.MapWorkspaceGroup().WithTags("Workspaces");
        workspace.MapGet("/", async (HttpContext http, CancellationToken _) => TypedResults.Ok((await http.WorkspaceViewAsync()).ToResponse()))
            .WithName("GetWorkspace").WithSummary("Get a workspace and its API keys (never their secrets).")
            .Produces<WorkspaceResponse>();
        workspace.MapPost("/api-keys", IssueKeyAsync)
            .WithName("CreateApiKey").WithSummary("Issue a new API key for the workspace (admin) with its scopes (default admin); its value is shown this once.")
            .Accepts<CreateApiKeyRequest>("application/json")
            .Produces<IssuedApiKeyResponse>(StatusCodes.Status201Created)
            .ProducesValidationProblem()
            .ProducesProblem(StatusCodes.Status409Conflict);
        workspace.MapDelete("/api-keys/{keyId}", RevokeKeyAsync)
            .WithName("RevokeApiKey").WithSummary("Revoke an API key (admin); requests with it answer 401 within PostNext:ApiKeys:CacheFor (5 s).")
            .Produces(StatusCodes.Status204NoContent);
        return endpoints;
    }

    /// <summary>The <c>/v1/workspaces/{ws}</c> group every workspace resource hangs off, with its access check and common errors.</summary>
    public static RouteGroupBuilder MapWorkspaceGroup(this IEndpointRouteBuilder endpoints) =>
        endpoints.MapGroup("/v1/workspaces/{ws}")
            .RequireAuthorization(WorkspaceAccess.AnyKeyPolicy)
            .AddEndpointFilter(WorkspaceAccess.FilterAsync)
            .ProducesProblem(StatusCodes.Status401Unauthorized)
            .ProducesProblem(StatusCodes.Status404NotFound);

    private static async Task<IResult> CreateAsync(HttpRequest request, IGrainFactory grains)
    {
        var (body, _, error) = await JsonBody.ReadAsync<CreateWorkspaceRequest>(request);
        if (error is not null)
        {
            return error;
        }

        var errors = new RequestErrors();
        var name = body!.Name?.Trim();
        if (string.IsNullOrEmpty(name) || name.Length > MaxNameLength)
        {
            errors.Add("name", $"A name of 1 to {MaxNameLength} characters is required.");
        }

        var timeZone = body.TimeZone?.Trim() ?? "UTC";
        if (LocalTimes.FindZone(timeZone) is null)
        {
            errors.Add("timeZone", $"'{timeZone}' is not a known IANA time zone (e.g. 'Europe/Paris', 'America/New_York', 'UTC').");
        }

        if (errors.Any)
        {
            return Problems.Invalid(errors);
        }

        var id = Ids.New(Ids.Workspace);
        var created = await grains.GetGrain<IWorkspaceGrain>(id).CreateAsync(name!, timeZone);
        var w = created.Workspace;
        return TypedResults.Created($"/v1/workspaces/{id}",
            new CreatedWorkspaceResponse(w.Id, w.Name, w.TimeZone, w.CreatedAt, created.ApiKey.Value, created.ApiKey.Key.ToResponse()));
    }

    private static async Task<IResult> IssueKeyAsync(HttpContext http, IGrainFactory grains)
    {
        string? label = null;
        IReadOnlyList<string> scopes = [ApiScopes.Admin];
        if (http.Request.ContentLength > 0 || http.Request.HasJsonContentType())
        {
            var (body, _, error) = await JsonBody.ReadAsync<CreateApiKeyRequest>(http.Request);
            if (error is not null)
            {
                return error;
            }

            var errors = new RequestErrors();
            label = body!.Label?.Trim();
            if (label is { Length: > MaxNameLength })
            {
                errors.Add("label", $"A key label is at most {MaxNameLength} characters.");
            }

            scopes = ReadScopes(body.Scopes, errors) ?? scopes;
            if (errors.Any)
            {
                return Problems.Invalid(errors);
            }
        }

        var ws = http.WorkspaceId();
        try
        {
            var issued = await grains.GetGrain<IWorkspaceGrain>(ws).IssueApiKeyAsync(label, scopes);
            var k = issued.Key;
            return TypedResults.Created($"/v1/workspaces/{ws}/api-keys/{k.Id}", new IssuedApiKeyResponse(k.Id, k.Label, k.Prefix, k.CreatedAt, k.Scopes, issued.Value));
        }
        catch (InvalidOperationException ex)
        {
            return Problems.Conflict(ex.Message);
        }
    }

    private static async Task<IResult> RevokeKeyAsync(HttpContext http, string keyId, IGrainFactory grains, VerifiedKeyCache cache)
    {
        if (!Ids.IsValid(keyId, Ids.ApiKey) || !await grains.GetGrain<IWorkspaceGrain>(http.WorkspaceId()).RevokeApiKeyAsync(keyId))
        {
            return Problems.NotFound("The API key");
        }

        // At once here; other processes stop trusting it within PostNext:ApiKeys:CacheFor.
        cache.Forget(http.WorkspaceId(), keyId);
        return TypedResults.NoContent();
    }

    /// <summary>The requested scopes (null when none were given), each one known; problems are named by index.</summary>
    private static IReadOnlyList<string>? ReadScopes(IReadOnlyList<string?>? requested, RequestErrors errors)
    {
        if (requested is null)
        {
            return null;
        }

        if (requested.Count is 0 or > 3)
        {
            errors.Add("scopes", $"Give one to three scopes from: {string.Join(", ", ApiScopes.All)}.");
            return null;
        }

        for (var i = 0; i < requested.Count; i++)
        {
            if (!ApiScopes.IsKnown(requested[i]))
            {
                errors.Add($"scopes[{i}]", $"Unknown scope '{requested[i]}'; use one of: {string.Join(", ", ApiScopes.All)}.");
            }
        }

        return requested.OfType<string>().ToList();
    }
}
