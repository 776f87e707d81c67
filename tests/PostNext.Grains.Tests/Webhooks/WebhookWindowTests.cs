using PostNext.Abstractions.Posts;
using PostNext.Abstractions.Webhooks;

namespace PostNext.Grains.Tests.Webhooks;

/// <summary>
/// A webhook's deliveries go out through a bounded window of concurrent requests: events about different posts are
/// sent together, never more at once than <c>MaxInFlightPerWebhook</c>, while each post's events are sent one after
/// another, in order.
/// </summary>
public sealed class WebhookWindowTests
{
    private const string Secret = "grain-tests-webhook-secret";

    [Fact]
    public async Task Events_about_different_posts_are_sent_together_up_to_the_window_to_a_slow_receiver()
    {
        await using var cluster = await WebhookCluster.StartInMemoryAsync(Settings(window: 4));
        await using var receiver = await WebhookReceiver.StartAsync(Secret);
        receiver.Hold = () => TimeSpan.FromMilliseconds(300);
        var (ws, webhooks, hook) = await SubscribeAsync(cluster, receiver);
        var events = Enumerable.Range(1, 12).Select(post => Event(ws, post, PublicationStatus.Published, revision: 1)).ToList();

        foreach (var e in events)
        {
            await webhooks.EmitAsync(e);
        }

        var deliveries = await cluster.WaitForDeliveriesAsync(ws, hook, events.Count, TimeSpan.FromSeconds(30));

        Assert.Equal(4, receiver.MaxConcurrent);
        Assert.Equal(events.Select(e => e.Id).Order(StringComparer.Ordinal), receiver.Accepted.Order(StringComparer.Ordinal));
        Assert.All(deliveries, d => Assert.Equal(WebhookDeliveryStatus.Delivered, d.Status));
        Assert.Equal(0, receiver.BadSignatures);
    }

    [Fact]
    public async Task Each_posts_events_arrive_one_after_another_in_order_while_posts_overtake_each_other()
    {
        await using var cluster = await WebhookCluster.StartInMemoryAsync(Settings(window: 4));
        await using var receiver = await WebhookReceiver.StartAsync(Secret);
        receiver.Hold = () => TimeSpan.FromMilliseconds(Random.Shared.Next(10, 150));
        var (ws, webhooks, hook) = await SubscribeAsync(cluster, receiver);

        // Six posts, each deferred three times and then published, emitted interleaved.
        var byPost = Enumerable.Range(1, 6).ToDictionary(post => post, post =>
            new[] { 1, 2, 3 }.Select(r => Event(ws, post, PublicationStatus.Deferred, r)).Append(Event(ws, post, PublicationStatus.Published, 4)).ToList());
        for (var step = 0; step < 4; step++)
        {
            foreach (var events in byPost.Values)
            {
                await webhooks.EmitAsync(events[step]);
            }
        }

        await cluster.WaitForDeliveriesAsync(ws, hook, 24, TimeSpan.FromSeconds(30));

        var accepted = receiver.Accepted;
        Assert.Equal(24, accepted.Count);
        foreach (var events in byPost.Values)
        {
            var ids = events.Select(e => e.Id).ToHashSet(StringComparer.Ordinal);
            Assert.Equal(events.Select(e => e.Id), accepted.Where(ids.Contains));
        }

        Assert.Equal(0, receiver.SameResourceOverlaps);
        Assert.InRange(receiver.MaxConcurrent, 2, 4);
    }

    [Fact]
    public async Task The_window_is_never_exceeded_and_a_receiver_that_is_down_gets_one_request_at_a_time()
    {
        await using var cluster = await WebhookCluster.StartInMemoryAsync(Settings(window: 3));
        await using var receiver = await WebhookReceiver.StartAsync(Secret, down: true);
        receiver.Hold = () => TimeSpan.FromMilliseconds(Random.Shared.Next(20, 120));
        var (ws, webhooks, hook) = await SubscribeAsync(cluster, receiver);
        var events = Enumerable.Range(1, 30).Select(post => Event(ws, post, PublicationStatus.Published, revision: 1)).ToList();
        foreach (var e in events)
        {
            await webhooks.EmitAsync(e);
        }

        await WebhookWait.UntilAsync(() => receiver.Server.Requests.Count >= 4, TimeSpan.FromSeconds(15), () => "too few attempts while down");
        var duringOutage = receiver.MaxConcurrent;
        receiver.ComeBack();
        var deliveries = await cluster.WaitForDeliveriesAsync(ws, hook, events.Count, TimeSpan.FromSeconds(30));

        Assert.Equal(1, duringOutage);
        Assert.Equal(3, receiver.MaxConcurrent);
        Assert.Equal(events.Count, receiver.Accepted.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(events.Count, receiver.Accepted.Count);
        Assert.All(deliveries, d => Assert.Equal(WebhookDeliveryStatus.Delivered, d.Status));
    }

    private static Dictionary<string, string?> Settings(int window)
    {
        var settings = WebhookCluster.FastWebhooks();
        settings["PostNext:Webhooks:MaxInFlightPerWebhook"] = window.ToString(System.Globalization.CultureInfo.InvariantCulture);
        return settings;
    }

    private static Task<(string Ws, IWebhooksGrain Webhooks, string Hook)> SubscribeAsync(WebhookCluster cluster, WebhookReceiver receiver) =>
        cluster.SubscribeAsync(receiver.Url, Secret, WebhookEventTypes.PostPublished, WebhookEventTypes.PostDeferred);

    /// <summary>An event of post number <paramref name="post"/> reaching <paramref name="status"/> at <paramref name="revision"/>.</summary>
    private static WebhookEvent Event(string ws, int post, PublicationStatus status, long revision) => WebhookEvents.ForPublication(ws, new PublicationView(
        $"post{post:D19}", "acc00000000000000000001", "sandbox", status, DateTimeOffset.UtcNow,
        status == PublicationStatus.Deferred ? DateTimeOffset.UtcNow.AddMinutes(5) : null, null, status == PublicationStatus.Published ? "ext-1" : null, null, null, null,
        false, 1, PostContent.Empty, "UTC"), revision, DateTimeOffset.UtcNow)!;
}
