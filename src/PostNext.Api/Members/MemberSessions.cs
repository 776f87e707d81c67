using System.Security.Claims;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using Orleans;
using PostNext.Abstractions;
using PostNext.Abstractions.Workspaces;
using PostNext.Storage.Members;

namespace PostNext.Api.Members;

/// <summary>
/// Signing people in and out, switching workspace, and invitations: the one implementation the HTTP API and the web
/// app's pages share. Passwords are only ever hashed or verified here; they are never logged or returned.
/// </summary>
public sealed class MemberSessions(
    IMemberStore store,
    Passwords passwords,
    SignInThrottle throttle,
    IAntiforgery antiforgery,
    IGrainFactory grains,
    IOptions<MemberOptions> options,
    TimeProvider time)
{
    /// <summary>Checks the password and starts a session in <paramref name="workspaceId"/> (else the person's first workspace).</summary>
    public async Task<SessionResult> SignInAsync(HttpContext http, string? email, string? password, string? workspaceId)
    {
        var normalized = Passwords.NormalizeEmail(email);
        if (normalized is null || string.IsNullOrEmpty(password))
        {
            return SessionResult.Fail(SessionError.Invalid, normalized is null ? "email" : "password",
                normalized is null ? "An email address is required." : "A password is required.");
        }

        var address = http.Connection.RemoteIpAddress?.ToString();
        if (throttle.RetryAfter(normalized, address) is { } wait)
        {
            return SessionResult.Throttled(wait);
        }

        var user = await store.FindUserByEmailAsync(normalized, http.RequestAborted);
        if (!passwords.Verify(user, password))
        {
            throttle.Failed(normalized, address);
            return SessionResult.Fail(SessionError.WrongCredentials, null, "The email or the password is wrong.");
        }

        throttle.Succeeded(normalized, address);
        var memberships = await store.MembershipsOfAsync(user!.UserId, http.RequestAborted);
        var membership = workspaceId is null ? memberships.FirstOrDefault() : memberships.FirstOrDefault(m => m.WorkspaceId == workspaceId);
        if (membership is null)
        {
            return workspaceId is null
                ? SessionResult.Fail(SessionError.NoWorkspace, null, "This account belongs to no workspace any more; ask an owner for an invitation.")
                : SessionResult.Fail(SessionError.NotMember, "workspaceId", $"This account is not a member of workspace '{workspaceId}'.");
        }

        return SessionResult.Ok(await StartAsync(http, membership, memberships));
    }

    /// <summary>Moves the current session to another of the person's workspaces.</summary>
    public async Task<SessionResult> SwitchWorkspaceAsync(HttpContext http, string? workspaceId)
    {
        var userId = http.User.FindFirstValue(SessionDefaults.UserClaim);
        if (userId is null)
        {
            return SessionResult.Fail(SessionError.NotSignedIn, null, "Only a signed-in person has a workspace to switch.");
        }

        var memberships = await store.MembershipsOfAsync(userId, http.RequestAborted);
        var membership = memberships.FirstOrDefault(m => m.WorkspaceId == workspaceId);
        return membership is null
            ? SessionResult.Fail(SessionError.NotMember, "workspaceId", $"You are not a member of workspace '{workspaceId}'.")
            : SessionResult.Ok(await StartAsync(http, membership, memberships));
    }

    /// <summary>Ends the session (the cookie is deleted).</summary>
    public Task SignOutAsync(HttpContext http) => http.SignOutAsync(SessionDefaults.Scheme);

    /// <summary>The current session, with a fresh antiforgery token; null when the request has none.</summary>
    public async Task<SessionView?> DescribeAsync(HttpContext http)
    {
        var userId = http.User.FindFirstValue(SessionDefaults.UserClaim);
        var workspaceId = http.User.FindFirstValue(SessionDefaults.WorkspaceClaim);
        if (userId is null || workspaceId is null)
        {
            return null;
        }

        var memberships = await store.MembershipsOfAsync(userId, http.RequestAborted);
        var current = memberships.FirstOrDefault(m => m.WorkspaceId == workspaceId);
        return current is null ? null : await ViewAsync(http, current, memberships);
    }

    /// <summary>
    /// A new invitation (or, with no email, a bootstrap link) to <paramref name="workspaceId"/> with <paramref name="role"/>;
    /// the token is answered this once. Null when the workspace has too many open invitations.
    /// </summary>
    public async Task<(Invitation Invitation, string Token)?> InviteAsync(string workspaceId, string? email, string role, string createdBy, CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        var token = Passwords.NewToken();
        var invitation = new Invitation(Ids.New(Ids.Invitation), workspaceId, email, role, now,
            now + (email is null ? settings.BootstrapLifetime : settings.InvitationLifetime), createdBy);
        return await store.AddInvitationAsync(invitation, Passwords.TokenHash(token), settings.MaxOpenInvitations, now, cancellationToken)
            ? (invitation, token)
            : null;
    }

    /// <summary>What an invitation token leads to (for the page that accepts it), or null when it is not open.</summary>
    public async Task<InvitationPreview?> PreviewAsync(string? token, CancellationToken cancellationToken)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 200)
        {
            return null;
        }

        var invitation = await store.FindInvitationAsync(Passwords.TokenHash(token), time.GetUtcNow(), cancellationToken);
        if (invitation is null)
        {
            return null;
        }

        var workspace = await grains.GetGrain<IWorkspaceGrain>(invitation.WorkspaceId).GetAsync();
        var exists = invitation.Email is not null && await store.FindUserByEmailAsync(invitation.Email, cancellationToken) is not null;
        return new InvitationPreview(invitation, workspace?.Name ?? invitation.WorkspaceId, exists);
    }

    /// <summary>
    /// Accepts an invitation: a new email gets an account with <paramref name="password"/>; an existing one must give
    /// its password. The person joins the workspace and is signed in to it.
    /// </summary>
    public async Task<SessionResult> AcceptAsync(HttpContext http, string? token, string? email, string? password)
    {
        if (string.IsNullOrEmpty(token) || token.Length > 200)
        {
            return SessionResult.Fail(SessionError.Invalid, "token", "The invitation token is required.");
        }

        var hash = Passwords.TokenHash(token);
        var invitation = await store.FindInvitationAsync(hash, time.GetUtcNow(), http.RequestAborted);
        if (invitation is null)
        {
            return SessionResult.Fail(SessionError.InvitationNotFound, null, "This invitation link is unknown, used, revoked or expired.");
        }

        var given = Passwords.NormalizeEmail(email);
        if (invitation.Email is not null && email is not null && given != invitation.Email)
        {
            return SessionResult.Fail(SessionError.Invalid, "email", "This invitation is for another email address; leave 'email' out to use the invited one.");
        }

        var joining = invitation.Email ?? given;
        if (joining is null)
        {
            return SessionResult.Fail(SessionError.Invalid, "email", "An email address is required: it becomes your sign-in name.");
        }

        var existing = await store.FindUserByEmailAsync(joining, http.RequestAborted);
        UserAccount? newUser = null;
        if (existing is not null)
        {
            var address = http.Connection.RemoteIpAddress?.ToString();
            if (throttle.RetryAfter(joining, address) is { } wait)
            {
                return SessionResult.Throttled(wait);
            }

            if (string.IsNullOrEmpty(password) || !passwords.Verify(existing, password))
            {
                throttle.Failed(joining, address);
                return SessionResult.Fail(SessionError.WrongCredentials, "password", "This email has an account: give its password to join.");
            }

            throttle.Succeeded(joining, address);
        }
        else if (Passwords.Problem(password) is { } problem)
        {
            return SessionResult.Fail(SessionError.Invalid, "password", problem);
        }
        else
        {
            newUser = new UserAccount(Ids.New(Ids.User), joining, passwords.Hash(password!), time.GetUtcNow());
        }

        var accepted = await store.AcceptInvitationAsync(hash, joining, newUser, time.GetUtcNow(), http.RequestAborted);
        return accepted.Outcome switch
        {
            InvitationOutcome.Joined or InvitationOutcome.AlreadyMember => SessionResult.Ok(await StartAsync(
                http, accepted.Membership!, await store.MembershipsOfAsync(accepted.Membership!.UserId, http.RequestAborted))),
            InvitationOutcome.NotFound => SessionResult.Fail(SessionError.InvitationNotFound, null, "This invitation link is unknown, used, revoked or expired."),
            _ => SessionResult.Fail(SessionError.Conflict, null, "The account for this email changed while joining; try again."),
        };
    }

    /// <summary>Cookie check on every request: the member must still belong to the workspace; a changed role applies at once.</summary>
    public async Task ValidateAsync(Microsoft.AspNetCore.Authentication.Cookies.CookieValidatePrincipalContext context)
    {
        var principal = context.Principal;
        var userId = principal?.FindFirstValue(SessionDefaults.UserClaim);
        var workspaceId = principal?.FindFirstValue(SessionDefaults.WorkspaceClaim);
        var membership = userId is null || workspaceId is null
            ? null
            : await store.FindMemberAsync(workspaceId, userId, context.HttpContext.RequestAborted);
        if (membership is null)
        {
            context.RejectPrincipal();
            await context.HttpContext.SignOutAsync(SessionDefaults.Scheme);
            return;
        }

        if (membership.Role != principal!.FindFirstValue(SessionDefaults.RoleClaim))
        {
            context.ReplacePrincipal(Principal(membership));
            context.ShouldRenew = true;
        }
    }

    /// <summary>The claims of a session acting in <paramref name="membership"/>'s workspace.</summary>
    public static ClaimsPrincipal Principal(Membership membership) => new(new ClaimsIdentity(
    [
        new Claim(ClaimTypes.NameIdentifier, membership.UserId),
        new Claim(SessionDefaults.UserClaim, membership.UserId),
        new Claim(ClaimTypes.Name, membership.Email),
        new Claim(SessionDefaults.WorkspaceClaim, membership.WorkspaceId),
        new Claim(SessionDefaults.RoleClaim, membership.Role),
        new Claim(ClaimTypes.Role, SessionDefaults.MemberRole),
    ], SessionDefaults.Scheme));

    private async Task<SessionView> StartAsync(HttpContext http, Membership membership, IReadOnlyList<Membership> memberships)
    {
        var principal = Principal(membership);
        await http.SignInAsync(SessionDefaults.Scheme, principal);
        http.User = principal; // The antiforgery token is bound to the signed-in person.
        return await ViewAsync(http, membership, memberships);
    }

    private async Task<SessionView> ViewAsync(HttpContext http, Membership current, IReadOnlyList<Membership> memberships)
    {
        var workspaces = new List<SessionWorkspace>(memberships.Count);
        foreach (var m in memberships)
        {
            var workspace = await grains.GetGrain<IWorkspaceGrain>(m.WorkspaceId).GetAsync();
            workspaces.Add(new SessionWorkspace(m.WorkspaceId, workspace?.Name ?? m.WorkspaceId, m.Role));
        }

        var token = antiforgery.GetAndStoreTokens(http).RequestToken!;
        return new SessionView(current.UserId, current.Email, current.WorkspaceId, current.Role, workspaces, token);
    }
}

/// <summary>A signed-in person: who, the workspace and role they act in, every workspace they may switch to, and the antiforgery token.</summary>
public sealed record SessionView(string UserId, string Email, string WorkspaceId, string Role, IReadOnlyList<SessionWorkspace> Workspaces, string AntiforgeryToken);

/// <summary>A workspace a person belongs to, with their role there.</summary>
public sealed record SessionWorkspace(string WorkspaceId, string Name, string Role);

/// <summary>An open invitation as the person holding its link sees it.</summary>
public sealed record InvitationPreview(Invitation Invitation, string WorkspaceName, bool AccountExists);

/// <summary>Why a session operation did nothing.</summary>
public enum SessionError
{
    None,
    Invalid,
    WrongCredentials,
    Throttled,
    NoWorkspace,
    NotMember,
    NotSignedIn,
    InvitationNotFound,
    Conflict,
}

/// <summary>A session operation's outcome: the session, or the error with the field it concerns and, when throttled, the wait.</summary>
public sealed record SessionResult(SessionView? Session, SessionError Error, string? Field, string? Detail, TimeSpan? RetryAfter)
{
    public static SessionResult Ok(SessionView session) => new(session, SessionError.None, null, null, null);

    public static SessionResult Fail(SessionError error, string? field, string detail) => new(null, error, field, detail, null);

    public static SessionResult Throttled(TimeSpan wait) =>
        new(null, SessionError.Throttled, null, "Too many failed sign-ins for this email from this address; wait before trying again.", wait);
}
