namespace PostNext.Platforms.Common;

/// <summary>
/// Collects what the platform's responses say about rate limits during one logical call (a publish), whatever the
/// connector: every response of a platform HTTP client passes through <see cref="RateLimitHeadersHandler"/>, which
/// records into the observation that the caller began. So a success that spends the last of a budget
/// (x-rate-limit-remaining: 0, Meta usage at 100 %) tightens the limit as much as a 429 does.
/// </summary>
public static class RateLimitObserver
{
    private static readonly AsyncLocal<RateLimitObservation?> Current = new();

    /// <summary>Starts observing the calls made from this async flow.</summary>
    public static RateLimitObservation Begin()
    {
        var observation = new RateLimitObservation();
        Current.Value = observation;
        return observation;
    }

    internal static void Record(RateLimitSnapshot snapshot) => Current.Value?.Record(snapshot);
}

/// <summary>The tightest block the responses reported.</summary>
public sealed class RateLimitObservation
{
    private readonly Lock _gate = new();

    public DateTimeOffset? BlockedUntil { get; private set; }

    internal void Record(RateLimitSnapshot snapshot)
    {
        if (snapshot.BlockedUntil is not { } until)
        {
            return;
        }

        lock (_gate)
        {
            if (BlockedUntil is null || until > BlockedUntil)
            {
                BlockedUntil = until;
            }
        }
    }
}

/// <summary>Reads the rate-limit headers of every platform response into the current observation.</summary>
public sealed class RateLimitHeadersHandler(TimeProvider time) : DelegatingHandler
{
    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var response = await base.SendAsync(request, cancellationToken);
        if (RateLimitHeaders.Read(response.Headers, time.GetUtcNow()) is { } snapshot)
        {
            RateLimitObserver.Record(snapshot);
        }

        return response;
    }
}
