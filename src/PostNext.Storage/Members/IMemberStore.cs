namespace PostNext.Storage.Members;

/// <summary>
/// People, their workspace roles and open invitations: <c>postnext_users</c>, <c>postnext_members</c> and
/// <c>postnext_invitations</c> in cluster mode, process memory when embedded. Every change that could leave a
/// workspace without an owner is refused atomically, whatever runs concurrently.
/// </summary>
public interface IMemberStore
{
    /// <summary>The account with this (normalized) email, or null.</summary>
    Task<UserAccount?> FindUserByEmailAsync(string email, CancellationToken cancellationToken = default);

    /// <summary>The account with this id, or null.</summary>
    Task<UserAccount?> FindUserAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>Every workspace the person belongs to, oldest membership first (then by workspace id).</summary>
    Task<IReadOnlyList<Membership>> MembershipsOfAsync(string userId, CancellationToken cancellationToken = default);

    /// <summary>The person's membership of one workspace, or null.</summary>
    Task<Membership?> FindMemberAsync(string workspaceId, string userId, CancellationToken cancellationToken = default);

    /// <summary>The workspace's members, oldest first (then by email).</summary>
    Task<IReadOnlyList<Membership>> MembersAsync(string workspaceId, CancellationToken cancellationToken = default);

    /// <summary>Gives a member another role; refused when it would leave no owner.</summary>
    Task<MemberChange> ChangeRoleAsync(string workspaceId, string userId, string role, CancellationToken cancellationToken = default);

    /// <summary>Removes a member; refused for the last owner.</summary>
    Task<MemberChange> RemoveAsync(string workspaceId, string userId, CancellationToken cancellationToken = default);

    /// <summary>
    /// Stores an invitation under its token's hash, after dropping the workspace's expired ones; false (nothing stored)
    /// when the workspace already has <paramref name="maxOpen"/> open invitations.
    /// </summary>
    Task<bool> AddInvitationAsync(Invitation invitation, byte[] tokenHash, int maxOpen, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>The workspace's open (unexpired) invitations, oldest first.</summary>
    Task<IReadOnlyList<Invitation>> InvitationsAsync(string workspaceId, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>Deletes an open invitation; false when the workspace has none with this id.</summary>
    Task<bool> RevokeInvitationAsync(string workspaceId, string invitationId, CancellationToken cancellationToken = default);

    /// <summary>The open invitation with this token hash, or null (unknown, used, revoked or expired).</summary>
    Task<Invitation?> FindInvitationAsync(byte[] tokenHash, DateTimeOffset now, CancellationToken cancellationToken = default);

    /// <summary>
    /// Uses up the invitation and puts the person with <paramref name="email"/> in its workspace, in one step: creating
    /// <paramref name="newUser"/> when given (refused if the email has an account), else joining the existing account.
    /// Nothing changes unless the outcome is <see cref="InvitationOutcome.Joined"/> or <see cref="InvitationOutcome.AlreadyMember"/>.
    /// </summary>
    Task<AcceptedInvitation> AcceptInvitationAsync(byte[] tokenHash, string email, UserAccount? newUser, DateTimeOffset now, CancellationToken cancellationToken = default);
}
