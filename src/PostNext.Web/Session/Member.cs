using System.Security.Claims;
using PostNext.Abstractions.Workspaces;
using PostNext.Api.Members;

namespace PostNext.Web.Session;

/// <summary>
/// The signed-in person as every page sees them: the claims of the members layer's session cookie
/// (<see cref="SessionDefaults.Scheme"/>), which checks them against the member store on every request.
/// </summary>
public sealed record Member(string UserId, string WorkspaceId, string Role)
{
    public const string Scheme = SessionDefaults.Scheme;
    public const string UserClaim = SessionDefaults.UserClaim;
    public const string WorkspaceClaim = SessionDefaults.WorkspaceClaim;
    public const string RoleClaim = SessionDefaults.RoleClaim;

    public const string Owner = WorkspaceRoles.Owner;
    public const string Editor = WorkspaceRoles.Editor;
    public const string Viewer = WorkspaceRoles.Viewer;

    /// <summary>Pages: any member of a workspace.</summary>
    public const string MemberPolicy = "PostNext.Member";

    /// <summary>Owners and editors write posts and queues; only owners manage accounts, webhooks and members.</summary>
    public bool CanPublish => Role is Owner or Editor;

    public bool CanAdminister => Role == Owner;

    public static Member? From(ClaimsPrincipal user) =>
        user.Identity?.AuthenticationType == Scheme &&
        user.FindFirst(UserClaim)?.Value is { Length: > 0 } userId &&
        user.FindFirst(WorkspaceClaim)?.Value is { Length: > 0 } ws &&
        user.FindFirst(RoleClaim)?.Value is Owner or Editor or Viewer
            ? new Member(userId, ws, user.FindFirst(RoleClaim)!.Value)
            : null;
}
