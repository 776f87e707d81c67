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
}
