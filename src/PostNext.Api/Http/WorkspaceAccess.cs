using System.Security.Claims;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using PostNext.Abstractions;
using PostNext.Abstractions.Workspaces;
using PostNext.Api.Members;
using PostNext.ServiceDefaults.Security;

namespace PostNext.Api.Http;

/// <summary>
/// Guards every <c>/v1/workspaces/{ws}/…</c> route: the operator sees every workspace, a workspace key or a person's
/// session only its own (anything else answers 404, as if the workspace did not exist) and only within its role (else
/// 403). A route needs a scope: GET <c>read</c>, other methods <c>admin</c>, unless it asks less with
/// <see cref="RequireScope{T}"/>. A person's role and a key's strongest scope meet on one ladder
/// (<see cref="WorkspaceRoles"/>: viewer ≈ read, editor ≈ publish, owner ≈ admin), so this one rule governs both.
/// </summary>
public static class WorkspaceAccess
{
    public const string AnyKeyPolicy = "AnyKey";

    private const string IdKey = "postnext.workspace.id";
    private const string ViewKey = "postnext.workspace";

    public static async ValueTask<object?> FilterAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        var ws = http.GetRouteValue("ws") as string;
        if (!Ids.IsValid(ws, Ids.Workspace) || !MayAccess(http.User, ws))
        {
            return Problems.NotFound("The workspace");
        }

        var required = RequiredScope(http);
        if (!http.User.IsInRole(ApiKeyDefaults.OperatorRole) && !WorkspaceRoles.Allows(RoleOf(http.User), WorkspaceRoles.ForScope(required)))
        {
            return Problems.Forbidden(DenialDetail(http, required));
        }

        http.Items[IdKey] = ws;
        if (http.User.IsInRole(ApiKeyDefaults.OperatorRole) && await http.WorkspaceAsync() is null)
        {
            // A workspace key proves its workspace exists; the operator's does not.
            return Problems.NotFound("The workspace");
        }

        return await next(context);
    }

    /// <summary>Routes that need less than the default scope for their method (e.g. posts: <c>publish</c>).</summary>
    public static TBuilder RequireScope<TBuilder>(this TBuilder builder, string scope)
        where TBuilder : IEndpointConventionBuilder =>
        builder.WithMetadata(new RequiredScopeMetadata(scope));

    /// <summary>The scope a request needs: the route's own, or read for GET and admin for anything else.</summary>
    public static string RequiredScope(HttpContext http) =>
        http.GetEndpoint()?.Metadata.GetMetadata<RequiredScopeMetadata>()?.Scope ?? DefaultScope(http.Request.Method);

    public static string DefaultScope(string method) => HttpMethods.IsGet(method) || HttpMethods.IsHead(method) ? ApiScopes.Read : ApiScopes.Admin;

    /// <summary>The id of the workspace the filter let this request into.</summary>
    public static string WorkspaceId(this HttpContext http) => (string)http.Items[IdKey]!;

    /// <summary>The workspace (name, time zone, keys), loaded once per request when a handler needs more than its id.</summary>
    public static async Task<WorkspaceView?> WorkspaceAsync(this HttpContext http)
    {
        if (http.Items[ViewKey] is WorkspaceView view)
        {
            return view;
        }

        var loaded = await http.RequestServices.GetRequiredService<IGrainFactory>().GetGrain<IWorkspaceGrain>(http.WorkspaceId()).GetAsync();
        http.Items[ViewKey] = loaded;
        return loaded;
    }

    /// <summary>The workspace of a request the filter let in (it exists).</summary>
    public static async Task<WorkspaceView> WorkspaceViewAsync(this HttpContext http) =>
        await http.WorkspaceAsync() ?? throw new InvalidOperationException($"Workspace {http.WorkspaceId()} vanished.");

    /// <summary>
    /// The role a principal has in the workspace its claims name: a session's role claim, or what a key's strongest
    /// scope stands for; null for anything else.
    /// </summary>
    public static string? RoleOf(ClaimsPrincipal user) =>
        user.FindFirst(SessionDefaults.RoleClaim)?.Value is { } role
            ? role
            : user.IsInRole(ApiKeyDefaults.WorkspaceRole) ? WorkspaceRoles.FromScopes(user.FindAll(ApiKeyDefaults.ScopeClaim).Select(c => c.Value)) : null;

    private static string DenialDetail(HttpContext http, string required)
    {
        if (http.User.HasClaim(c => c.Type == SessionDefaults.RoleClaim))
        {
            return $"{http.Request.Method} on this route needs the '{WorkspaceRoles.ForScope(required)}' role; you are '{RoleOf(http.User)}' in this workspace.";
        }

        var granted = string.Join(", ", http.User.FindAll(ApiKeyDefaults.ScopeClaim).Select(c => c.Value));
        return $"{http.Request.Method} on this route needs a key with the '{required}' scope; this key has: {granted}.";
    }

    private static bool MayAccess(ClaimsPrincipal user, string workspaceId) =>
        user.IsInRole(ApiKeyDefaults.OperatorRole) || user.HasClaim(ApiKeyDefaults.WorkspaceClaim, workspaceId);
}

/// <summary>The scope a workspace route needs, when not its method's default.</summary>
public sealed record RequiredScopeMetadata(string Scope);

/// <summary>Resolves <c>pn_…</c> workspace keys through the workspace grain that holds their hashes.</summary>
public sealed class WorkspaceKeyResolver(IGrainFactory grains) : IWorkspaceKeyResolver
{
    public async ValueTask<WorkspaceKeyMatch?> ResolveAsync(string presentedKey, CancellationToken cancellationToken)
    {
        if (!ApiKeyFormat.TryParse(presentedKey, out var workspaceId, out var keyId, out var secret))
        {
            return null;
        }

        var scopes = await grains.GetGrain<IWorkspaceGrain>(workspaceId).CheckApiKeyAsync(keyId, secret);
        return scopes is null ? null : new WorkspaceKeyMatch(workspaceId, keyId, scopes);
    }
}
