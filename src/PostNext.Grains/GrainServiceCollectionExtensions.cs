using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PostNext.Grains.Accounts;
using PostNext.Grains.Analytics;
using PostNext.Grains.Limits;
using PostNext.Grains.Posts.Publishing;
using PostNext.Grains.Scheduling;
using PostNext.Platforms;

namespace PostNext.Grains;

public static class GrainServiceCollectionExtensions
{
    /// <summary>What the grains need from the silo's container: scheduling options and the platform connectors.</summary>
    public static IServiceCollection AddPostNextGrains(this IServiceCollection services, IConfiguration configuration)
    {
        services.AddOptions<SchedulingOptions>().Bind(configuration.GetSection(SchedulingOptions.SectionName));
        services.AddPostNextPlatforms(configuration);
        services.AddSingleton<TokenVault>();
        services.AddSingleton<PublishThrottle>();
        services.AddSingleton<AttemptRunner>();
        services.AddSingleton<SiloLiveness>();
        services.AddSingleton<ArmedBuckets>();
        services.AddOptions<RateLimitOptions>().Bind(configuration.GetSection(RateLimitOptions.SectionName));
        services.AddOptions<AccountOptions>().Bind(configuration.GetSection(AccountOptions.SectionName));
        services.AddPostNextAnalytics(configuration);
        return services;
    }
}
