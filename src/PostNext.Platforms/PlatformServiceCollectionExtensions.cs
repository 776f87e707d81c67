using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using PostNext.Platforms.Sandbox;

namespace PostNext.Platforms;

public static class PlatformServiceCollectionExtensions
{
    /// <summary>Every platform connector and the registry that finds them.</summary>
    public static IServiceCollection AddPostNextPlatforms(this IServiceCollection services)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IPlatformConnector, SandboxConnector>();
        services.TryAddSingleton<PlatformConnectors>();
        return services;
    }
}
