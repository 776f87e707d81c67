namespace PostNext.Grains.Accounts;

/// <summary>Connecting accounts and keeping their tokens fresh, under <c>PostNext:Accounts</c>.</summary>
public sealed class AccountOptions
{
    public const string SectionName = "PostNext:Accounts";

    /// <summary>How long an OAuth <c>state</c> stays valid between the connect request and the callback.</summary>
    public TimeSpan ConnectStateLifetime { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// How long, after the callback, the person has to choose among the accounts a consent offered (several Facebook Pages,
    /// a LinkedIn member and its organizations); the offered tokens are kept encrypted until then, and dropped after.
    /// </summary>
    public TimeSpan ChoiceLifetime { get; set; } = TimeSpan.FromMinutes(15);

    /// <summary>
    /// How long an account keeps retrying a token refresh that fails for any reason other than the platform refusing the
    /// grant (a timeout, a 5xx, an unreadable answer) once its access token has expired: the refresh reminder retries
    /// every <c>PostNext:Scheduling:ReminderPeriod</c> and the current token stays in use; when refreshes have failed
    /// without a success for this long, counted from the expiry or from the first failure if that came later (so a
    /// cluster that was down past the expiry gets the whole budget), the account becomes <c>reconnect_required</c>. A
    /// refusal (auth) makes it <c>reconnect_required</c> at once.
    /// </summary>
    public TimeSpan TokenRefreshRetryBudget { get; set; } = TimeSpan.FromHours(6);
}
