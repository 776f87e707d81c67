using PostNext.Grains.Webhooks;

namespace PostNext.Grains.Tests.Webhooks;

/// <summary>Backoff between attempts and the end of the retry window.</summary>
public sealed class WebhookRetryScheduleTests
{
    private static readonly WebhookOptions Defaults = new();

    [Theory]
    [InlineData(1, 10)]
    [InlineData(2, 30)]
    [InlineData(3, 90)]
    [InlineData(4, 270)]
    [InlineData(5, 810)]
    [InlineData(6, 2430)]
    [InlineData(7, 3600)]
    [InlineData(60, 3600)]
    [InlineData(1000, 3600)]
    public void The_wait_triples_after_each_failure_up_to_an_hour(int failures, int seconds)
    {
        var middle = WebhookRetrySchedule.DelayAfter(failures, Defaults, 0.5);
        var low = WebhookRetrySchedule.DelayAfter(failures, Defaults, 0);
        var high = WebhookRetrySchedule.DelayAfter(failures, Defaults, 0.999);

        Assert.Equal(seconds, middle.TotalSeconds, 3);
        Assert.True(low.TotalSeconds >= seconds * 0.8 - 0.001);
        Assert.True(high <= Defaults.MaxRetryDelay && high.TotalSeconds <= seconds * 1.2 + 0.001);
    }

    [Fact]
    public void Retries_go_on_for_the_whole_window_and_the_last_one_falls_on_its_end()
    {
        var created = new DateTimeOffset(2030, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var now = created;
        var attempts = 1;
        while (WebhookRetrySchedule.NextAttempt(created, attempts, now, Defaults, Random.Shared.NextDouble()) is { } next)
        {
            Assert.True(next > now);
            now = next;
            attempts++;
        }

        Assert.Equal(created + Defaults.RetryFor, now);
        Assert.True(Defaults.RetryFor >= TimeSpan.FromHours(24));
        Assert.InRange(attempts, 45, 70);
    }
}
