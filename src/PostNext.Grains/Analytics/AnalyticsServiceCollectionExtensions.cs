using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PostNext.Storage.Analytics;

namespace PostNext.Grains.Analytics;

public static class AnalyticsServiceCollectionExtensions
{
    /// <summary>
    /// Analytics options (<c>PostNext:Analytics</c>), the analytics clock (the silo's time unless one is registered), and
    /// the in-memory snapshot store where no other one was registered (hosts register theirs first).
    /// </summary>
    public static IServiceCollection AddPostNextAnalytics(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<AnalyticsOptions>().Bind(configuration.GetSection(AnalyticsOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(sp => new AnalyticsClock(sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<IMetricsStore, InMemoryMetricsStore>();
        return services;
    }
}
