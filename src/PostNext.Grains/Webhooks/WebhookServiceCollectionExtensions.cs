using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using PostNext.Storage.Webhooks;

namespace PostNext.Grains.Webhooks;

public static class WebhookServiceCollectionExtensions
{
    /// <summary>
    /// What the webhook grains need: their options (<c>PostNext:Webhooks</c>, validated at start-up), the deliveries
    /// store (PostgreSQL in cluster mode, memory when embedded), the secret vault, the guarded HTTP client and the
    /// backlog gauges' refresher.
    /// </summary>
    public static IServiceCollection AddPostNextWebhooks(this IServiceCollection services, IConfiguration configuration, bool persistInPostgres)
    {
        services.AddOptions<WebhookOptions>()
            .Bind(configuration.GetSection(WebhookOptions.SectionName))
            .Validate(o => !o.Problems().Any(), $"Invalid {WebhookOptions.SectionName} settings (see {nameof(WebhookOptions)}).")
            .ValidateOnStart();
        services.AddPostNextWebhookStore(persistInPostgres);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<WebhookSecretVault>();
        services.TryAddSingleton(sp => new WebhookUrlPolicy(sp.GetRequiredService<IOptions<WebhookOptions>>()));
        services.TryAddSingleton<WebhookSender>();
        services.AddHostedService<WebhookBacklogRefresher>();
        services.AddHttpClient(WebhookSender.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => sp.GetRequiredService<WebhookUrlPolicy>().CreateHandler());
        return services;
    }
}
