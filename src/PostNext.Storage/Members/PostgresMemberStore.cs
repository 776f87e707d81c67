using Npgsql;
using PostNext.Abstractions.Workspaces;

namespace PostNext.Storage.Members;

/// <summary>
/// People, roles and invitations in PostgreSQL (cluster mode), shared by every silo and front. Role changes and removals
/// lock the workspace's member rows first, so two concurrent demotions cannot both pass the last-owner check.
/// </summary>
public sealed class PostgresMemberStore(NpgsqlDataSource dataSource) : IMemberStore
{
    private const string MemberColumns = "m.workspace_id, m.user_id, u.email, m.role, m.joined_at";
    private const string MemberFrom = "postnext_members m JOIN postnext_users u ON u.user_id = m.user_id";
    private const string InvitationColumns = "invitation_id, workspace_id, email, role, created_at, expires_at, created_by";

    public async Task<UserAccount?> FindUserByEmailAsync(string email, CancellationToken cancellationToken = default) =>
        (await ReadAsync("SELECT user_id, email, password_hash, created_at FROM postnext_users WHERE email = $1", [email], ReadUser, cancellationToken)).FirstOrDefault();

    public async Task<UserAccount?> FindUserAsync(string userId, CancellationToken cancellationToken = default) =>
        (await ReadAsync("SELECT user_id, email, password_hash, created_at FROM postnext_users WHERE user_id = $1", [userId], ReadUser, cancellationToken)).FirstOrDefault();

    public Task<IReadOnlyList<Membership>> MembershipsOfAsync(string userId, CancellationToken cancellationToken = default) =>
        ReadAsync($"SELECT {MemberColumns} FROM {MemberFrom} WHERE m.user_id = $1 ORDER BY m.joined_at, m.workspace_id", [userId], ReadMember, cancellationToken);

    public async Task<Membership?> FindMemberAsync(string workspaceId, string userId, CancellationToken cancellationToken = default) =>
        (await ReadAsync($"SELECT {MemberColumns} FROM {MemberFrom} WHERE m.workspace_id = $1 AND m.user_id = $2", [workspaceId, userId], ReadMember, cancellationToken)).FirstOrDefault();

    public Task<IReadOnlyList<Membership>> MembersAsync(string workspaceId, CancellationToken cancellationToken = default) =>
        ReadAsync($"SELECT {MemberColumns} FROM {MemberFrom} WHERE m.workspace_id = $1 ORDER BY m.joined_at, u.email", [workspaceId], ReadMember, cancellationToken);

    public Task<MemberChange> ChangeRoleAsync(string workspaceId, string userId, string role, CancellationToken cancellationToken = default) =>
        ChangeMemberAsync(workspaceId, userId, demotes: role != WorkspaceRoles.Owner,
            "UPDATE postnext_members SET role = $3 WHERE workspace_id = $1 AND user_id = $2", [workspaceId, userId, role], cancellationToken);

    public Task<MemberChange> RemoveAsync(string workspaceId, string userId, CancellationToken cancellationToken = default) =>
        ChangeMemberAsync(workspaceId, userId, demotes: true,
            "DELETE FROM postnext_members WHERE workspace_id = $1 AND user_id = $2", [workspaceId, userId], cancellationToken);

    public async Task<bool> AddInvitationAsync(Invitation invitation, byte[] tokenHash, int maxOpen, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        // One inviter at a time per workspace, so the cap holds under concurrency.
        await ExecuteAsync(connection, transaction, "SELECT pg_advisory_xact_lock(hashtextextended($1, 0))", [invitation.WorkspaceId], cancellationToken);
        await ExecuteAsync(connection, transaction, "DELETE FROM postnext_invitations WHERE workspace_id = $1 AND expires_at <= $2", [invitation.WorkspaceId, now], cancellationToken);
        await using (var count = new NpgsqlCommand("SELECT count(*) FROM postnext_invitations WHERE workspace_id = $1", connection, transaction))
        {
            count.Parameters.Add(new NpgsqlParameter { Value = invitation.WorkspaceId });
            if ((long)(await count.ExecuteScalarAsync(cancellationToken))! >= maxOpen)
            {
                return false;
            }
        }

        await ExecuteAsync(connection, transaction, $"INSERT INTO postnext_invitations ({InvitationColumns}, token_hash) VALUES ($1, $2, $3, $4, $5, $6, $7, $8)",
            [invitation.Id, invitation.WorkspaceId, (object?)invitation.Email ?? DBNull.Value, invitation.Role, invitation.CreatedAt, invitation.ExpiresAt, invitation.CreatedBy, tokenHash],
            cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return true;
    }

    public Task<IReadOnlyList<Invitation>> InvitationsAsync(string workspaceId, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        ReadAsync($"SELECT {InvitationColumns} FROM postnext_invitations WHERE workspace_id = $1 AND expires_at > $2 ORDER BY created_at, invitation_id",
            [workspaceId, now], ReadInvitation, cancellationToken);

    public async Task<bool> RevokeInvitationAsync(string workspaceId, string invitationId, CancellationToken cancellationToken = default)
    {
        await using var command = dataSource.CreateCommand("DELETE FROM postnext_invitations WHERE workspace_id = $1 AND invitation_id = $2");
        command.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
        command.Parameters.Add(new NpgsqlParameter { Value = invitationId });
        return await command.ExecuteNonQueryAsync(cancellationToken) > 0;
    }

    public async Task<Invitation?> FindInvitationAsync(byte[] tokenHash, DateTimeOffset now, CancellationToken cancellationToken = default) =>
        (await ReadAsync($"SELECT {InvitationColumns} FROM postnext_invitations WHERE token_hash = $1 AND expires_at > $2", [tokenHash, now], ReadInvitation, cancellationToken))
        .FirstOrDefault();

    public async Task<AcceptedInvitation> AcceptInvitationAsync(byte[] tokenHash, string email, UserAccount? newUser, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);

        Invitation? invitation;
        await using (var find = new NpgsqlCommand($"SELECT {InvitationColumns} FROM postnext_invitations WHERE token_hash = $1 AND expires_at > $2 FOR UPDATE", connection, transaction))
        {
            find.Parameters.Add(new NpgsqlParameter { Value = tokenHash });
            find.Parameters.Add(new NpgsqlParameter { Value = now });
            await using var reader = await find.ExecuteReaderAsync(cancellationToken);
            invitation = await reader.ReadAsync(cancellationToken) ? ReadInvitation(reader) : null;
        }

        if (invitation is null)
        {
            return new AcceptedInvitation(InvitationOutcome.NotFound, null, null);
        }

        if (invitation.Email is not null && invitation.Email != email)
        {
            return new AcceptedInvitation(InvitationOutcome.WrongEmail, invitation, null);
        }

        string userId;
        if (newUser is not null)
        {
            var created = await ExecuteAsync(connection, transaction,
                "INSERT INTO postnext_users (user_id, email, password_hash, created_at) VALUES ($1, $2, $3, $4) ON CONFLICT (email) DO NOTHING",
                [newUser.UserId, email, newUser.PasswordHash, newUser.CreatedAt], cancellationToken);
            if (created == 0)
            {
                return new AcceptedInvitation(InvitationOutcome.EmailTaken, invitation, null);
            }

            userId = newUser.UserId;
        }
        else
        {
            await using var find = new NpgsqlCommand("SELECT user_id FROM postnext_users WHERE email = $1", connection, transaction);
            find.Parameters.Add(new NpgsqlParameter { Value = email });
            if (await find.ExecuteScalarAsync(cancellationToken) is not string existing)
            {
                return new AcceptedInvitation(InvitationOutcome.UnknownUser, invitation, null);
            }

            userId = existing;
        }

        var joined = await ExecuteAsync(connection, transaction,
            "INSERT INTO postnext_members (workspace_id, user_id, role, joined_at) VALUES ($1, $2, $3, $4) ON CONFLICT DO NOTHING",
            [invitation.WorkspaceId, userId, invitation.Role, now], cancellationToken);
        await ExecuteAsync(connection, transaction, "DELETE FROM postnext_invitations WHERE invitation_id = $1", [invitation.Id], cancellationToken);

        Membership membership;
        await using (var read = new NpgsqlCommand($"SELECT {MemberColumns} FROM {MemberFrom} WHERE m.workspace_id = $1 AND m.user_id = $2", connection, transaction))
        {
            read.Parameters.Add(new NpgsqlParameter { Value = invitation.WorkspaceId });
            read.Parameters.Add(new NpgsqlParameter { Value = userId });
            await using var reader = await read.ExecuteReaderAsync(cancellationToken);
            await reader.ReadAsync(cancellationToken);
            membership = ReadMember(reader);
        }

        await transaction.CommitAsync(cancellationToken);
        return new AcceptedInvitation(joined > 0 ? InvitationOutcome.Joined : InvitationOutcome.AlreadyMember, invitation, membership);
    }

    private async Task<MemberChange> ChangeMemberAsync(string workspaceId, string userId, bool demotes, string sql, object[] parameters, CancellationToken cancellationToken)
    {
        await using var connection = await dataSource.OpenConnectionAsync(cancellationToken);
        await using var transaction = await connection.BeginTransactionAsync(cancellationToken);
        var roles = new Dictionary<string, string>(StringComparer.Ordinal);
        await using (var locked = new NpgsqlCommand("SELECT user_id, role FROM postnext_members WHERE workspace_id = $1 FOR UPDATE", connection, transaction))
        {
            locked.Parameters.Add(new NpgsqlParameter { Value = workspaceId });
            await using var reader = await locked.ExecuteReaderAsync(cancellationToken);
            while (await reader.ReadAsync(cancellationToken))
            {
                roles[reader.GetString(0)] = reader.GetString(1);
            }
        }

        if (!roles.TryGetValue(userId, out var current))
        {
            return MemberChange.NotFound;
        }

        if (demotes && current == WorkspaceRoles.Owner && roles.Values.Count(r => r == WorkspaceRoles.Owner) == 1)
        {
            return MemberChange.LastOwner;
        }

        await ExecuteAsync(connection, transaction, sql, parameters, cancellationToken);
        await transaction.CommitAsync(cancellationToken);
        return MemberChange.Done;
    }

    private static async Task<int> ExecuteAsync(NpgsqlConnection connection, NpgsqlTransaction transaction, string sql, object[] parameters, CancellationToken cancellationToken)
    {
        await using var command = new NpgsqlCommand(sql, connection, transaction);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        return await command.ExecuteNonQueryAsync(cancellationToken);
    }

    private async Task<IReadOnlyList<T>> ReadAsync<T>(string sql, object[] parameters, Func<NpgsqlDataReader, T> read, CancellationToken cancellationToken)
    {
        await using var command = dataSource.CreateCommand(sql);
        foreach (var value in parameters)
        {
            command.Parameters.Add(new NpgsqlParameter { Value = value });
        }

        var rows = new List<T>();
        await using var reader = await command.ExecuteReaderAsync(cancellationToken);
        while (await reader.ReadAsync(cancellationToken))
        {
            rows.Add(read(reader));
        }

        return rows;
    }

    private static UserAccount ReadUser(NpgsqlDataReader r) => new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetFieldValue<DateTimeOffset>(3));

    private static Membership ReadMember(NpgsqlDataReader r) =>
        new(r.GetString(0), r.GetString(1), r.GetString(2), r.GetString(3), r.GetFieldValue<DateTimeOffset>(4));

    private static Invitation ReadInvitation(NpgsqlDataReader r) => new(
        r.GetString(0), r.GetString(1), r.IsDBNull(2) ? null : r.GetString(2), r.GetString(3),
        r.GetFieldValue<DateTimeOffset>(4), r.GetFieldValue<DateTimeOffset>(5), r.GetString(6));
}
