using PostNext.Abstractions;
using PostNext.Abstractions.Posts;
using PostNext.Abstractions.Webhooks;

namespace PostNext.Grains.Tests.Webhooks;

/// <summary>On PostgreSQL: webhooks, their encrypted secrets and pending deliveries survive a full cluster restart, and the reminder resumes delivery.</summary>
[Collection(PostgresCollection.Name)]
public sealed class WebhookRestartTests(PostgresFixture postgres)
{
    private const string Secret = "restart-tests-webhook-secret";

    [Fact]
    public async Task Deliveries_pending_when_the_cluster_stops_are_delivered_once_each_after_it_restarts()
    {
        var database = await postgres.CreateDatabaseAsync();
        var serviceId = Guid.NewGuid().ToString("N");
        await using var receiver = await WebhookReceiver.StartAsync(Secret, down: true);
        var ws = Ids.New(Ids.Workspace);
        string hook;
        List<WebhookEvent> events;

        await using (var before = await WebhookCluster.StartOnPostgresAsync(database, serviceId))
        {
            var webhooks = before.Client.GetGrain<IWebhooksGrain>(ws);
            var created = await webhooks.CreateAsync(new CreateWebhook(receiver.Url, [WebhookEventTypes.PostPublished], new Secret(Secret)));
            hook = created.Webhook!.Id;
            events = Enumerable.Range(1, 3)
                .Select(i => WebhookEvents.ForPublication(ws, Publication($"post{i:D20}"), 3, DateTimeOffset.UtcNow)!)
                .ToList();
            foreach (var e in events)
            {
                await webhooks.EmitAsync(e);
            }

            var deadline = DateTime.UtcNow.AddSeconds(15);
            while (receiver.Server.Requests.Count < 2)
            {
                Assert.True(DateTime.UtcNow < deadline, "the receiver was never called before the restart");
                await Task.Delay(50);
            }
        }

        var pending = await ReadAsync(database, ws, hook);
        Assert.Equal(3, pending.Count);
        Assert.All(pending, d => Assert.Equal(WebhookDeliveryStatus.Pending, d.Status));
        receiver.ComeBack();

        // Nothing touches the webhook after the restart: only its reminder can bring the deliveries back.
        await using var after = await WebhookCluster.StartOnPostgresAsync(database, serviceId);
        var delivered = await after.WaitForDeliveriesAsync(ws, hook, 3, TimeSpan.FromSeconds(40));
        await Task.Delay(TimeSpan.FromSeconds(2));

        // Three posts: each event once, in any order across posts.
        Assert.Equal(events.Select(e => e.Id).Order(StringComparer.Ordinal), receiver.Accepted.Order(StringComparer.Ordinal));
        Assert.Equal(0, receiver.BadSignatures);
        Assert.All(delivered, d => Assert.Equal(WebhookDeliveryStatus.Delivered, d.Status));
        Assert.True(delivered.Single(d => d.EventId == events[0].Id).AttemptCount >= 2);
        Assert.Single(await after.Client.GetGrain<IWebhooksGrain>(ws).ListAsync());
    }

    private static async Task<IReadOnlyList<WebhookDelivery>> ReadAsync(string database, string ws, string hook)
    {
        await using var dataSource = Npgsql.NpgsqlDataSource.Create(database);
        return await new Storage.Webhooks.PostgresWebhookDeliveryStore(dataSource).ListAsync(ws, hook, 100);
    }

    private static PublicationView Publication(string postId) => new(
        postId, "acc00000000000000000001", "sandbox", PublicationStatus.Published, DateTimeOffset.UtcNow, null, null, "ext", null,
        DateTimeOffset.UtcNow, null, false, 1, PostContent.Empty, "UTC");
}
