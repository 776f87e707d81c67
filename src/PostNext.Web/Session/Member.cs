using System.Security.Claims;
using PostNext.Abstractions.Workspaces;

namespace PostNext.Web.Session;

/// <summary>
/// The signed-in person as every page sees them: the claims of the <see cref="Scheme"/> cookie. Whatever signs a person
/// in (a workspace key today, email and password with members) issues exactly these claims.
/// </summary>
public sealed record Member(string UserId, string WorkspaceId, string Role)
{
    public const string Scheme = "PostNext.Session";
    public const string UserClaim = "postnext:user";
    public const string WorkspaceClaim = "postnext:workspace";
    public const string RoleClaim = "postnext:role";

    public const string Owner = "owner";
    public const string Editor = "editor";
    public const string Viewer = "viewer";

    /// <summary>Pages: any member of a workspace.</summary>
    public const string MemberPolicy = "PostNext.Member";

    /// <summary>Owners and editors write posts and queues; only owners manage accounts and webhooks (the API's publish and admin scopes).</summary>
    public bool CanPublish => Role is Owner or Editor;

    public bool CanAdminister => Role == Owner;

    /// <summary>The API scope this role acts with: the API's own scope checks are the authority on what each role may do.</summary>
    public string Scope => Role switch
    {
        Owner => ApiScopes.Admin,
        Editor => ApiScopes.Publish,
        _ => ApiScopes.Read,
    };

    public static Member? From(ClaimsPrincipal user) =>
        user.Identity?.AuthenticationType == Scheme &&
        user.FindFirst(UserClaim)?.Value is { Length: > 0 } userId &&
        user.FindFirst(WorkspaceClaim)?.Value is { Length: > 0 } ws &&
        user.FindFirst(RoleClaim)?.Value is Owner or Editor or Viewer
            ? new Member(userId, ws, user.FindFirst(RoleClaim)!.Value)
            : null;

    public ClaimsPrincipal ToPrincipal() => new(new ClaimsIdentity(
        [new Claim(UserClaim, UserId), new Claim(WorkspaceClaim, WorkspaceId), new Claim(RoleClaim, Role), new Claim(ClaimTypes.Name, UserId)],
        Scheme, ClaimTypes.Name, RoleClaim));

    /// <summary>The role a workspace key's strongest scope stands for (admin → owner, publish → editor, read → viewer).</summary>
    public static string RoleForScopes(IEnumerable<string> scopes) =>
        ApiScopes.Allows(scopes, ApiScopes.Admin) ? Owner : ApiScopes.Allows(scopes, ApiScopes.Publish) ? Editor : Viewer;
}
