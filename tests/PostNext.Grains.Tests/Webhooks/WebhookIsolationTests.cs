using PostNext.Abstractions.Posts;
using PostNext.Abstractions.Webhooks;

namespace PostNext.Grains.Tests.Webhooks;

/// <summary>
/// A delivery that its receiver always refuses is isolated (the others go on); the retry window starts at a delivery's
/// first attempt; a failed attempt writes only its own row; a delivery can be sent again by hand; and during a secret
/// rotation both secrets sign, so receivers can switch without losing events.
/// </summary>
public sealed class WebhookIsolationTests
{
    private const string Secret = "grain-tests-webhook-secret";

    [Fact]
    public async Task An_event_its_receiver_always_refuses_does_not_hold_back_the_events_after_it()
    {
        await using var cluster = await WebhookCluster.StartInMemoryAsync();
        await using var receiver = await WebhookReceiver.StartAsync(Secret);
        var (ws, webhooks, hook) = await SubscribeAsync(cluster, receiver);
        var events = Enumerable.Range(1, 4).Select(i => Event(ws, i)).ToList();
        receiver.AlwaysRefuse(events[0].Id);

        foreach (var e in events)
        {
            await webhooks.EmitAsync(e);
        }

        await WebhookWait.UntilAsync(() => receiver.Accepted.Count == 3, TimeSpan.FromSeconds(10), () => $"accepted {receiver.Accepted.Count} of the 3 healthy events");
        // Different posts: the healthy events may overtake each other once the window opens.
        Assert.Equal(events.Skip(1).Select(e => e.Id).Order(StringComparer.Ordinal), receiver.Accepted.Order(StringComparer.Ordinal));
        var poisoned = (await cluster.Store.ListAsync(ws, hook, 10)).Single(d => d.EventId == events[0].Id);
        Assert.Equal(WebhookDeliveryStatus.Pending, poisoned.Status);
        Assert.All(poisoned.Attempts, a => Assert.Equal(500, a.StatusCode));
    }

    [Fact]
    public async Task The_retry_window_counts_from_the_first_attempt_not_from_the_event()
    {
        var settings = WebhookCluster.FastWebhooks();
        settings["PostNext:Webhooks:RetryFor"] = "00:10:00";
        await using var cluster = await WebhookCluster.StartInMemoryAsync(settings);
        await using var receiver = await WebhookReceiver.StartAsync(Secret, down: true);
        var (ws, _, hook) = await SubscribeAsync(cluster, receiver);

        // An event from an hour ago (it waited behind an outage) whose first attempt fails now: it has 10 minutes from now.
        var old = DateTimeOffset.UtcNow.AddHours(-1);
        await cluster.Store.AddAsync([new WebhookDelivery(WebhookIds.DeliveryFor(hook, "evt-old"), ws, hook, "evt-old", WebhookEventTypes.PostFailed,
            """{"id":"evt-old","type":"post.failed","data":{}}""", old, WebhookDeliveryStatus.Pending, 0, old, null, [])]);
        await cluster.Client.GetGrain<IWebhookDeliveryGrain>(WebhookDeliveryKey.For(ws, hook)).KickAsync();
        await WebhookWait.UntilAsync(() => receiver.Server.Requests.Count >= 1, TimeSpan.FromSeconds(10), () => "never attempted");
        await Task.Delay(300);

        var delivery = Assert.Single(await cluster.Store.ListAsync(ws, hook, 10));
        Assert.Equal(WebhookDeliveryStatus.Pending, delivery.Status);
        Assert.NotNull(delivery.NextAttemptAt);
    }

    [Fact]
    public async Task Failed_attempts_while_the_receiver_is_down_write_no_other_rows_and_nothing_polls_the_deliveries()
    {
        var store = new CountingDeliveryStore(new PostNext.Storage.Webhooks.InMemoryWebhookDeliveryStore());
        await using var cluster = await WebhookCluster.StartInMemoryAsync(store: store);
        await using var receiver = await WebhookReceiver.StartAsync(Secret, down: true);
        var (ws, webhooks, _) = await SubscribeAsync(cluster, receiver);
        for (var i = 1; i <= 20; i++)
        {
            await webhooks.EmitAsync(Event(ws, i));
        }

        await WebhookWait.UntilAsync(() => receiver.Server.Requests.Count >= 4, TimeSpan.FromSeconds(15), () => "too few attempts");

        // Retries come at most once a second here (and the reminder every 2 s): a few reads, not one every few milliseconds.
        var reads = await ReadsDuringAsync(store, TimeSpan.FromSeconds(2));
        receiver.ComeBack();

        Assert.InRange(reads, 0, 20);
        Assert.Equal(0, store.Postponed);
    }

    [Fact]
    public async Task While_a_refused_delivery_waits_alone_the_webhook_does_not_poll_the_events_behind_it()
    {
        var store = new CountingDeliveryStore(new PostNext.Storage.Webhooks.InMemoryWebhookDeliveryStore());
        await using var cluster = await WebhookCluster.StartInMemoryAsync(store: store);
        await using var receiver = await WebhookReceiver.StartAsync(Secret);
        var (ws, webhooks, hook) = await SubscribeAsync(cluster, receiver);
        var refused = Event(ws, 1, PublicationStatus.Failed);
        var behind = Event(ws, 1);
        receiver.AlwaysRefuse(refused.Id);
        await webhooks.EmitAsync(refused);
        await webhooks.EmitAsync(behind);
        await webhooks.EmitAsync(Event(ws, 2));

        await WebhookWait.UntilAsync(() => receiver.Accepted.Count == 1, TimeSpan.FromSeconds(15), () => "the other post's event never went out");
        Assert.InRange(await ReadsDuringAsync(store, TimeSpan.FromSeconds(2)), 0, 20);
        Assert.DoesNotContain(behind.Id, receiver.Accepted);
        Assert.Equal(WebhookDeliveryStatus.Pending, (await cluster.Store.ListAsync(ws, hook, 10)).Single(d => d.EventId == behind.Id).Status);
    }

    [Fact]
    public async Task A_failed_delivery_can_be_sent_again_by_hand_with_a_fresh_retry_window()
    {
        var settings = WebhookCluster.FastWebhooks();
        settings["PostNext:Webhooks:RetryFor"] = "00:00:01";
        await using var cluster = await WebhookCluster.StartInMemoryAsync(settings);
        await using var receiver = await WebhookReceiver.StartAsync(Secret, down: true);
        var (ws, webhooks, hook) = await SubscribeAsync(cluster, receiver);
        var e = Event(ws, 1);
        await webhooks.EmitAsync(e);
        var failed = Assert.Single(await cluster.WaitForDeliveriesAsync(ws, hook, 1, TimeSpan.FromSeconds(15)));
        Assert.Equal(WebhookDeliveryStatus.Failed, failed.Status);
        receiver.ComeBack();

        var again = await webhooks.RedeliverAsync(hook, failed.Id);

        Assert.Equal(WebhookDeliveryStatus.Pending, again!.Status);
        await WebhookWait.UntilAsync(() => receiver.Accepted.Contains(e.Id), TimeSpan.FromSeconds(10), () => "not redelivered");
        Assert.Null(await webhooks.RedeliverAsync(hook, "dlv" + new string('0', 20)));
    }

    [Fact]
    public async Task During_a_secret_rotation_deliveries_are_signed_with_both_secrets_then_only_the_new_one()
    {
        await using var cluster = await WebhookCluster.StartInMemoryAsync();
        await using var receiver = await WebhookReceiver.StartAsync(Secret);
        var (ws, webhooks, hook) = await SubscribeAsync(cluster, receiver);

        var rotated = await webhooks.RotateSecretAsync(hook, null, TimeSpan.FromSeconds(2));
        var newSecret = rotated!.GeneratedSecret!.Reveal();
        await webhooks.EmitAsync(Event(ws, 1));
        await WebhookWait.UntilAsync(() => receiver.Accepted.Count == 1, TimeSpan.FromSeconds(10), () => "the old secret no longer verifies during the grace period");
        receiver.Secret = newSecret;
        await webhooks.EmitAsync(Event(ws, 2));
        await WebhookWait.UntilAsync(() => receiver.Accepted.Count == 2, TimeSpan.FromSeconds(10), () => "the new secret does not verify");

        await Task.Delay(TimeSpan.FromSeconds(2.5));
        receiver.Secret = Secret;
        await webhooks.EmitAsync(Event(ws, 3));
        await WebhookWait.UntilAsync(() => receiver.BadSignatures >= 1, TimeSpan.FromSeconds(10), () => "the old secret still signs after the grace period");
        Assert.Equal(2, receiver.Accepted.Count);
    }

    private static Task<(string Ws, IWebhooksGrain Webhooks, string Hook)> SubscribeAsync(WebhookCluster cluster, WebhookReceiver receiver) =>
        cluster.SubscribeAsync(receiver.Url, Secret, WebhookEventTypes.PostPublished, WebhookEventTypes.PostFailed);

    private static async Task<int> ReadsDuringAsync(CountingDeliveryStore store, TimeSpan period)
    {
        var before = store.Reads;
        await Task.Delay(period);
        return store.Reads - before;
    }

    /// <summary>A published (or <paramref name="status"/>) event of post number <paramref name="n"/> (each post its own resource).</summary>
    private static WebhookEvent Event(string ws, int n, PublicationStatus status = PublicationStatus.Published) => WebhookEvents.ForPublication(ws, new PublicationView(
        $"post{n:D19}", "acc00000000000000000001", "sandbox", status, DateTimeOffset.UtcNow, null, null, "ext-1", null, null,
        status == PublicationStatus.Failed ? new PublicationError(ErrorCategory.Auth, "token revoked") : null, false, 1, PostContent.Empty, "UTC"), n, DateTimeOffset.UtcNow)!;
}
