using Orleans.Concurrency;

namespace PostNext.Abstractions.Workspaces;

/// <summary>A creator or brand: its name and time zone, its connected accounts, API keys and queue slots. Key: the workspace id.</summary>
[Alias("PostNext.IWorkspaceGrain")]
public interface IWorkspaceGrain : IGrainWithStringKey
{
    /// <summary>Creates the workspace and issues its first API key; fails if it already exists.</summary>
    [Alias("Create")]
    Task<CreatedWorkspace> CreateAsync(string name, string timeZone);

    /// <summary>The workspace, or null when it does not exist.</summary>
    [Alias("Get"), ReadOnly]
    Task<WorkspaceView?> GetAsync();

    /// <summary>Issues a new API key with the given scopes (see <see cref="ApiScopes"/>); the secret is returned this once and stored only as a hash.</summary>
    [Alias("IssueApiKey")]
    Task<IssuedApiKey> IssueApiKeyAsync(string? label, IReadOnlyList<string> scopes);

    /// <summary>Revokes a key; false when the workspace has no such key.</summary>
    [Alias("RevokeApiKey")]
    Task<bool> RevokeApiKeyAsync(string keyId);

    /// <summary>The key's scopes when the key id belongs to this workspace, is not revoked and the secret matches its hash; else null.</summary>
    [Alias("CheckApiKey"), ReadOnly]
    Task<IReadOnlyList<string>?> CheckApiKeyAsync(string keyId, string secret);

    /// <summary>Records a connected account as part of this workspace.</summary>
    [Alias("AddAccount")]
    Task AddAccountAsync(string accountId);

    /// <summary>Forgets an account and its queue.</summary>
    [Alias("RemoveAccount")]
    Task RemoveAccountAsync(string accountId);

    /// <summary>The ids of the workspace's accounts, oldest first.</summary>
    [Alias("GetAccountIds")]
    Task<IReadOnlyList<string>> GetAccountIdsAsync();

    /// <summary>Replaces an account's weekly queue slots (local times in the workspace time zone).</summary>
    [Alias("SetQueue")]
    Task SetQueueAsync(string accountId, IReadOnlyList<QueueSlot> slots);

    /// <summary>An account's weekly queue slots.</summary>
    [Alias("GetQueue")]
    Task<IReadOnlyList<QueueSlot>> GetQueueAsync(string accountId);

    /// <summary>
    /// Takes the account's next queue slot after <paramref name="after"/> that no pending publication occupies,
    /// or null when the account has no slots (or none free in the look-ahead).
    /// </summary>
    [Alias("ReserveQueueSlot")]
    Task<DateTimeOffset?> ReserveQueueSlotAsync(string accountId, DateTimeOffset after);
}

[GenerateSerializer, Immutable, Alias("PostNext.WorkspaceView")]
public sealed record WorkspaceView(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string TimeZone,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] IReadOnlyList<ApiKeyView> ApiKeys);

[GenerateSerializer, Immutable, Alias("PostNext.ApiKeyView")]
public sealed record ApiKeyView(
    [property: Id(0)] string Id,
    [property: Id(1)] string? Label,
    [property: Id(2)] string Prefix,
    [property: Id(3)] DateTimeOffset CreatedAt,
    [property: Id(4)] DateTimeOffset? RevokedAt,
    [property: Id(5)] IReadOnlyList<string> Scopes);

/// <summary>A key as issued: the only time its full value is seen.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.IssuedApiKey")]
public sealed record IssuedApiKey(
    [property: Id(0)] ApiKeyView Key,
    [property: Id(1)] string Value);

[GenerateSerializer, Immutable, Alias("PostNext.CreatedWorkspace")]
public sealed record CreatedWorkspace(
    [property: Id(0)] WorkspaceView Workspace,
    [property: Id(1)] IssuedApiKey ApiKey);

/// <summary>A weekly slot in the workspace's local time.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.QueueSlot")]
public sealed record QueueSlot(
    [property: Id(0)] DayOfWeek Day,
    [property: Id(1)] TimeOnly Time);
