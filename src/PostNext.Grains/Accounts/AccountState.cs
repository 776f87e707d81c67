using PostNext.Abstractions.Accounts;

namespace PostNext.Grains.Accounts;

[GenerateSerializer, Alias("PostNext.AccountState")]
public sealed class AccountState
{
    [Id(0)] public string WorkspaceId { get; set; } = "";

    [Id(1)] public string Platform { get; set; } = "";

    [Id(2)] public string Handle { get; set; } = "";

    [Id(3)] public string? DisplayName { get; set; }

    [Id(4)] public string ExternalId { get; set; } = "";

    [Id(5)] public AccountStatus Status { get; set; }

    [Id(6)] public DateTimeOffset CreatedAt { get; set; }

    [Id(7)] public SandboxBehaviour? Sandbox { get; set; }

    /// <summary>The tokens, encrypted with Data Protection; never stored in plain text.</summary>
    [Id(8)] public StoredTokens? Tokens { get; set; }

    /// <summary>Why the account needs attention (e.g. the refresh failure), for people.</summary>
    [Id(9)] public string? StatusReason { get; set; }

    /// <summary>When the current run of failed token refreshes began (none refused by the platform); null after a success.</summary>
    [Id(10)] public DateTimeOffset? RefreshFailingSince { get; set; }
}

[GenerateSerializer, Alias("PostNext.StoredTokens")]
public sealed class StoredTokens
{
    [Id(0)] public string ProtectedAccessToken { get; set; } = "";

    [Id(1)] public string? ProtectedRefreshToken { get; set; }

    [Id(2)] public DateTimeOffset? ExpiresAt { get; set; }

    [Id(3)] public List<string> Scopes { get; set; } = [];

    [Id(4)] public DateTimeOffset UpdatedAt { get; set; }

    /// <summary>The platform's id of the person whose consent the tokens carry (a Facebook user for their Pages); kept across refreshes.</summary>
    [Id(5)] public string? GrantOwner { get; set; }
}
