using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PostNext.Storage.Analytics;
using PostNext.Storage.Calendar;
using PostNext.Storage.Posts;
using PostNext.Storage.Sandbox;

namespace PostNext.Storage;

public static class StoreServiceCollectionExtensions
{
    /// <summary>Our own tables in process memory: the embedded mode (nothing is kept).</summary>
    public static IServiceCollection AddPostNextInMemoryStores(this IServiceCollection services)
    {
        services.TryAddSingleton<ICalendarStore, InMemoryCalendarStore>();
        services.TryAddSingleton<IPostIndexStore, InMemoryPostIndexStore>();
        services.TryAddSingleton<ISandboxStore, InMemorySandboxStore>();
        services.TryAddSingleton<IMetricsStore, InMemoryMetricsStore>();
        return services;
    }

    /// <summary>Our own tables in PostgreSQL (cluster mode); needs <see cref="PostgresServiceCollectionExtensions.AddPostNextPostgres"/>.</summary>
    public static IServiceCollection AddPostNextPostgresStores(this IServiceCollection services)
    {
        services.TryAddSingleton<ICalendarStore, PostgresCalendarStore>();
        services.TryAddSingleton<IPostIndexStore, PostgresPostIndexStore>();
        services.TryAddSingleton<ISandboxStore, PostgresSandboxStore>();
        services.TryAddSingleton<IMetricsStore, PostgresMetricsStore>();
        return services;
    }
}
