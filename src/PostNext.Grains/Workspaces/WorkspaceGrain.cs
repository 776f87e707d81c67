using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;
using PostNext.Abstractions;
using PostNext.Abstractions.Scheduling;
using PostNext.Abstractions.Workspaces;
using PostNext.Grains.Scheduling;
using PostNext.Storage.Calendar;

namespace PostNext.Grains.Workspaces;

public sealed class WorkspaceGrain(
    [PersistentState("workspace", StorageNames.Grains)] IPersistentState<WorkspaceState> state,
    ICalendarStore calendar,
    IOptions<SchedulingOptions> scheduling,
    TimeProvider time) : Grain, IWorkspaceGrain
{
    /// <summary>Keeps the workspace state bounded.</summary>
    public const int MaxAccounts = 1_000;

    public const int MaxApiKeys = 100;

    /// <summary>Revoked keys kept (the most recently revoked), so a person can still see what was revoked and when.</summary>
    public const int MaxRevokedKeysKept = 20;

    /// <summary>Revoked keys are forgotten after this long.</summary>
    public static readonly TimeSpan RevokedKeyRetention = TimeSpan.FromDays(30);

    /// <summary>Slots handed out recently, until the publication that took them shows up in the calendar index.</summary>
    private readonly Dictionary<string, HashSet<DateTimeOffset>> _recentlyReserved = new(StringComparer.Ordinal);

    private string Id => this.GetPrimaryKeyString();

    public async Task<CreatedWorkspace> CreateAsync(string name, string timeZone)
    {
        if (state.RecordExists)
        {
            throw new InvalidOperationException($"Workspace {Id} already exists.");
        }

        state.State = new WorkspaceState { Name = name, TimeZone = timeZone, CreatedAt = time.GetUtcNow() };
        var key = AddKey("default", [ApiScopes.Admin]);
        await state.WriteStateAsync();
        return new CreatedWorkspace(View(), key);
    }

    public Task<WorkspaceView?> GetAsync() => Task.FromResult(state.RecordExists ? View() : null);

    public async Task<IssuedApiKey> IssueApiKeyAsync(string? label, IReadOnlyList<string> scopes)
    {
        if (scopes.Count == 0 || !scopes.All(ApiScopes.IsKnown))
        {
            throw new ArgumentException($"A key needs one or more of the scopes {string.Join(", ", ApiScopes.All)}.", nameof(scopes));
        }

        EnsureExists();
        if (state.State.ApiKeys.Count(k => k.RevokedAt is null) >= MaxApiKeys)
        {
            throw new InvalidOperationException($"A workspace holds at most {MaxApiKeys} active API keys.");
        }

        var key = AddKey(label, scopes);
        await state.WriteStateAsync();
        return key;
    }

    public async Task<bool> RevokeApiKeyAsync(string keyId)
    {
        var key = state.RecordExists ? state.State.ApiKeys.FirstOrDefault(k => k.Id == keyId) : null;
        if (key is null)
        {
            return false;
        }

        if (key.RevokedAt is null)
        {
            key.RevokedAt = time.GetUtcNow();
            PruneRevokedKeys();
            await state.WriteStateAsync();
        }

        return true;
    }

    public Task<IReadOnlyList<string>?> CheckApiKeyAsync(string keyId, string secret)
    {
        var key = state.RecordExists ? state.State.ApiKeys.FirstOrDefault(k => k.Id == keyId && k.RevokedAt is null) : null;
        var valid = key is not null && CryptographicOperations.FixedTimeEquals(key.SecretHash, Hash(secret));
        return Task.FromResult(valid ? key!.GrantedScopes : null);
    }

    /// <summary>Keeps the most recently revoked keys for a while (a record of what was revoked), and no more.</summary>
    private void PruneRevokedKeys()
    {
        var forgetBefore = time.GetUtcNow() - RevokedKeyRetention;
        var keep = state.State.ApiKeys
            .Where(k => k.RevokedAt > forgetBefore)
            .OrderByDescending(k => k.RevokedAt)
            .Take(MaxRevokedKeysKept)
            .ToHashSet();
        state.State.ApiKeys.RemoveAll(k => k.RevokedAt is not null && !keep.Contains(k));
    }

    public async Task AddAccountAsync(string accountId)
    {
        EnsureExists();
        if (state.State.Accounts.Contains(accountId))
        {
            return;
        }

        if (state.State.Accounts.Count >= MaxAccounts)
        {
            throw new InvalidOperationException($"A workspace holds at most {MaxAccounts} accounts.");
        }

        state.State.Accounts.Add(accountId);
        await state.WriteStateAsync();
    }

    public async Task RemoveAccountAsync(string accountId)
    {
        if (!state.RecordExists)
        {
            return;
        }

        var removed = state.State.Accounts.Remove(accountId) | state.State.Queues.Remove(accountId);
        if (removed)
        {
            await state.WriteStateAsync();
        }
    }

    public Task<IReadOnlyList<string>> GetAccountIdsAsync() =>
        Task.FromResult<IReadOnlyList<string>>(state.RecordExists ? [.. state.State.Accounts] : []);

    public async Task SetQueueAsync(string accountId, IReadOnlyList<QueueSlot> slots)
    {
        EnsureExists();
        state.State.Queues[accountId] = slots.Distinct().OrderBy(s => s.Day).ThenBy(s => s.Time).ToList();
        await state.WriteStateAsync();
    }

    public Task<IReadOnlyList<QueueSlot>> GetQueueAsync(string accountId) =>
        Task.FromResult<IReadOnlyList<QueueSlot>>(
            state.RecordExists && state.State.Queues.TryGetValue(accountId, out var slots) ? [.. slots] : []);

    public async Task<DateTimeOffset?> ReserveQueueSlotAsync(string accountId, DateTimeOffset after)
    {
        EnsureExists();
        if (!state.State.Queues.TryGetValue(accountId, out var slots) || slots.Count == 0)
        {
            return null;
        }

        var zone = LocalTimes.FindZone(state.State.TimeZone) ?? TimeZoneInfo.Utc;
        var until = after + scheduling.Value.QueueLookahead;
        var taken = (await calendar.PendingTimesAsync(Id, accountId, after, until)).Select(t => t.ToUniversalTime()).ToHashSet();
        if (!_recentlyReserved.TryGetValue(accountId, out var reserved))
        {
            reserved = [];
            _recentlyReserved[accountId] = reserved;
        }

        reserved.RemoveWhere(t => t <= after);
        taken.UnionWith(reserved);
        var slot = QueueSlots.NextFree(slots, zone, after, until, taken);
        if (slot is { } chosen)
        {
            reserved.Add(chosen);
        }

        return slot;
    }

    private IssuedApiKey AddKey(string? label, IReadOnlyList<string> scopes)
    {
        var keyId = Ids.New(Ids.ApiKey);
        var secret = Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(24));
        var value = ApiKeyFormat.Compose(Id, keyId, secret);
        var stored = new StoredApiKey
        {
            Id = keyId,
            Label = label,
            Prefix = value[..(ApiKeyFormat.Prefix.Length + 1 + Id.Length + 1 + keyId.Length + 5)] + "…",
            SecretHash = Hash(secret),
            Scopes = [.. scopes.Distinct(StringComparer.Ordinal)],
            CreatedAt = time.GetUtcNow(),
        };
        state.State.ApiKeys.Add(stored);
        return new IssuedApiKey(stored.ToView(), value);
    }

    private static byte[] Hash(string secret) => SHA256.HashData(Encoding.UTF8.GetBytes(secret));

    private WorkspaceView View() => new(
        Id, state.State.Name, state.State.TimeZone, state.State.CreatedAt, state.State.ApiKeys.Select(k => k.ToView()).ToList());

    private void EnsureExists()
    {
        if (!state.RecordExists)
        {
            throw new InvalidOperationException($"Workspace {Id} does not exist.");
        }
    }
}
