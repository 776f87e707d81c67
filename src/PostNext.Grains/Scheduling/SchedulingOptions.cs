namespace PostNext.Grains.Scheduling;

/// <summary>How publications are fired and retried, under <c>PostNext:Scheduling</c>.</summary>
public sealed class SchedulingOptions
{
    public const string SectionName = "PostNext:Scheduling";

    /// <summary>Period of each publication's reminder: the durable retry if a silo dies mid-publish (Orleans minimum: 1 minute by default).</summary>
    public TimeSpan ReminderPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A first attempt starting this long after its due time is marked late.</summary>
    public TimeSpan LateAfter { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>How long one platform call may take before its outcome counts as unknown.</summary>
    public TimeSpan PublishTimeout { get; set; } = TimeSpan.FromMinutes(5);

    /// <summary>
    /// An attempt's lease lasts the publish timeout plus this margin: until then nobody re-sends or reconciles it,
    /// unless the silo that holds it is known to be gone (declared dead, or restarted under a newer generation).
    /// </summary>
    public TimeSpan LeaseMargin { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long a deactivating publication waits for its running platform call so it can record the outcome itself.</summary>
    public TimeSpan DrainTimeout { get; set; } = TimeSpan.FromSeconds(20);

    /// <summary>Attempts (including the first) before a publication that keeps failing transiently fails for good.</summary>
    public int MaxAttempts { get; set; } = 5;

    /// <summary>Transient errors are retried within this time after the due time; after it the publication fails.</summary>
    public TimeSpan RetryBudget { get; set; } = TimeSpan.FromHours(6);

    /// <summary>
    /// Most platform calls one silo has in flight at once (a slot is held from the attempt's lease to the platform's
    /// answer). Publishes are mostly waiting on the network, so this is high: with calls of 0.5 s, 1,024 slots still
    /// let a silo start 2,000 publishes a second. Posts released together after a restart queue behind it.
    /// </summary>
    public int MaxConcurrentPublishes { get; set; } = 1024;

    /// <summary>
    /// Most publishes one silo starts per second; 0 (the default) sets no cap. The limits that matter are the
    /// platforms', which the rate-limit grains enforce per account and per app; a global cap only made posts late.
    /// </summary>
    public int MaxPublishStartsPerSecond { get; set; }

    /// <summary>
    /// The due dispatch's time bucket: one Orleans reminder per bucket and due shard (not per publication) fires
    /// shortly before the bucket starts; the bucket then reads what is due from the calendar index.
    /// </summary>
    public TimeSpan DueBucketSize { get; set; } = TimeSpan.FromHours(1);

    /// <summary>
    /// How far ahead an open bucket loads the publications about to fall due (they then tick on their own timers).
    /// Publications scheduled further ahead hold no activation until then, so tens of thousands due at one instant must
    /// all load within it: 30 s is room for about 50,000 on two cores.
    /// </summary>
    public TimeSpan DueLookahead { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// How long before its due time a scheduled publication prepares its first attempt: it takes its rate-limit permit,
    /// reads the account's token and persists its lease, then waits for the instant and only calls the platform then
    /// (never earlier). Thousands due at one instant thus do their storage writes in the seconds before it, and at the
    /// instant only the calls and their outcomes are left. Meanwhile it shows as <c>publishing</c> and can no longer be
    /// edited or canceled. 0 prepares nothing ahead.
    /// </summary>
    public TimeSpan PrepareAhead { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>How often an open bucket reads the calendar index for what falls due next.</summary>
    public TimeSpan DuePollInterval { get; set; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the sweeper looks for publications left scheduled in the past.</summary>
    public TimeSpan SweepPeriod { get; set; } = TimeSpan.FromMinutes(1);

    /// <summary>A pending publication this far past its time with no tick is swept.</summary>
    public TimeSpan SweepGrace { get; set; } = TimeSpan.FromMinutes(2);

    /// <summary>First retry delay after a transient error; doubles each attempt, with jitter.</summary>
    public TimeSpan RetryBaseDelay { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Wait before asking the platform about an unknown outcome, counted from when the attempt certainly ended: the
    /// time a platform may take to make a received post visible, so a "not found" is believed only after it.
    /// </summary>
    public TimeSpan ReconcileDelay { get; set; } = TimeSpan.FromSeconds(15);

    /// <summary>Reconciliations that cannot tell before the publication fails as an unknown outcome for a person to check.</summary>
    public int MaxReconcileAttempts { get; set; } = 20;

    /// <summary>Tokens are refreshed this long before they expire (on the account's reminder, and before any publish).</summary>
    public TimeSpan TokenRefreshAhead { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>How far ahead queue mode looks for a free slot.</summary>
    public TimeSpan QueueLookahead { get; set; } = TimeSpan.FromDays(8 * 7);
}
