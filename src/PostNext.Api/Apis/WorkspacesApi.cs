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
        workspace.MapGet("/", (HttpContext http) => TypedResults.Ok(http.Workspace().ToResponse()))
            .WithName("GetWorkspace").WithSummary("Get a workspace and its API keys (never their secrets).")
            .Produces<WorkspaceResponse>();
        workspace.MapPost("/api-keys", IssueKeyAsync)
            .WithName("CreateApiKey").WithSummary("Issue a new API key for the workspace; its value is shown this once.")
            .Accepts<CreateApiKeyRequest>("application/json")
            .Produces<IssuedApiKeyResponse>(StatusCodes.Status201Created)
            .ProducesProblem(StatusCodes.Status400BadRequest);
        workspace.MapDelete("/api-keys/{keyId}", RevokeKeyAsync)
            .WithName("RevokeApiKey").WithSummary("Revoke an API key; requests with it answer 401 from now on.")
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
        if (http.Request.ContentLength > 0 || http.Request.HasJsonContentType())
        {
            var (body, _, error) = await JsonBody.ReadAsync<CreateApiKeyRequest>(http.Request);
            if (error is not null)
            {
                return error;
            }

            label = body!.Label?.Trim();
            if (label is { Length: > MaxNameLength })
            {
                return Problems.BadRequest($"A key label is at most {MaxNameLength} characters.");
            }
        }

        var ws = http.Workspace().Id;
        try
        {
            var issued = await grains.GetGrain<IWorkspaceGrain>(ws).IssueApiKeyAsync(label);
            var k = issued.Key;
            return TypedResults.Created($"/v1/workspaces/{ws}/api-keys/{k.Id}", new IssuedApiKeyResponse(k.Id, k.Label, k.Prefix, k.CreatedAt, issued.Value));
        }
        catch (InvalidOperationException ex)
        {
            return Problems.Conflict(ex.Message);
        }
    }

    private static async Task<IResult> RevokeKeyAsync(HttpContext http, string keyId, IGrainFactory grains) =>
        await grains.GetGrain<IWorkspaceGrain>(http.Workspace().Id).RevokeApiKeyAsync(keyId)
            ? TypedResults.NoContent()
            : Problems.NotFound("The API key");
}
