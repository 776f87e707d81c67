namespace PostNext.Grains.Webhooks;

/// <summary>
/// When a failed delivery is tried again: after <c>InitialRetryDelay</c>, then three times longer each time, capped
/// at <c>MaxRetryDelay</c>, with ±20 % jitter (defaults: 10 s, 30 s, 90 s, 4.5 min, 13.5 min, 40 min, then hourly),
/// until <c>RetryFor</c> after the event; the last attempt falls on that deadline.
/// </summary>
public static class WebhookRetrySchedule
{
    private const double Factor = 3;
    private const double Jitter = 0.2;

    /// <summary>The wait after the <paramref name="failedAttempts"/>-th failed attempt; <paramref name="random"/> is in [0, 1).</summary>
    public static TimeSpan DelayAfter(int failedAttempts, WebhookOptions options, double random)
    {
        var exponent = Math.Clamp(failedAttempts - 1, 0, 60);
        var ticks = Math.Min(options.InitialRetryDelay.Ticks * Math.Pow(Factor, exponent), options.MaxRetryDelay.Ticks);
        var jittered = ticks * (1 - Jitter + (2 * Jitter * random));
        return TimeSpan.FromTicks((long)Math.Min(jittered, options.MaxRetryDelay.Ticks));
    }

    /// <summary>When to try next after the <paramref name="failedAttempts"/>-th failure at <paramref name="now"/>; null when the retry window is over.</summary>
    public static DateTimeOffset? NextAttempt(DateTimeOffset eventCreatedAt, int failedAttempts, DateTimeOffset now, WebhookOptions options, double random)
    {
        var deadline = eventCreatedAt + options.RetryFor;
        if (now >= deadline)
        {
            return null;
        }

        var next = now + DelayAfter(failedAttempts, options, random);
        return next < deadline ? next : deadline;
    }
}
