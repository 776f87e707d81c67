using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Http.Resilience;
using Microsoft.Extensions.Options;
using Polly;
using PostNext.Platforms.Common;
using PostNext.Abstractions.Platforms;
using PostNext.Platforms.Facebook;
using PostNext.Platforms.Instagram;
using PostNext.Platforms.LinkedIn;
using PostNext.Platforms.Sandbox;
using PostNext.Platforms.TikTok;
using PostNext.Platforms.YouTube;
using PostNext.Platforms.X;
using PostNext.Content.Addresses;
using PostNext.Content.Media;
using PostNext.Content.Rules;

namespace PostNext.Platforms;

public static class PlatformServiceCollectionExtensions
{
    /// <summary>Every platform connector, its options (defaults overlaid by <c>PostNext:Platforms:&lt;id&gt;</c>) and HTTP client.</summary>
    public static IServiceCollection AddPostNextPlatforms(this IServiceCollection services, IConfiguration configuration)
    {
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton<IPlatformConnector, SandboxConnector>();
        services.AddOptions<MediaOptions>().Bind(configuration.GetSection(MediaOptions.SectionName));
        services.AddHttpClient(MediaFetcher.HttpClientName, c => c.Timeout = Timeout.InfiniteTimeSpan)
            .ConfigurePrimaryHttpMessageHandler(sp => MediaFetcher.CreateHandler(sp.GetRequiredService<IOptions<MediaOptions>>().Value));
        services.TryAddSingleton<MediaFetcher>();
        services.TryAddSingleton(sp => MediaInspector.Create(sp.GetRequiredService<IOptions<MediaOptions>>().Value));
        services.TryAddSingleton(_ => PlatformLimitsCatalog.FromConfiguration(configuration));
        services.TryAddSingleton<MediaChecker>();
        services.TryAddSingleton<PlatformConnectors>();
        services.AddConnector<XConnector>(configuration, PlatformIds.X, XConnector.Defaults);
        services.AddConnector<LinkedInConnector>(configuration, PlatformIds.LinkedIn, LinkedInConnector.Defaults);
        services.AddConnector<FacebookConnector>(configuration, PlatformIds.Facebook, FacebookConnector.Defaults);
        services.AddConnector<InstagramConnector>(configuration, PlatformIds.Instagram, InstagramConnector.Defaults);
        services.AddConnector<TikTokConnector>(configuration, PlatformIds.TikTok, TikTokConnector.Defaults);
        services.AddConnector<YouTubeConnector>(configuration, PlatformIds.YouTube, YouTubeConnector.Defaults);
        // Tagged "ready" (the readiness endpoint's tag): a version close to retirement shows as Degraded there, still 200.
        services.AddHealthChecks().AddCheck<LinkedInApiVersionHealthCheck>("linkedin-api-version", tags: ["ready"]);
        return services;
    }

    /// <summary>
    /// Registers one connector: its named options (the connector's defaults, then configuration) and a named HTTP
    /// client whose resilience pipeline retries only reads. A create is never retried by the pipeline: that decision
    /// belongs to the publication grain, which reconciles first.
    /// </summary>
    public static IServiceCollection AddConnector<TConnector>(
        this IServiceCollection services, IConfiguration configuration, string platform, PlatformOptions defaults)
        where TConnector : class, IPlatformConnector
    {
        services.AddOptions<PlatformOptions>(platform)
            .Configure(o => Copy(defaults, o))
            .Bind(configuration.GetSection($"{PlatformOptions.SectionPrefix}:{platform}"));
        if (services.Any(d => d.ServiceType == typeof(IPlatformConnector) && d.ImplementationType == typeof(TConnector)))
        {
            // Registered already: the defaults above are layered on, the client and connector stay single.
            return services;
        }

        services.AddHttpClient(PlatformConnectorBase.HttpClientName(platform), c => c.Timeout = Timeout.InfiniteTimeSpan)
            .AddResilienceHandler(platform, (pipeline, context) =>
            {
                var configured = context.ServiceProvider.GetRequiredService<IOptionsMonitor<PlatformOptions>>();
                pipeline.AddRetry(new HttpRetryStrategyOptions
                {
                    MaxRetryAttempts = 2,
                    BackoffType = DelayBackoffType.Exponential,
                    UseJitter = true,
                    Delay = TimeSpan.FromMilliseconds(200),
                    ShouldHandle = args => ValueTask.FromResult(
                        args.Outcome.Result?.RequestMessage?.Method == HttpMethod.Get &&
                        HttpClientResiliencePredicates.IsTransient(args.Outcome)),
                });
                // The configured timeout, read per call, so PostNext:Platforms:<id>:RequestTimeout applies.
                pipeline.AddTimeout(new HttpTimeoutStrategyOptions
                {
                    TimeoutGenerator = _ => ValueTask.FromResult(configured.Get(platform).RequestTimeout),
                });
            });
        services.AddSingleton<IPlatformConnector, TConnector>();
        return services;
    }

    private static void Copy(PlatformOptions from, PlatformOptions to)
    {
        to.ClientId = from.ClientId;
        to.ClientSecret = from.ClientSecret;
        to.ApiBaseUrl = from.ApiBaseUrl;
        to.UploadBaseUrl = from.UploadBaseUrl;
        to.AuthorizeUrl = from.AuthorizeUrl;
        to.TokenUrl = from.TokenUrl;
        to.RevokeUrl = from.RevokeUrl;
        to.Scopes = from.Scopes;
        to.ApiVersion = from.ApiVersion;
        to.RequestTimeout = from.RequestTimeout;
        to.PollInterval = from.PollInterval;
        to.ProcessingTimeout = from.ProcessingTimeout;
        to.ChunkSizeBytes = from.ChunkSizeBytes;
    }
}
