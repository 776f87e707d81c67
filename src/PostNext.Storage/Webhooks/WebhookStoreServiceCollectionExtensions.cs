using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace PostNext.Storage.Webhooks;

public static class WebhookStoreServiceCollectionExtensions
{
    /// <summary>
    /// The webhook deliveries store: PostgreSQL in cluster mode (needs <see cref="PostgresServiceCollectionExtensions.AddPostNextPostgres"/>),
    /// process memory when embedded.
    /// </summary>
    public static IServiceCollection AddPostNextWebhookStore(this IServiceCollection services, bool persistInPostgres)
    {
        if (persistInPostgres)
        {
            services.TryAddSingleton<IWebhookDeliveryStore, PostgresWebhookDeliveryStore>();
        }
        else
        {
            services.TryAddSingleton<IWebhookDeliveryStore, InMemoryWebhookDeliveryStore>();
        }

        return services;
    }
}
