using PostNext.Abstractions;
using PostNext.Abstractions.Diagnostics;
using PostNext.Abstractions.Posts;
using PostNext.Abstractions.Webhooks;
using PostNext.Grains.Tests.Webhooks;

namespace PostNext.Grains.Tests.Observability;

/// <summary>
/// The backlog gauges on a real cluster: deliveries piling up behind a receiver that answers 503 show as pending, with
/// the age of the oldest, although nothing is delivered (so the delivery lag histogram records nothing).
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class WebhookBacklogMetricsTests
{
    private const string Secret = "metrics-tests-webhook-secret";
    private const string Pending = "postnext.webhook.deliveries.pending";
    private const string OldestAge = "postnext.webhook.oldest_pending_age";

    [Fact]
    public async Task A_receiver_that_is_down_shows_its_pending_deliveries_and_the_oldest_age_until_it_comes_back()
    {
        var settings = WebhookCluster.FastWebhooks();
        settings["PostNext:Webhooks:BacklogRefreshInterval"] = "00:00:00.200";
        await using var cluster = await WebhookCluster.StartInMemoryAsync(settings);
        await using var receiver = await WebhookReceiver.StartAsync(Secret, down: true);
        using var recorded = new RecordedMeasurements(PostNextTelemetry.Name);
        var (ws, webhooks, hook) = await cluster.SubscribeAsync(receiver.Url, Secret, WebhookEventTypes.PostPublished);

        for (var post = 1; post <= 3; post++)
        {
            await webhooks.EmitAsync(WebhookEvents.ForPublication(ws, Published(post), post, DateTimeOffset.UtcNow)!);
        }

        await WebhookWait.UntilAsync(() => receiver.Server.Requests.Count >= 3, TimeSpan.FromSeconds(10), () => "the receiver was never tried");
        var oldest = (await cluster.Store.ListAsync(ws, hook, 10)).Min(d => d.CreatedAt);
        await Task.Delay(TimeSpan.FromSeconds(1.5));

        var (pending, age) = await ReadUntilAsync(recorded, (p, a) => p == 3 && a >= 1.5, "3 pending, the oldest at least 1.5 s old");
        Assert.Equal(3, pending);
        Assert.InRange(age, 1.5, (DateTimeOffset.UtcNow - oldest).TotalSeconds + 0.1);
        Assert.Empty(recorded.Of("postnext.webhook.delivery.lag"));
        Assert.All(recorded.Of(Pending).Concat(recorded.Of(OldestAge)), m => Assert.Empty(m.Tags));

        receiver.ComeBack();
        await cluster.WaitForDeliveriesAsync(ws, hook, 3, TimeSpan.FromSeconds(15));
        Assert.Equal((0, 0), await ReadUntilAsync(recorded, (p, a) => p == 0, "nothing pending after the receiver came back"));
    }

    /// <summary>Reads both gauges, as a scrape would, until the reading satisfies <paramref name="done"/>; returns it.</summary>
    private static async Task<(long Pending, double Age)> ReadUntilAsync(RecordedMeasurements recorded, Func<long, double, bool> done, string what)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(15);
        var last = (Pending: -1L, Age: -1.0);
        while (DateTime.UtcNow < deadline)
        {
            recorded.Collect();
            if (recorded.Of(Pending) is [.., var p] && recorded.Of(OldestAge) is [.., var a])
            {
                last = ((long)p.Value, a.Value);
                if (done(last.Pending, last.Age))
                {
                    return last;
                }
            }

            await Task.Delay(100);
        }

        throw new TimeoutException($"Expected {what}; last read {last.Pending} pending, oldest {last.Age} s.");
    }

    private static PublicationView Published(long post) => new(
        $"post{post:D19}", "acc00000000000000000001", "sandbox", PublicationStatus.Published,
        DateTimeOffset.Parse("2030-01-01T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture), null, null, "ext-1", null, null, null,
        false, 1, PostContent.Empty, "UTC");
}
