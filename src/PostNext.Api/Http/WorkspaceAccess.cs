using System.Security.Claims;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using PostNext.Abstractions;
using PostNext.Abstractions.Workspaces;
using PostNext.ServiceDefaults.Security;

namespace PostNext.Api.Http;

/// <summary>
/// Guards every <c>/v1/workspaces/{ws}/…</c> route: the operator sees every workspace, a workspace key only its own;
/// anything else answers 404, as if the workspace did not exist.
/// </summary>
public static class WorkspaceAccess
{
    public const string AnyKeyPolicy = "AnyKey";

    private const string ItemKey = "postnext.workspace";

    public static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var ws = http.GetRouteValue("ws") as string;
        if (!Ids.IsValid(ws, Ids.Workspace) || !MayAccess(http.User, ws))
        {
            return Problems.NotFound("The workspace");
        }

        var grains = http.RequestServices.GetRequiredService<IGrainFactory>();
        var workspace = await grains.GetGrain<IWorkspaceGrain>(ws).GetAsync();
        if (workspace is null)
        {
            return Problems.NotFound("The workspace");
        }

        http.Items[ItemKey] = workspace;
        return await next(context);
    }

    /// <summary>The workspace the filter loaded for this request.</summary>
    public static WorkspaceView Workspace(this HttpContext http) => (WorkspaceView)http.Items[ItemKey]!;

    private static bool MayAccess(ClaimsPrincipal user, string workspaceId) =>
        user.IsInRole(ApiKeyDefaults.OperatorRole) || user.HasClaim(ApiKeyDefaults.WorkspaceClaim, workspaceId);
}

/// <summary>Resolves <c>pn_…</c> workspace keys through the workspace grain that holds their hashes.</summary>
public sealed class WorkspaceKeyResolver(IGrainFactory grains) : IWorkspaceKeyResolver
{
    public async ValueTask<WorkspaceKeyMatch?> ResolveAsync(string presentedKey, CancellationToken cancellationToken)
    {
        if (!ApiKeyFormat.TryParse(presentedKey, out var workspaceId, out var keyId, out var secret))
        {
            return null;
        }

        var valid = await grains.GetGrain<IWorkspaceGrain>(workspaceId).VerifyApiKeyAsync(keyId, secret);
        return valid ? new WorkspaceKeyMatch(workspaceId, keyId) : null;
    }
}
