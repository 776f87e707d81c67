using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using PostNext.ServiceDefaults.Security;

namespace PostNext.Web.Session;

/// <summary>
/// Signing in and out. Until members sign in with email and password, a person signs in with a workspace key: the key
/// is checked by the same resolver the API uses, and the session cookie carries the workspace and the role its scope
/// stands for. Only <see cref="KeyCredentials"/> changes when the password form arrives; the cookie stays the same.
/// </summary>
public static class SignInEndpoints
{
    public const string SignInPath = "/app/signin";
    public const string SignOutPath = "/app/signout";

    /// <summary>Where the sign-in form posts (the page itself is a component at <see cref="SignInPath"/>).</summary>
    public const string SessionPath = "/app/session";

    public static IEndpointRouteBuilder MapSignIn(this IEndpointRouteBuilder endpoints)
    {
        endpoints.MapPost(SessionPath, SignInAsync).AllowAnonymous().ExcludeFromDescription();
        endpoints.MapPost(SignOutPath, async (HttpContext http) =>
        {
            await http.SignOutAsync(Member.Scheme);
            return Results.Redirect(SignInPath);
        }).AllowAnonymous().ExcludeFromDescription();
        return endpoints;
    }

    private static async Task<IResult> SignInAsync(HttpContext http, [Microsoft.AspNetCore.Mvc.FromForm] string? apiKey, [Microsoft.AspNetCore.Mvc.FromForm] string? returnUrl, IEnumerable<IWorkspaceKeyResolver> resolvers)
    {
        var member = await KeyCredentials.CheckAsync(apiKey, resolvers, http.RequestAborted);
        if (member is null)
        {
            return Results.Redirect($"{SignInPath}?failed=1");
        }

        await http.SignInAsync(Member.Scheme, member.ToPrincipal());
        return Results.Redirect(IsLocal(returnUrl) ? returnUrl! : "/app/calendar");
    }

    /// <summary>Only paths of this app: never a redirect to another site.</summary>
    private static bool IsLocal(string? url) =>
        url is { Length: > 1 } && url.StartsWith("/app", StringComparison.Ordinal) && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\', StringComparison.Ordinal);

}

/// <summary>The interim credential: a workspace key (admin → owner, publish → editor, read → viewer).</summary>
public static class KeyCredentials
{
    public static async Task<Member?> CheckAsync(string? apiKey, IEnumerable<IWorkspaceKeyResolver> resolvers, CancellationToken cancellationToken)
    {
        if (string.IsNullOrWhiteSpace(apiKey) || apiKey.Length > 512)
        {
            return null;
        }

        foreach (var resolver in resolvers)
        {
            if (await resolver.ResolveAsync(apiKey.Trim(), cancellationToken) is { } match)
            {
                return new Member($"key:{match.KeyId}", match.WorkspaceId, Member.RoleForScopes(match.Scopes));
            }
        }

        return null;
    }
}
