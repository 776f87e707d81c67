namespace PostNext.Grains.Webhooks;

/// <summary>Outbound webhooks, under <c>PostNext:Webhooks</c>.</summary>
public sealed class WebhookOptions
{
    public const string SectionName = "PostNext:Webhooks";

    /// <summary>The most <see cref="MaxInFlightPerWebhook"/> may be.</summary>
    public const int MaxInFlightLimit = 64;

    /// <summary>
    /// Allow receivers on loopback, private, link-local and other non-public addresses, and plain http. For tests and
    /// on-premise receivers only: with it, a workspace key can make the silos call anything on their network.
    /// </summary>
    public bool AllowPrivateNetworks { get; set; }

    /// <summary>How long after its event a delivery is retried before it is marked failed (at least 24 hours is promised).</summary>
    public TimeSpan RetryFor { get; set; } = TimeSpan.FromHours(48);

    /// <summary>Wait after the first failed attempt; each further failure waits three times longer, up to <see cref="MaxRetryDelay"/>, with jitter.</summary>
    public TimeSpan InitialRetryDelay { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>The longest wait between two attempts.</summary>
    public TimeSpan MaxRetryDelay { get; set; } = TimeSpan.FromHours(1);

    /// <summary>How long one HTTP attempt may take (connect, send, response headers); redirects are never followed.</summary>
    public TimeSpan RequestTimeout { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>
    /// Requests one webhook may have in flight at once. Events about the same resource (one post target, one account)
    /// still go one after another, in order; events about different resources may overtake each other.
    /// </summary>
    public int MaxInFlightPerWebhook { get; set; } = 8;

    /// <summary>Period of a delivery grain's reminder, the durable wake-up while deliveries are pending (a timer does the precise timing).</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>Webhooks one workspace may have.</summary>
    public int MaxPerWorkspace { get; set; } = 20;

    /// <summary>Attempts kept per delivery (the most recent ones); the count of all attempts is kept too.</summary>
    public int AttemptsKept { get; set; } = 20;

    /// <summary>Delivered and failed deliveries older than this are forgotten.</summary>
    public TimeSpan DeliveryRetention { get; set; } = TimeSpan.FromDays(30);

    /// <summary>How often each silo reads the pending deliveries' count and oldest age for the backlog gauges (one aggregate query).</summary>
    public TimeSpan BacklogRefreshInterval { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>The problems with these settings (empty when usable).</summary>
    public IEnumerable<string> Problems()
    {
        if (RetryFor < TimeSpan.Zero)
        {
            yield return "RetryFor must not be negative.";
        }

        if (InitialRetryDelay <= TimeSpan.Zero || MaxRetryDelay < InitialRetryDelay)
        {
            yield return "InitialRetryDelay must be positive and MaxRetryDelay at least InitialRetryDelay.";
        }

        if (BacklogRefreshInterval < TimeSpan.FromMilliseconds(100))
        {
            yield return "BacklogRefreshInterval must be at least 100 ms.";
        }

        if (RequestTimeout <= TimeSpan.Zero)
        {
            yield return "RequestTimeout must be positive.";
        }

        if (ReminderPeriod <= TimeSpan.Zero)
        {
            yield return "ReminderPeriod must be positive.";
        }

        if (MaxInFlightPerWebhook is < 1 or > MaxInFlightLimit)
        {
            yield return $"MaxInFlightPerWebhook must be between 1 and {MaxInFlightLimit}.";
        }

        if (MaxPerWorkspace < 1 || AttemptsKept < 1)
        {
            yield return "MaxPerWorkspace and AttemptsKept must be at least 1.";
        }

        if (DeliveryRetention <= TimeSpan.Zero)
        {
            yield return "DeliveryRetention must be positive.";
        }
    }
}
