using PostNext.Abstractions.Workspaces;

namespace PostNext.Storage.Members;

/// <summary>People, roles and invitations in process memory (embedded mode: nothing is kept). One lock makes each call atomic.</summary>
public sealed class InMemoryMemberStore : IMemberStore
{
    private readonly Lock _gate = new();
    private readonly Dictionary<string, UserAccount> _users = new(StringComparer.Ordinal);
    private readonly List<(string WorkspaceId, string UserId, string Role, DateTimeOffset JoinedAt)> _members = [];
    private readonly List<(Invitation Invitation, byte[] TokenHash)> _invitations = [];

    public Task<UserAccount?> FindUserByEmailAsync(string email, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(UserByEmail(email));
        }
    }

    public Task<UserAccount?> FindUserAsync(string userId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_users.GetValueOrDefault(userId));
        }
    }

    public Task<IReadOnlyList<Membership>> MembershipsOfAsync(string userId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<Membership>>(_members.Where(m => m.UserId == userId).Select(ToMembership)
                .OrderBy(m => m.JoinedAt).ThenBy(m => m.WorkspaceId, StringComparer.Ordinal).ToList());
        }
    }

    public Task<Membership?> FindMemberAsync(string workspaceId, string userId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var index = IndexOf(workspaceId, userId);
            return Task.FromResult(index < 0 ? null : ToMembership(_members[index]));
        }
    }

    public Task<IReadOnlyList<Membership>> MembersAsync(string workspaceId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<Membership>>(_members.Where(m => m.WorkspaceId == workspaceId).Select(ToMembership)
                .OrderBy(m => m.JoinedAt).ThenBy(m => m.Email, StringComparer.Ordinal).ToList());
        }
    }

    public Task<MemberChange> ChangeRoleAsync(string workspaceId, string userId, string role, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var index = IndexOf(workspaceId, userId);
            if (index < 0)
            {
                return Task.FromResult(MemberChange.NotFound);
            }

            if (role != WorkspaceRoles.Owner && IsLastOwner(index))
            {
                return Task.FromResult(MemberChange.LastOwner);
            }

            _members[index] = _members[index] with { Role = role };
            return Task.FromResult(MemberChange.Done);
        }
    }

    public Task<MemberChange> RemoveAsync(string workspaceId, string userId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var index = IndexOf(workspaceId, userId);
            if (index < 0)
            {
                return Task.FromResult(MemberChange.NotFound);
            }

            if (IsLastOwner(index))
            {
                return Task.FromResult(MemberChange.LastOwner);
            }

            _members.RemoveAt(index);
            return Task.FromResult(MemberChange.Done);
        }
    }

    public Task<bool> AddInvitationAsync(Invitation invitation, byte[] tokenHash, int maxOpen, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            _invitations.RemoveAll(i => i.Invitation.WorkspaceId == invitation.WorkspaceId && i.Invitation.ExpiresAt <= now);
            if (_invitations.Count(i => i.Invitation.WorkspaceId == invitation.WorkspaceId) >= maxOpen)
            {
                return Task.FromResult(false);
            }

            _invitations.Add((invitation, tokenHash.ToArray()));
            return Task.FromResult(true);
        }
    }

    public Task<IReadOnlyList<Invitation>> InvitationsAsync(string workspaceId, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult<IReadOnlyList<Invitation>>(_invitations
                .Where(i => i.Invitation.WorkspaceId == workspaceId && i.Invitation.ExpiresAt > now)
                .Select(i => i.Invitation).ToList());
        }
    }

    public Task<bool> RevokeInvitationAsync(string workspaceId, string invitationId, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            return Task.FromResult(_invitations.RemoveAll(i => i.Invitation.WorkspaceId == workspaceId && i.Invitation.Id == invitationId) > 0);
        }
    }

    public Task<Invitation?> FindInvitationAsync(byte[] tokenHash, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var index = OpenInvitation(tokenHash, now);
            return Task.FromResult(index < 0 ? null : _invitations[index].Invitation);
        }
    }

    public Task<AcceptedInvitation> AcceptInvitationAsync(byte[] tokenHash, string email, UserAccount? newUser, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        lock (_gate)
        {
            var index = OpenInvitation(tokenHash, now);
            if (index < 0)
            {
                return Refused(InvitationOutcome.NotFound, null);
            }

            var invitation = _invitations[index].Invitation;
            if (invitation.Email is not null && invitation.Email != email)
            {
                return Refused(InvitationOutcome.WrongEmail, invitation);
            }

            var user = UserByEmail(email);
            if (newUser is not null)
            {
                if (user is not null)
                {
                    return Refused(InvitationOutcome.EmailTaken, invitation);
                }

                user = newUser with { Email = email };
                _users[user.UserId] = user;
            }
            else if (user is null)
            {
                return Refused(InvitationOutcome.UnknownUser, invitation);
            }

            _invitations.RemoveAt(index);
            var existing = IndexOf(invitation.WorkspaceId, user.UserId);
            if (existing >= 0)
            {
                return Task.FromResult(new AcceptedInvitation(InvitationOutcome.AlreadyMember, invitation, ToMembership(_members[existing])));
            }

            var member = (invitation.WorkspaceId, user.UserId, invitation.Role, now);
            _members.Add(member);
            return Task.FromResult(new AcceptedInvitation(InvitationOutcome.Joined, invitation, ToMembership(member)));
        }
    }

    private static Task<AcceptedInvitation> Refused(InvitationOutcome outcome, Invitation? invitation) =>
        Task.FromResult(new AcceptedInvitation(outcome, invitation, null));

    private UserAccount? UserByEmail(string email) => _users.Values.FirstOrDefault(u => u.Email == email);

    private int IndexOf(string workspaceId, string userId) => _members.FindIndex(m => m.WorkspaceId == workspaceId && m.UserId == userId);

    private int OpenInvitation(byte[] tokenHash, DateTimeOffset now) =>
        _invitations.FindIndex(i => i.TokenHash.AsSpan().SequenceEqual(tokenHash) && i.Invitation.ExpiresAt > now);

    private bool IsLastOwner(int index) =>
        _members[index].Role == WorkspaceRoles.Owner &&
        _members.Count(m => m.WorkspaceId == _members[index].WorkspaceId && m.Role == WorkspaceRoles.Owner) == 1;

    private Membership ToMembership((string WorkspaceId, string UserId, string Role, DateTimeOffset JoinedAt) m) =>
        new(m.WorkspaceId, m.UserId, _users[m.UserId].Email, m.Role, m.JoinedAt);
}
