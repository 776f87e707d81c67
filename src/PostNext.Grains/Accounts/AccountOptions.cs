namespace PostNext.Grains.Accounts;

/// <summary>Connecting accounts and keeping their tokens fresh, under <c>PostNext:Accounts</c>.</summary>
public sealed class AccountOptions
{
    public const string SectionName = "PostNext:Accounts";

    /// <summary>How long an OAuth <c>state</c> stays valid between the connect request and the callback.</summary>
    public TimeSpan ConnectStateLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long after its access token expired an account keeps retrying a refresh that fails for any reason other
    /// than the platform refusing the grant (a timeout, a 5xx, an unreadable answer): the refresh reminder retries every
    /// <c>PostNext:Scheduling:ReminderPeriod</c> and the current token stays in use; once the token has been expired
    /// this long and the refresh still fails, the account becomes <c>reconnect_required</c>. A refusal (auth) makes it
    /// <c>reconnect_required</c> at once.
    /// </summary>
    public TimeSpan TokenRefreshRetryBudget { get; set; } = TimeSpan.FromHours(6);
}
