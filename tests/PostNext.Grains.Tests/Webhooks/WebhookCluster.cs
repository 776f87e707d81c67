using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging.Abstractions;
using Npgsql;
using Orleans.Configuration;
using Orleans.Hosting;
using Orleans.TestingHost;
using PostNext.Abstractions;
using PostNext.Abstractions.Webhooks;
using PostNext.Grains.Webhooks;
using PostNext.Storage.DataProtection;
using PostNext.Storage.Migrations;
using PostNext.Storage.Webhooks;

namespace PostNext.Grains.Tests.Webhooks;

/// <summary>
/// A one-silo TestingHost cluster wired like a real silo for webhooks (<c>AddPostNextWebhooks</c>), on in-memory
/// providers or on PostgreSQL (grain state, reminders, the key ring and the deliveries table). Retries after 200 ms
/// … 1 s and a 2-second reminder, so retries and restarts show within seconds.
/// </summary>
public sealed class WebhookCluster : IAsyncDisposable
{
    private readonly NpgsqlDataSource? _dataSource;

    private WebhookCluster(InProcessTestCluster cluster, IWebhookDeliveryStore store, NpgsqlDataSource? dataSource)
    {
        Cluster = cluster;
        Store = store;
        _dataSource = dataSource;
    }

    public InProcessTestCluster Cluster { get; }

    public IClusterClient Client => Cluster.Client;

    /// <summary>The deliveries store the silo uses (the same instance, or the same table).</summary>
    public IWebhookDeliveryStore Store { get; }

    public static Dictionary<string, string?> FastWebhooks(bool allowPrivateNetworks = true) => new()
    {
        ["PostNext:Webhooks:AllowPrivateNetworks"] = allowPrivateNetworks ? "true" : "false",
        ["PostNext:Webhooks:InitialRetryDelay"] = "00:00:00.200",
        ["PostNext:Webhooks:MaxRetryDelay"] = "00:00:01",
        ["PostNext:Webhooks:ReminderPeriod"] = "00:00:02",
        ["PostNext:Webhooks:RequestTimeout"] = "00:00:03",
    };

    /// <summary>On in-memory providers; <paramref name="reminders"/> replaces the in-memory reminder table (to make reminder writes fail).</summary>
    public static async Task<WebhookCluster> StartInMemoryAsync(
        IDictionary<string, string?>? settings = null, IWebhookDeliveryStore? store = null, IReminderTable? reminders = null)
    {
        store ??= new InMemoryWebhookDeliveryStore();
        var builder = NewBuilder(Guid.NewGuid().ToString("N"), settings ?? FastWebhooks(), persistInPostgres: false);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UseInMemoryProviders();
            if (reminders is not null)
            {
                silo.Services.AddSingleton(reminders);
            }

            silo.Services.AddSingleton<IWebhookDeliveryStore>(store);
            silo.Services.AddPostNextDataProtection(persistInPostgres: false, null);
        });
        return await DeployAsync(builder, store, null);
    }

    /// <summary>On PostgreSQL; the same database and service id find the same webhooks, deliveries and reminders after a restart.</summary>
    public static async Task<WebhookCluster> StartOnPostgresAsync(string connectionString, string serviceId, IDictionary<string, string?>? settings = null)
    {
        var dataSource = NpgsqlDataSource.Create(connectionString);
        await new SchemaMigrator(dataSource, NullLogger<SchemaMigrator>.Instance).ApplyAsync();
        var store = new PostgresWebhookDeliveryStore(dataSource);
        var builder = NewBuilder(serviceId, settings ?? FastWebhooks(), persistInPostgres: true);
        builder.ConfigureSilo((_, silo) =>
        {
            silo.UsePostgresProviders(connectionString);
            silo.Services.AddSingleton(dataSource);
            silo.Services.AddPostNextDataProtection(persistInPostgres: true, "webhook-tests-key-ring-secret");
        });
        return await DeployAsync(builder, store, dataSource);
    }

    private static InProcessTestClusterBuilder NewBuilder(string serviceId, IDictionary<string, string?> settings, bool persistInPostgres)
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ServiceId = serviceId;
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
            silo.Services.AddPostNextWebhooks(configuration, persistInPostgres);
            silo.Services.Configure<ReminderOptions>(o =>
            {
                o.MinimumReminderPeriod = TimeSpan.FromSeconds(1);
                o.RefreshReminderListPeriod = TimeSpan.FromSeconds(2);
                o.InitializationTimeout = TimeSpan.FromSeconds(30);
            });
        });
        return builder;
    }

    private static async Task<WebhookCluster> DeployAsync(InProcessTestClusterBuilder builder, IWebhookDeliveryStore store, NpgsqlDataSource? dataSource)
    {
        var cluster = builder.Build();
        await cluster.DeployAsync();
        return new WebhookCluster(cluster, store, dataSource);
    }

    /// <summary>A new workspace with one webhook to <paramref name="url"/> for <paramref name="events"/>, signed with <paramref name="secret"/>.</summary>
    public async Task<(string Ws, IWebhooksGrain Webhooks, string Hook)> SubscribeAsync(string url, string secret, params string[] events)
    {
        var ws = Ids.New(Ids.Workspace);
        var webhooks = Client.GetGrain<IWebhooksGrain>(ws);
        var created = await webhooks.CreateAsync(new CreateWebhook(url, events, new Secret(secret)));
        return (ws, webhooks, created.Webhook!.Id);
    }

    /// <summary>Polls a webhook's deliveries until <paramref name="count"/> of them exist and none is pending.</summary>
    public async Task<IReadOnlyList<WebhookDelivery>> WaitForDeliveriesAsync(string workspaceId, string webhookId, int count, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var deliveries = await Store.ListAsync(workspaceId, webhookId, 1000);
            if (deliveries.Count >= count && deliveries.All(d => d.Status != WebhookDeliveryStatus.Pending))
            {
                return deliveries;
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{deliveries.Count(d => d.Status == WebhookDeliveryStatus.Pending)} of {deliveries.Count} deliveries still pending after {timeout}.");
            }

            await Task.Delay(100);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Cluster.StopAllSilosAsync();
        await Cluster.DisposeAsync();
        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }
}
