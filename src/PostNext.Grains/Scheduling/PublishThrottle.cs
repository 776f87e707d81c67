using System.Threading.RateLimiting;
using Microsoft.Extensions.Options;

namespace PostNext.Grains.Scheduling;

/// <summary>
/// Per-silo backpressure for platform calls: a concurrency cap (so a burst never opens unbounded connections) and, when
/// configured, a start rate. The platforms' own limits are enforced by the rate-limit grains, per account and per app.
/// </summary>
public sealed class PublishThrottle : IDisposable
{
    private readonly ConcurrencyLimiter _concurrency;
    private readonly TokenBucketRateLimiter? _rate;

    public PublishThrottle(IOptions<SchedulingOptions> options)
    {
        var o = options.Value;
        _concurrency = new ConcurrencyLimiter(new ConcurrencyLimiterOptions
        {
            PermitLimit = Math.Max(1, o.MaxConcurrentPublishes),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
        });
        _rate = o.MaxPublishStartsPerSecond <= 0 ? null : new TokenBucketRateLimiter(new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, o.MaxPublishStartsPerSecond),
            TokensPerPeriod = Math.Max(1, o.MaxPublishStartsPerSecond),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = int.MaxValue,
            QueueProcessingOrder = QueueProcessingOrder.OldestFirst,
            AutoReplenishment = true,
        });
    }

    /// <summary>Waits for a start token and a concurrency slot; dispose the lease when the platform call is done.</summary>
    public async Task<IDisposable> AcquireAsync()
    {
        if (_rate is not null)
        {
            using (await _rate.AcquireAsync())
            {
            }
        }

        return await _concurrency.AcquireAsync();
    }

    public void Dispose()
    {
        _concurrency.Dispose();
        _rate?.Dispose();
    }
}
