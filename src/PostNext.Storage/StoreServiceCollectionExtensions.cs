using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PostNext.Storage.Analytics;
using PostNext.Storage.Calendar;
using PostNext.Storage.Posts;
using PostNext.Storage.Members;
using PostNext.Storage.Sandbox;

namespace PostNext.Storage;

public static class StoreServiceCollectionExtensions
{
    /// <summary>Our own tables in process memory: the embedded mode (nothing is kept).</summary>
    public static IServiceCollection AddPostNextInMemoryStores(this IServiceCollection services)
    {
        services.TryAddSingleton<ICalendarStore, InMemoryCalendarStore>();
        services.TryAddSingleton<IPostStore, InMemoryPostStore>();
        services.TryAddSingleton<ISandboxStore, InMemorySandboxStore>();
        services.TryAddSingleton<IMetricsStore, InMemoryMetricsStore>();
        return services;
    }

    /// <summary>Our own tables in PostgreSQL (cluster mode); needs <see cref="PostgresServiceCollectionExtensions.AddPostNextPostgres"/>.</summary>
    public static IServiceCollection AddPostNextPostgresStores(this IServiceCollection services)
    {
        services.TryAddSingleton<ICalendarStore, PostgresCalendarStore>();
        services.TryAddSingleton<IPostStore, PostgresPostStore>();
        services.TryAddSingleton<ISandboxStore, PostgresSandboxStore>();
        services.TryAddSingleton<IMetricsStore, PostgresMetricsStore>();
        return services;
    }

    /// <summary>
    /// People, roles and invitations: in PostgreSQL when <paramref name="postgres"/> (needs
    /// <see cref="PostgresServiceCollectionExtensions.AddPostNextPostgres"/>), else in process memory. Every web host
    /// registers it (silo and front alike), whatever else it stores.
    /// </summary>
    public static IServiceCollection AddPostNextMemberStore(this IServiceCollection services, bool postgres)
    {
        if (postgres)
        {
            services.TryAddSingleton<IMemberStore, PostgresMemberStore>();
        }
        else
        {
            services.TryAddSingleton<IMemberStore, InMemoryMemberStore>();
        }

        return services;
    }
}
