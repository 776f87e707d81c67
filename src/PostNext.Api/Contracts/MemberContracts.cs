namespace PostNext.Api.Contracts;

/// <summary>Sign in with email and password; <c>workspaceId</c> picks one of several workspaces (default: the first joined).</summary>
public sealed record SignInRequest(string? Email, string? Password, string? WorkspaceId = null);

/// <summary>The workspace a session should act in from now on.</summary>
public sealed record SwitchWorkspaceRequest(string? WorkspaceId);

/// <summary>
/// Accept an invitation link's token. <c>password</c>: a new one (at least 10 characters) for a new account, or the
/// account's own when the email has one. <c>email</c>: needed only for a bootstrap link (which names none).
/// </summary>
public sealed record AcceptInvitationRequest(string? Token, string? Password, string? Email = null);

/// <summary>An invitation link's token.</summary>
public sealed record InvitationTokenRequest(string? Token);

/// <summary>
/// A signed-in person: the workspace and role the session acts with, every workspace they belong to, and the
/// antiforgery token to send as <c>antiforgeryHeader</c> on every state-changing call made with the cookie.
/// </summary>
public sealed record SessionResponse(
    string UserId, string Email, string WorkspaceId, string Role, IReadOnlyList<SessionWorkspaceResponse> Workspaces,
    string AntiforgeryToken, string AntiforgeryHeader);

/// <summary>A workspace the person belongs to, and their role there.</summary>
public sealed record SessionWorkspaceResponse(string WorkspaceId, string Name, string Role);

/// <summary>What an invitation link leads to. <c>email</c> is null for a bootstrap link; <c>accountExists</c>: join with the account's password.</summary>
public sealed record InvitationPreviewResponse(string WorkspaceId, string WorkspaceName, string Role, string? Email, DateTimeOffset ExpiresAt, bool AccountExists);

/// <summary>A member of the workspace. <c>role</c>: owner, editor or viewer.</summary>
public sealed record MemberResponse(string UserId, string Email, string Role, DateTimeOffset JoinedAt);

public sealed record MembersResponse(IReadOnlyList<MemberResponse> Members);

/// <summary>A member's new role: owner, editor or viewer.</summary>
public sealed record ChangeRoleRequest(string? Role);

/// <summary>Invite an email with a role (owner, editor or viewer).</summary>
public sealed record CreateInvitationRequest(string? Email, string? Role);

/// <summary>An open invitation (never its token). <c>email</c> is null for a bootstrap link.</summary>
public sealed record InvitationResponse(string Id, string? Email, string Role, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string CreatedBy);

public sealed record InvitationsResponse(IReadOnlyList<InvitationResponse> Invitations);

/// <summary>A new invitation: <c>token</c> and <c>link</c> are shown this once; the link opens the web app's join page.</summary>
public sealed record IssuedInvitationResponse(string Id, string? Email, string Role, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string Token, string Link);
