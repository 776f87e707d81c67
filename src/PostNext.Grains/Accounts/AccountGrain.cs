using PostNext.Abstractions;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Platforms;
using PostNext.Storage.Sandbox;

namespace PostNext.Grains.Accounts;

public sealed class AccountGrain(
    [PersistentState("account", StorageNames.Grains)] IPersistentState<AccountState> state,
    ISandboxStore sandbox,
    TimeProvider time) : Grain, IAccountGrain
{
    private string Id => this.GetPrimaryKeyString();

    private bool Exists => state.RecordExists && state.State.Status != AccountStatus.Removed;

    public async Task<AccountView> ConnectAsync(ConnectAccount command)
    {
        if (state.RecordExists)
        {
            throw new InvalidOperationException($"Account {Id} already exists.");
        }

        state.State = new AccountState
        {
            WorkspaceId = command.WorkspaceId,
            Platform = command.Platform,
            Handle = command.Handle,
            DisplayName = command.DisplayName,
            ExternalId = command.ExternalId ?? (command.Platform == PlatformIds.Sandbox ? "sandbox-" + Id : command.Handle),
            Status = AccountStatus.Connected,
            CreatedAt = time.GetUtcNow(),
            Sandbox = command.Platform == PlatformIds.Sandbox ? command.Sandbox ?? new SandboxBehaviour() : null,
        };
        await state.WriteStateAsync();
        return View();
    }

    public Task<AccountView?> GetAsync() => Task.FromResult(Exists ? View() : null);

    public async Task RemoveAsync()
    {
        if (!Exists)
        {
            return;
        }

        state.State.Status = AccountStatus.Removed;
        await state.WriteStateAsync();
    }

    public Task<PublishingIdentity?> GetPublishingIdentityAsync() => Task.FromResult(Exists
        ? new PublishingIdentity(Id, state.State.Platform, state.State.ExternalId, state.State.Handle, state.State.Status, state.State.Sandbox)
        : null);

    public async Task<IReadOnlyList<SandboxReceipt>> GetSandboxReceivedAsync(int limit) =>
        Exists && state.State.Platform == PlatformIds.Sandbox ? await sandbox.ListAsync(Id, limit) : [];

    private AccountView View() => new(
        Id, state.State.WorkspaceId, state.State.Platform, state.State.Handle, state.State.DisplayName,
        state.State.ExternalId, state.State.Status, state.State.CreatedAt, state.State.Sandbox);
}
