namespace PostNext.Storage.Members;

/// <summary>A person who signs in: their email (trimmed, lower-case) and an ASP.NET Core Identity password hash.</summary>
public sealed record UserAccount(string UserId, string Email, string PasswordHash, DateTimeOffset CreatedAt);

/// <summary>A person's role in one workspace.</summary>
public sealed record Membership(string WorkspaceId, string UserId, string Email, string Role, DateTimeOffset JoinedAt);

/// <summary>An open invitation to a workspace; <see cref="Email"/> is null for a bootstrap link (whoever accepts it names theirs).</summary>
public sealed record Invitation(string Id, string WorkspaceId, string? Email, string Role, DateTimeOffset CreatedAt, DateTimeOffset ExpiresAt, string CreatedBy);

/// <summary>What a role change or a removal did.</summary>
public enum MemberChange
{
    Done,
    NotFound,

    /// <summary>Refused: the workspace would be left without an owner.</summary>
    LastOwner,
}

/// <summary>What accepting an invitation did.</summary>
public enum InvitationOutcome
{
    /// <summary>The person joined the workspace with the invitation's role.</summary>
    Joined,

    /// <summary>The person was a member already and keeps their role; the invitation is used up.</summary>
    AlreadyMember,

    /// <summary>No open invitation has this token (never issued, used, revoked or expired).</summary>
    NotFound,

    /// <summary>The invitation names another email.</summary>
    WrongEmail,

    /// <summary>A new account was to be created, but the email has one (created meanwhile).</summary>
    EmailTaken,

    /// <summary>An existing account was to join, but the email has none.</summary>
    UnknownUser,
}

/// <summary>The outcome of an acceptance, with the membership it left when the person is in the workspace.</summary>
public sealed record AcceptedInvitation(InvitationOutcome Outcome, Invitation? Invitation, Membership? Membership);
