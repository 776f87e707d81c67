using Npgsql;
using Microsoft.Extensions.Logging.Abstractions;
using PostNext.Abstractions;
using PostNext.Abstractions.Webhooks;
using PostNext.Storage.Migrations;
using PostNext.Storage.Webhooks;

namespace PostNext.Grains.Tests.Webhooks;

/// <summary>The deliveries store's contract, run against the in-memory twin and the PostgreSQL table.</summary>
public abstract class WebhookDeliveryStoreContract
{
    private static readonly DateTimeOffset T0 = new(2030, 1, 1, 9, 0, 0, TimeSpan.Zero);

    protected abstract Task<IWebhookDeliveryStore> CreateStoreAsync();

    [Fact]
    public async Task Deliveries_are_added_once_due_in_order_updated_postponed_listed_newest_first_and_pruned()
    {
        var store = await CreateStoreAsync();
        var ws = Ids.New(Ids.Workspace);
        var hook = Ids.New(WebhookIds.Webhook);
        var other = Ids.New(WebhookIds.Webhook);
        var deliveries = Enumerable.Range(0, 4).Select(i => Delivery(ws, hook, $"evt{i}", T0.AddSeconds(10 - i))).ToList();

        Assert.Equal(4, await store.AddAsync(deliveries));
        Assert.Equal(0, await store.AddAsync([deliveries[1]]));
        Assert.Equal(1, await store.AddAsync([Delivery(ws, other, "evt0", T0)]));

        var due = await store.DueAsync(ws, hook, T0.AddSeconds(9), 10);
        Assert.Equal(["evt1", "evt2", "evt3"], due.Select(d => d.EventId));
        Assert.Equal(["evt1", "evt2"], (await store.DueAsync(ws, hook, T0.AddSeconds(9), 2)).Select(d => d.EventId));
        Assert.Equal(T0.AddSeconds(7), await store.NextDueAsync(ws, hook));

        var attempts = new[] { new WebhookAttempt(T0.AddSeconds(8), 503, "HTTP 503: maintenance", 12), new WebhookAttempt(T0.AddSeconds(9), null, "no answer", 3000) };
        await store.UpdateAsync(deliveries[3] with { AttemptCount = 2, NextAttemptAt = T0.AddMinutes(1), Attempts = attempts });
        await store.UpdateAsync(deliveries[2] with { Status = WebhookDeliveryStatus.Delivered, AttemptCount = 1, NextAttemptAt = null, DeliveredAt = T0.AddSeconds(9) });
        await store.PostponeAsync(ws, hook, T0.AddSeconds(30));

        var listed = await store.ListAsync(ws, hook, 10);
        Assert.Equal(["evt3", "evt2", "evt1", "evt0"], listed.Select(d => d.EventId));
        Assert.Equal(attempts, listed[0].Attempts);
        Assert.Equal(T0.AddMinutes(1), listed[0].NextAttemptAt);
        Assert.Equal(WebhookDeliveryStatus.Delivered, listed[1].Status);
        Assert.Equal(T0.AddSeconds(9), listed[1].DeliveredAt);
        Assert.Equal(T0.AddSeconds(30), listed[2].NextAttemptAt);
        Assert.Equal(["evt3"], (await store.ListAsync(ws, hook, 1)).Select(d => d.EventId));
        Assert.Equal(T0.AddSeconds(30), await store.NextDueAsync(ws, hook));
        Assert.Equal("{\"id\":\"evt0\"}", listed[3].Payload);

        await store.PruneAsync(ws, hook, T0.AddDays(1));
        Assert.Equal(["evt3", "evt1", "evt0"], (await store.ListAsync(ws, hook, 10)).Select(d => d.EventId));

        await store.RemoveWebhookAsync(ws, hook);
        Assert.Empty(await store.ListAsync(ws, hook, 10));
        Assert.Null(await store.NextDueAsync(ws, hook));
        Assert.Single(await store.ListAsync(ws, other, 10));
    }

    [Fact]
    public async Task The_backlog_counts_pending_deliveries_of_every_webhook_and_dates_the_oldest_ignoring_finished_ones()
    {
        var store = await CreateStoreAsync();
        Assert.Equal(new WebhookBacklog(0, null), await store.BacklogAsync());

        var ws = Ids.New(Ids.Workspace);
        var hook = Ids.New(WebhookIds.Webhook);
        var other = Ids.New(WebhookIds.Webhook);
        var old = Delivery(ws, hook, "evt0", T0) with { CreatedAt = T0.AddMinutes(-7) };
        var delivered = Delivery(ws, hook, "evt1", T0) with { CreatedAt = T0.AddMinutes(-30) };
        var failed = Delivery(ws, other, "evt2", T0) with { CreatedAt = T0.AddMinutes(-20) };
        await store.AddAsync([old, delivered, failed, Delivery(ws, other, "evt3", T0), Delivery(Ids.New(Ids.Workspace), Ids.New(WebhookIds.Webhook), "evt4", T0)]);
        Assert.Equal(new WebhookBacklog(5, T0.AddMinutes(-30)), await store.BacklogAsync());

        await store.UpdateAsync(delivered with { Status = WebhookDeliveryStatus.Delivered, AttemptCount = 1, NextAttemptAt = null, DeliveredAt = T0 });
        await store.UpdateAsync(failed with { Status = WebhookDeliveryStatus.Failed, AttemptCount = 9, NextAttemptAt = null });
        Assert.Equal(new WebhookBacklog(3, T0.AddMinutes(-7)), await store.BacklogAsync());

        await store.RemoveWebhookAsync(ws, hook);
        Assert.Equal(new WebhookBacklog(2, T0), await store.BacklogAsync());
    }

    private static WebhookDelivery Delivery(string ws, string hook, string eventId, DateTimeOffset nextAttempt) => new(
        WebhookIds.DeliveryFor(hook, eventId), ws, hook, eventId, WebhookEventTypes.PostPublished, $"{{\"id\":\"{eventId}\"}}", T0,
        WebhookDeliveryStatus.Pending, 0, nextAttempt, null, []);
}

public sealed class InMemoryWebhookDeliveryStoreTests : WebhookDeliveryStoreContract
{
    protected override Task<IWebhookDeliveryStore> CreateStoreAsync() => Task.FromResult<IWebhookDeliveryStore>(new InMemoryWebhookDeliveryStore());
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresWebhookDeliveryStoreTests(PostgresFixture postgres) : WebhookDeliveryStoreContract, IAsyncDisposable
{
    private NpgsqlDataSource? _dataSource;

    protected override async Task<IWebhookDeliveryStore> CreateStoreAsync()
    {
        _dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        await new SchemaMigrator(_dataSource, NullLogger<SchemaMigrator>.Instance).ApplyAsync();
        return new PostgresWebhookDeliveryStore(_dataSource);
    }

    public async ValueTask DisposeAsync()
    {
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }
}
