using PostNext.Abstractions.Workspaces;

namespace PostNext.Grains.Workspaces;

[GenerateSerializer, Alias("PostNext.WorkspaceState")]
public sealed class WorkspaceState
{
    [Id(0)] public string Name { get; set; } = "";

    [Id(1)] public string TimeZone { get; set; } = "UTC";

    [Id(2)] public DateTimeOffset CreatedAt { get; set; }

    [Id(3)] public List<StoredApiKey> ApiKeys { get; set; } = [];

    /// <summary>Account ids, oldest first. Bounded by <see cref="WorkspaceGrain.MaxAccounts"/>.</summary>
    [Id(4)] public List<string> Accounts { get; set; } = [];

    [Id(5)] public Dictionary<string, List<QueueSlot>> Queues { get; set; } = [];
}

/// <summary>An API key as stored: never the secret, only its SHA-256.</summary>
[GenerateSerializer, Alias("PostNext.StoredApiKey")]
public sealed class StoredApiKey
{
    [Id(0)] public string Id { get; set; } = "";

    [Id(1)] public string? Label { get; set; }

    /// <summary>The start of the key, enough for a person to recognise it.</summary>
    [Id(2)] public string Prefix { get; set; } = "";

    [Id(3)] public byte[] SecretHash { get; set; } = [];

    [Id(4)] public DateTimeOffset CreatedAt { get; set; }

    [Id(5)] public DateTimeOffset? RevokedAt { get; set; }

    /// <summary>What the key may do (<see cref="ApiScopes"/>); empty for keys issued before scopes existed, which are admin keys.</summary>
    [Id(6)] public List<string> Scopes { get; set; } = [];

    public IReadOnlyList<string> GrantedScopes => Scopes.Count == 0 ? [ApiScopes.Admin] : Scopes;

    public ApiKeyView ToView() => new(Id, Label, Prefix, CreatedAt, RevokedAt, GrantedScopes);
}
