using Microsoft.Extensions.Logging.Abstractions;
using PostNext.Abstractions;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Posts;
using PostNext.Abstractions.Webhooks;
using PostNext.Grains.Webhooks;

namespace PostNext.Grains.Tests.Webhooks;

/// <summary>Emitting and delivering on an in-memory cluster: who gets what, once, in order, signed; retries, give-up, and refused receivers.</summary>
public sealed class WebhookDeliveryTests
{
    private const string Secret = "grain-tests-webhook-secret";

    [Fact]
    public async Task An_event_is_taken_and_delivered_while_the_silo_cannot_register_reminders_and_the_reminder_is_armed_once_it_can()
    {
        // A silo whose reminder service is still starting (or whose table is unreachable) refuses reminder writes for
        // minutes. An event stored then must still be taken, and delivered: a publication records its final outcome only
        // after its event is taken, so a refused reminder must not hold back publishing.
        var reminders = new SwitchableReminderTable { Refusing = true };
        await using var cluster = await WebhookCluster.StartInMemoryAsync(reminders: reminders);
        await using var receiver = await WebhookReceiver.StartAsync(Secret);
        var ws = Ids.New(Ids.Workspace);
        var webhooks = cluster.Client.GetGrain<IWebhooksGrain>(ws);
        var hook = await CreateAsync(webhooks, receiver.Url, WebhookEventTypes.PostPublished);

        var published = Publication(ws, PublicationStatus.Published, revision: 1);
        await webhooks.EmitAsync(published);

        await cluster.WaitForDeliveriesAsync(ws, hook, 1, TimeSpan.FromSeconds(15));
        Assert.Equal([published.Id], receiver.Accepted);
        Assert.True(reminders.Refused > 0, "the reminder registration was never tried");

        // Once reminders work again, a delivery that stays pending (its receiver down) gets its durable wake-up.
        receiver.GoDown();
        reminders.Refusing = false;
        var second = Publication(ws, PublicationStatus.Published, revision: 2, post: 2);
        await webhooks.EmitAsync(second);
        var delivery = cluster.Client.GetGrain<IWebhookDeliveryGrain>(WebhookDeliveryKey.For(ws, hook)).GetGrainId();
        var deadline = DateTime.UtcNow.AddSeconds(15);
        while ((await reminders.ReadRows(delivery)).Reminders.Count == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, "the delivery's reminder was never armed once reminders worked again");
            await Task.Delay(100);
        }
    }

    [Fact]
    public async Task Events_stored_at_the_same_moment_arm_their_delivery_reminder_with_one_write()
    {
        // Kicks interleave: every event of thousands of publications published at one instant kicked the delivery, and
        // each kick that came before the first registration finished wrote the reminder row again.
        var reminders = new SwitchableReminderTable();
        await using var cluster = await WebhookCluster.StartInMemoryAsync(reminders: reminders);
        await using var receiver = await WebhookReceiver.StartAsync(Secret);
        receiver.GoDown(); // the events stay pending, so the reminder stays armed
        var ws = Ids.New(Ids.Workspace);
        var webhooks = cluster.Client.GetGrain<IWebhooksGrain>(ws);
        await CreateAsync(webhooks, receiver.Url, WebhookEventTypes.PostPublished);
        var before = reminders.Upserts;

        await Task.WhenAll(Enumerable.Range(0, 200).Select(i => webhooks.EmitAsync(Publication(ws, PublicationStatus.Published, revision: 1, post: i + 1))));

        Assert.Equal(1, reminders.Upserts - before);
    }

    [Fact]
    public async Task Each_webhook_gets_the_event_types_it_subscribed_to_once_even_when_an_event_is_emitted_twice()
    {
        await using var cluster = await WebhookCluster.StartInMemoryAsync();
        await using var posts = await WebhookReceiver.StartAsync(Secret);
        await using var accounts = await WebhookReceiver.StartAsync(Secret);
        var ws = Ids.New(Ids.Workspace);
        var webhooks = cluster.Client.GetGrain<IWebhooksGrain>(ws);
        var forPosts = await CreateAsync(webhooks, posts.Url, WebhookEventTypes.PostPublished, WebhookEventTypes.PostFailed);
        var forAccounts = await CreateAsync(webhooks, accounts.Url, WebhookEventTypes.AccountReconnectRequired);

        var published = Publication(ws, PublicationStatus.Published, revision: 7);
        var failed = Publication(ws, PublicationStatus.Failed, revision: 9);
        var deferred = Publication(ws, PublicationStatus.Deferred, revision: 8);
        var reconnect = WebhookEvents.AccountReconnectRequired(
            new AccountView(Ids.New(Ids.Account), ws, "x", "acme", null, "42", AccountStatus.ReconnectRequired, DateTimeOffset.UtcNow, null, null, "refresh failed"),
            DateTimeOffset.UtcNow);
        foreach (var e in new[] { published, deferred, failed, reconnect, published })
        {
            // The way grains emit: one call that never throws.
            await cluster.Client.EmitWebhookAsync(ws, e, NullLogger.Instance);
        }

        // A malformed event is refused by the grain; the emitter logs it and the caller carries on.
        await cluster.Client.EmitWebhookAsync(ws, new WebhookEvent("evt-bad", WebhookEventTypes.PostPublished, DateTimeOffset.UtcNow, "{not json"), NullLogger.Instance);
        await Assert.ThrowsAsync<ArgumentException>(() => webhooks.EmitAsync(new WebhookEvent("evt-bad", WebhookEventTypes.PostPublished, DateTimeOffset.UtcNow, "{not json")));

        // The same fact built again, even at a later revision (a retried transition), gives the same id: a re-emit by the publication grain dedupes too.
        var again = WebhookEvents.ForPublication(ws, PublicationView(PublicationStatus.Published, post: 7), 12, DateTimeOffset.UtcNow.AddSeconds(5))!;
        Assert.Equal(published.Id, again.Id);
        await webhooks.EmitAsync(again);

        await cluster.WaitForDeliveriesAsync(ws, forPosts, 2, TimeSpan.FromSeconds(15));
        await cluster.WaitForDeliveriesAsync(ws, forAccounts, 1, TimeSpan.FromSeconds(15));
        await Task.Delay(TimeSpan.FromSeconds(1));

        Assert.Equal([published.Id, failed.Id], posts.Accepted);
        Assert.Equal([reconnect.Id], accounts.Accepted);
        Assert.Equal(0, posts.BadSignatures + accounts.BadSignatures);
        var body = System.Text.Json.Nodes.JsonNode.Parse(posts.Server.Requests[0].Body)!;
        Assert.Equal(WebhookEventTypes.PostPublished, body["type"]!.GetValue<string>());
        Assert.Equal("published", body["data"]!["status"]!.GetValue<string>());
        Assert.Equal("ext-1", body["data"]!["externalId"]!.GetValue<string>());
    }

    [Fact]
    public async Task A_receiver_down_for_a_while_gets_every_event_once_and_each_posts_events_in_order_after_it_comes_back()
    {
        await using var cluster = await WebhookCluster.StartInMemoryAsync();
        await using var receiver = await WebhookReceiver.StartAsync(Secret, down: true);
        var ws = Ids.New(Ids.Workspace);
        var webhooks = cluster.Client.GetGrain<IWebhooksGrain>(ws);
        var hook = await CreateAsync(webhooks, receiver.Url, WebhookEventTypes.PostPublished, WebhookEventTypes.PostDeferred);

        // Three posts, each deferred and then published.
        var byPost = Enumerable.Range(1, 3)
            .Select(post => new[] { Publication(ws, PublicationStatus.Deferred, revision: 1, post), Publication(ws, PublicationStatus.Published, revision: 2, post) })
            .ToList();
        var events = byPost.SelectMany(e => e).ToList();
        foreach (var e in events)
        {
            await webhooks.EmitAsync(e);
        }

        await WaitUntilAsync(() => receiver.Server.Requests.Count >= 3, TimeSpan.FromSeconds(10));
        receiver.ComeBack();
        var deliveries = await cluster.WaitForDeliveriesAsync(ws, hook, events.Count, TimeSpan.FromSeconds(15));
        await Task.Delay(TimeSpan.FromSeconds(1));

        // The oldest goes first (the probe that finds the receiver back); posts may then overtake each other, but each
        // post's events arrive in order.
        var accepted = receiver.Accepted;
        Assert.Equal(events[0].Id, accepted[0]);
        Assert.Equal(events.Select(e => e.Id).Order(StringComparer.Ordinal), accepted.Order(StringComparer.Ordinal));
        foreach (var post in byPost)
        {
            Assert.Equal(post.Select(e => e.Id), accepted.Where(id => post.Any(e => e.Id == id)));
        }

        Assert.Equal(0, receiver.SameResourceOverlaps);
        Assert.Equal(0, receiver.BadSignatures);
        Assert.All(deliveries, d => Assert.Equal(WebhookDeliveryStatus.Delivered, d.Status));
        var first = deliveries.Single(d => d.EventId == events[0].Id);
        Assert.True(first.AttemptCount >= 3);
        Assert.All(first.Attempts.SkipLast(1), a => Assert.Equal(503, a.StatusCode));
        Assert.Equal(200, first.Attempts[^1].StatusCode);
    }

    [Fact]
    public async Task A_delivery_still_failing_when_its_retry_window_ends_is_marked_failed_with_its_recent_attempts()
    {
        var settings = WebhookCluster.FastWebhooks();
        settings["PostNext:Webhooks:RetryFor"] = "00:00:03";
        settings["PostNext:Webhooks:MaxRetryDelay"] = "00:00:00.500";
        settings["PostNext:Webhooks:AttemptsKept"] = "3";
        await using var cluster = await WebhookCluster.StartInMemoryAsync(settings);
        await using var receiver = await WebhookReceiver.StartAsync(Secret, down: true);
        var ws = Ids.New(Ids.Workspace);
        var webhooks = cluster.Client.GetGrain<IWebhooksGrain>(ws);
        var hook = await CreateAsync(webhooks, receiver.Url, WebhookEventTypes.PostFailed);

        await webhooks.EmitAsync(Publication(ws, PublicationStatus.Failed, revision: 1));
        var delivery = Assert.Single(await cluster.WaitForDeliveriesAsync(ws, hook, 1, TimeSpan.FromSeconds(15)));

        Assert.Equal(WebhookDeliveryStatus.Failed, delivery.Status);
        Assert.Null(delivery.NextAttemptAt);
        Assert.True(delivery.AttemptCount > 3, $"only {delivery.AttemptCount} attempts");
        Assert.Equal(3, delivery.Attempts.Count);
        Assert.All(delivery.Attempts, a => Assert.Equal(503, a.StatusCode));
        var last = delivery.Attempts[^1];
        Assert.True(last.At.AddMilliseconds(last.DurationMs + 100) >= delivery.CreatedAt.AddSeconds(3), "retries go on until the retry deadline");
    }

    [Fact]
    public async Task Loopback_private_and_plain_http_receivers_are_refused_unless_private_networks_are_allowed()
    {
        await using var cluster = await WebhookCluster.StartInMemoryAsync(WebhookCluster.FastWebhooks(allowPrivateNetworks: false));
        var webhooks = cluster.Client.GetGrain<IWebhooksGrain>(Ids.New(Ids.Workspace));
        string[] refused =
        [
            "https://127.0.0.1/hooks", "https://localhost/hooks", "https://api.localhost/hooks", "https://10.1.2.3/hooks",
            "https://192.168.1.10/hooks", "https://172.20.0.5/hooks", "https://169.254.169.254/latest/meta-data", "https://100.64.0.1/hooks",
            "https://0.0.0.0/hooks", "https://[::1]/hooks", "https://[fd00::1]/hooks", "https://[fe80::1]/hooks", "https://[::ffff:127.0.0.1]/hooks",
            "http://93.184.216.34/hooks",
        ];

        foreach (var url in refused)
        {
            var result = await webhooks.CreateAsync(new CreateWebhook(url, [WebhookEventTypes.PostPublished], null));
            var problem = Assert.Single(result.Problems);
            Assert.Equal("url", problem.Field);
            Assert.Null(result.Webhook);
        }

        var accepted = await webhooks.CreateAsync(new CreateWebhook("https://93.184.216.34/hooks", [WebhookEventTypes.PostPublished], null));
        Assert.Empty(accepted.Problems);
        Assert.NotNull(accepted.GeneratedSecret);
        Assert.Single(await webhooks.ListAsync());
    }

    [Fact]
    public async Task A_workspace_has_a_bounded_number_of_webhooks_and_a_deleted_one_drops_its_deliveries()
    {
        var settings = WebhookCluster.FastWebhooks();
        settings["PostNext:Webhooks:MaxPerWorkspace"] = "2";
        await using var cluster = await WebhookCluster.StartInMemoryAsync(settings);
        await using var receiver = await WebhookReceiver.StartAsync(Secret, down: true);
        var ws = Ids.New(Ids.Workspace);
        var webhooks = cluster.Client.GetGrain<IWebhooksGrain>(ws);
        var first = await CreateAsync(webhooks, receiver.Url, WebhookEventTypes.PostPublished);
        await CreateAsync(webhooks, receiver.Url, WebhookEventTypes.PostPublished);

        var third = await webhooks.CreateAsync(new CreateWebhook(receiver.Url, [WebhookEventTypes.PostPublished], new Secret(Secret)));
        Assert.NotNull(third.Conflict);
        Assert.Null(third.Webhook);

        await webhooks.EmitAsync(Publication(ws, PublicationStatus.Published, revision: 1));
        Assert.Single(await cluster.Store.ListAsync(ws, first, 10));
        Assert.True(await webhooks.DeleteAsync(first));
        Assert.Empty(await cluster.Store.ListAsync(ws, first, 10));
        Assert.Null(await webhooks.GetDeliveriesAsync(first, 10));
        Assert.Single(await webhooks.ListAsync());
    }

    private static async Task<string> CreateAsync(IWebhooksGrain webhooks, string url, params string[] events)
    {
        var result = await webhooks.CreateAsync(new CreateWebhook(url, events, new Secret(Secret)));
        Assert.Empty(result.Problems);
        Assert.Null(result.GeneratedSecret);
        return result.Webhook!.Id;
    }

    private static PublicationView PublicationView(PublicationStatus status, long post = 1) => new(
        $"post{post:D19}", "acc00000000000000000001", "sandbox", status, DateTimeOffset.Parse("2030-01-01T09:00:00Z", System.Globalization.CultureInfo.InvariantCulture),
        status == PublicationStatus.Deferred ? DateTimeOffset.UtcNow.AddMinutes(5) : null, null,
        status == PublicationStatus.Published ? "ext-1" : null, null, null,
        status == PublicationStatus.Failed ? new PublicationError(ErrorCategory.Auth, "token revoked") : null, false, 1, PostContent.Empty, "UTC");

    /// <summary>
    /// An event of publication number <paramref name="post"/> (by default <paramref name="revision"/>: a final outcome
    /// happens once per publication, so distinct events need distinct posts).
    /// </summary>
    private static WebhookEvent Publication(string ws, PublicationStatus status, long revision, long? post = null) =>
        WebhookEvents.ForPublication(ws, PublicationView(status, post: post ?? revision), revision, DateTimeOffset.UtcNow)!;

    private static Task WaitUntilAsync(Func<bool> condition, TimeSpan timeout) => WebhookWait.UntilAsync(condition, timeout, () => "timed out");
}
