using System.Security.Cryptography;
using Npgsql;
using PostNext.Abstractions;
using PostNext.Storage.Members;

namespace PostNext.Grains.Tests.Members;

/// <summary>The member store's contract, run against the in-memory twin and the PostgreSQL tables.</summary>
public abstract class MemberStoreContract
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 9, 0, 0, TimeSpan.Zero);

    protected abstract Task<IMemberStore> CreateStoreAsync();

    [Fact]
    public async Task An_invitation_creates_the_account_once_joins_it_and_is_used_up()
    {
        var store = await CreateStoreAsync();
        var ws = Ids.New(Ids.Workspace);
        var (invitation, token) = Invite(ws, null, "owner", T0);
        Assert.True(await store.AddInvitationAsync(invitation, token, 10, T0));
        Assert.Equal(invitation, await store.FindInvitationAsync(token, T0));

        var user = NewUser("ann@example.com");
        var accepted = await store.AcceptInvitationAsync(token, user.Email, user, T0.AddMinutes(1));
        Assert.Equal(InvitationOutcome.Joined, accepted.Outcome);
        Assert.Equal(new Membership(ws, user.UserId, user.Email, "owner", T0.AddMinutes(1)), accepted.Membership);
        Assert.Equal(user, await store.FindUserByEmailAsync("ann@example.com"));
        Assert.Equal(user, await store.FindUserAsync(user.UserId));
        Assert.Null(await store.FindInvitationAsync(token, T0));
        Assert.Equal(InvitationOutcome.NotFound, (await store.AcceptInvitationAsync(token, user.Email, null, T0.AddMinutes(2))).Outcome);

        // A second account for the same email is refused and consumes nothing; the existing account joins instead.
        var (second, secondToken) = Invite(ws, "ann@example.com", "viewer", T0);
        Assert.True(await store.AddInvitationAsync(second, secondToken, 10, T0));
        Assert.Equal(InvitationOutcome.EmailTaken, (await store.AcceptInvitationAsync(secondToken, user.Email, NewUser(user.Email), T0)).Outcome);
        Assert.Equal(InvitationOutcome.WrongEmail, (await store.AcceptInvitationAsync(secondToken, "bob@example.com", null, T0)).Outcome);
        var again = await store.AcceptInvitationAsync(secondToken, user.Email, null, T0.AddMinutes(3));
        Assert.Equal(InvitationOutcome.AlreadyMember, again.Outcome);
        Assert.Equal("owner", again.Membership!.Role);

        var (third, thirdToken) = Invite(Ids.New(Ids.Workspace), "nobody@example.com", "viewer", T0);
        Assert.True(await store.AddInvitationAsync(third, thirdToken, 10, T0));
        Assert.Equal(InvitationOutcome.UnknownUser, (await store.AcceptInvitationAsync(thirdToken, "nobody@example.com", null, T0)).Outcome);
        Assert.NotNull(await store.FindInvitationAsync(thirdToken, T0));
    }

    [Fact]
    public async Task The_last_owner_stays_and_every_other_role_change_and_removal_applies()
    {
        var store = await CreateStoreAsync();
        var ws = Ids.New(Ids.Workspace);
        var ann = await JoinAsync(store, ws, "owner", NewUser("ann@example.com"));
        var bob = await JoinAsync(store, ws, "editor", NewUser("bob@example.com"));

        Assert.Equal(MemberChange.LastOwner, await store.ChangeRoleAsync(ws, ann.UserId, "viewer"));
        Assert.Equal(MemberChange.LastOwner, await store.RemoveAsync(ws, ann.UserId));
        Assert.Equal(MemberChange.Done, await store.ChangeRoleAsync(ws, ann.UserId, "owner"));
        Assert.Equal(MemberChange.NotFound, await store.ChangeRoleAsync(ws, Ids.New(Ids.User), "viewer"));
        Assert.Equal(MemberChange.NotFound, await store.RemoveAsync(Ids.New(Ids.Workspace), ann.UserId));

        Assert.Equal(MemberChange.Done, await store.ChangeRoleAsync(ws, bob.UserId, "owner"));
        Assert.Equal(MemberChange.Done, await store.ChangeRoleAsync(ws, ann.UserId, "viewer"));
        Assert.Equal([("ann@example.com", "viewer"), ("bob@example.com", "owner")], (await store.MembersAsync(ws)).Select(m => (m.Email, m.Role)));
        Assert.Equal(MemberChange.Done, await store.RemoveAsync(ws, ann.UserId));
        Assert.Null(await store.FindMemberAsync(ws, ann.UserId));
        Assert.Empty(await store.MembershipsOfAsync(ann.UserId));
        Assert.NotNull(await store.FindUserAsync(ann.UserId)); // The account stays; it may be invited again.
    }

    [Fact]
    public async Task Two_owners_demoting_each_other_at_once_leave_exactly_one_owner()
    {
        var store = await CreateStoreAsync();
        for (var round = 0; round < 10; round++)
        {
            var ws = Ids.New(Ids.Workspace);
            var ann = await JoinAsync(store, ws, "owner", NewUser($"ann{round}-{Guid.NewGuid():N}@example.com"));
            var bob = await JoinAsync(store, ws, "owner", NewUser($"bob{round}-{Guid.NewGuid():N}@example.com"));
            var outcomes = await Task.WhenAll(
                Task.Run(() => store.ChangeRoleAsync(ws, ann.UserId, "viewer")),
                Task.Run(() => store.RemoveAsync(ws, bob.UserId)));
            Assert.Equal([MemberChange.Done, MemberChange.LastOwner], outcomes.Order());
            Assert.Single(await store.MembersAsync(ws), m => m.Role == "owner");
        }
    }

    [Fact]
    public async Task Open_invitations_are_capped_listed_revoked_and_expired_ones_dropped()
    {
        var store = await CreateStoreAsync();
        var ws = Ids.New(Ids.Workspace);
        var (a, aToken) = Invite(ws, "a@example.com", "viewer", T0, TimeSpan.FromHours(1));
        var (b, bToken) = Invite(ws, "b@example.com", "editor", T0.AddSeconds(1));
        Assert.True(await store.AddInvitationAsync(a, aToken, 2, T0));
        Assert.True(await store.AddInvitationAsync(b, bToken, 2, T0));
        var (c, cToken) = Invite(ws, "c@example.com", "viewer", T0.AddSeconds(2));
        Assert.False(await store.AddInvitationAsync(c, cToken, 2, T0));
        Assert.Equal([a.Id, b.Id], (await store.InvitationsAsync(ws, T0)).Select(i => i.Id));

        // Once the first has expired it neither counts nor shows nor opens.
        var later = T0.AddHours(2);
        Assert.Null(await store.FindInvitationAsync(aToken, later));
        Assert.True(await store.AddInvitationAsync(c, cToken, 2, later));
        Assert.Equal([b.Id, c.Id], (await store.InvitationsAsync(ws, later)).Select(i => i.Id));

        Assert.False(await store.RevokeInvitationAsync(Ids.New(Ids.Workspace), b.Id));
        Assert.True(await store.RevokeInvitationAsync(ws, b.Id));
        Assert.False(await store.RevokeInvitationAsync(ws, b.Id));
        Assert.Null(await store.FindInvitationAsync(bToken, later));
        Assert.Equal([c.Id], (await store.InvitationsAsync(ws, later)).Select(i => i.Id));
    }

    protected static async Task<Membership> JoinAsync(IMemberStore store, string ws, string role, UserAccount user)
    {
        var (invitation, token) = Invite(ws, user.Email, role, T0);
        Assert.True(await store.AddInvitationAsync(invitation, token, 100, T0));
        return (await store.AcceptInvitationAsync(token, user.Email, user, T0)).Membership!;
    }

    protected static UserAccount NewUser(string email) => new(Ids.New(Ids.User), email, "AQAAAAIAAYagAAAAE-not-a-real-hash", T0);

    private static (Invitation Invitation, byte[] TokenHash) Invite(string ws, string? email, string role, DateTimeOffset at, TimeSpan? lifetime = null) =>
        (new Invitation(Ids.New(Ids.Invitation), ws, email, role, at, at + (lifetime ?? TimeSpan.FromDays(7)), "operator"), RandomNumberGenerator.GetBytes(32));
}

public sealed class InMemoryMemberStoreTests : MemberStoreContract
{
    protected override Task<IMemberStore> CreateStoreAsync() => Task.FromResult<IMemberStore>(new InMemoryMemberStore());
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresMemberStoreTests(PostgresFixture postgres) : MemberStoreContract, IAsyncDisposable
{
    private readonly MigratedDatabase _database = new(postgres);

    protected override async Task<IMemberStore> CreateStoreAsync() => await _database.StoreOnNewDatabaseAsync(d => new PostgresMemberStore(d));

    [Fact]
    public async Task A_removal_waits_for_a_concurrent_demotion_and_then_sees_the_last_owner()
    {
        var store = await CreateStoreAsync();
        var ws = Ids.New(Ids.Workspace);
        var ann = await JoinAsync(store, ws, "owner", NewUser("ann@example.com"));
        var bob = await JoinAsync(store, ws, "owner", NewUser("bob@example.com"));

        // Another process demotes Ann, holding the workspace's member rows as the store does.
        await using var other = await _database.DataSource.OpenConnectionAsync();
        await using var transaction = await other.BeginTransactionAsync();
        foreach (var sql in new[]
                 {
                     "SELECT 1 FROM postnext_members WHERE workspace_id = $1 AND $2 <> '' FOR UPDATE",
                     "UPDATE postnext_members SET role = 'viewer' WHERE workspace_id = $1 AND user_id = $2",
                 })
        {
            await using var command = new NpgsqlCommand(sql, other, transaction);
            command.Parameters.Add(new NpgsqlParameter { Value = ws });
            command.Parameters.Add(new NpgsqlParameter { Value = ann.UserId });
            await command.ExecuteNonQueryAsync();
        }

        var removal = store.RemoveAsync(ws, bob.UserId);
        await WaitForLockWaiterAsync();
        await transaction.CommitAsync();

        Assert.Equal(MemberChange.LastOwner, await removal);
        Assert.Equal([("ann@example.com", "viewer"), ("bob@example.com", "owner")], (await store.MembersAsync(ws)).Select(m => (m.Email, m.Role)));
    }

    /// <summary>Until some session of this database waits for a lock (the store's read, blocked by the open transaction).</summary>
    private async Task WaitForLockWaiterAsync()
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        await using var probe = _database.DataSource.CreateCommand("SELECT count(*) FROM pg_locks WHERE NOT granted");
        while ((long)(await probe.ExecuteScalarAsync())! == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the removal never waited for the member rows");
            await Task.Yield();
        }
    }

    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
