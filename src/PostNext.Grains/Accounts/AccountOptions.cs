namespace PostNext.Grains.Accounts;

/// <summary>Connecting accounts, under <c>PostNext:Accounts</c>.</summary>
public sealed class AccountOptions
{
    public const string SectionName = "PostNext:Accounts";

    /// <summary>How long an OAuth <c>state</c> stays valid between the connect request and the callback.</summary>
    public TimeSpan ConnectStateLifetime { get; set; } = TimeSpan.FromMinutes(10);
}
