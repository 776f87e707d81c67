using System.Diagnostics;
using Microsoft.Extensions.Options;
using PostNext.Grains.Scheduling;

namespace PostNext.Grains.Tests.Scheduling;

/// <summary>After a restart every due reminder fires at once; the throttle releases platform calls at a bounded rate and concurrency.</summary>
public sealed class PublishThrottleTests
{
    [Fact]
    public async Task Starts_are_bounded_per_second_and_calls_in_flight_never_exceed_the_cap()
    {
        using var throttle = new PublishThrottle(Options.Create(new SchedulingOptions { MaxPublishStartsPerSecond = 10, MaxConcurrentPublishes = 3 }));
        var inFlight = 0;
        var maxInFlight = 0;
        var clock = Stopwatch.StartNew();

        await Task.WhenAll(Enumerable.Range(0, 30).Select(async _ =>
        {
            using var lease = await throttle.AcquireAsync();
            var now = Interlocked.Increment(ref inFlight);
            InterlockedMax(ref maxInFlight, now);
            await Task.Delay(20);
            Interlocked.Decrement(ref inFlight);
        }));

        // 30 starts at 10 per second: the first 10 at once, the rest over at least two more seconds.
        Assert.True(clock.Elapsed >= TimeSpan.FromSeconds(1.8), $"30 starts took only {clock.Elapsed}");
        Assert.True(maxInFlight <= 3, $"{maxInFlight} calls in flight");
    }

    [Fact]
    public async Task As_shipped_there_is_no_start_cap_only_a_bound_on_calls_in_flight()
    {
        var defaults = new SchedulingOptions();
        using var throttle = new PublishThrottle(Options.Create(defaults));

        var leases = Enumerable.Range(0, defaults.MaxConcurrentPublishes).Select(_ => throttle.AcquireAsync()).ToList();
        Assert.All(leases, lease => Assert.True(lease.IsCompletedSuccessfully, "a start waited although calls were free"));

        var beyond = throttle.AcquireAsync();
        Assert.False(beyond.IsCompleted);
        (await leases[0]).Dispose();
        (await beyond.WaitAsync(TimeSpan.FromSeconds(5))).Dispose();
        foreach (var lease in leases.Skip(1))
        {
            (await lease).Dispose();
        }
    }

    private static void InterlockedMax(ref int target, int value)
    {
        int current;
        while ((current = Volatile.Read(ref target)) < value && Interlocked.CompareExchange(ref target, value, current) != current)
        {
        }
    }
}
