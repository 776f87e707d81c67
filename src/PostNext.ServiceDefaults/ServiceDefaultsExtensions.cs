using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Server.Kestrel.Core;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Orleans.Dashboard;
using PostNext.ServiceDefaults.Configuration;
using PostNext.ServiceDefaults.Health;
using PostNext.ServiceDefaults.Observability;
using PostNext.ServiceDefaults.RateLimiting;
using PostNext.ServiceDefaults.Security;
using PostNext.Storage;

namespace PostNext.ServiceDefaults;

/// <summary>The wiring every PostNext web host (silo or API front) calls once.</summary>
public static class ServiceDefaultsExtensions
{
    /// <summary>The server-wide request body cap, above every route's own.</summary>
    public const long MaxRequestBodyBytes = 2 * 1024 * 1024;

    /// <summary>Options, operator-key auth, problem details, health checks, OpenTelemetry, and PostgreSQL in cluster mode.</summary>
    public static WebApplicationBuilder AddPostNextDefaults(this WebApplicationBuilder builder)
    {
        var services = builder.Services;
        var configuration = builder.Configuration;
        var mode = RunModes.FromConfiguration(configuration);

        services.AddOptions<PostNextOptions>().Bind(configuration.GetSection(PostNextOptions.SectionName));
        services.TryAddSingleton(TimeProvider.System);
        services.AddSingleton(OperatorKey.FromConfiguration(configuration));
        services.AddOptions<ApiKeyOptions>().Bind(configuration.GetSection(ApiKeyOptions.SectionName))
            .Validate(o => !o.Problems().Any(), $"Invalid {ApiKeyOptions.SectionName} settings: CacheFor must be between 0 and {ApiKeyOptions.MaxCacheFor}, CacheSize at least 1.")
            .ValidateOnStart();
        services.AddSingleton<VerifiedKeyCache>();
        services.AddSingleton(new HostingModeInfo(mode));

        // Every problem says what was wrong, also those the framework writes itself (no route, wrong method or content type).
        services.AddProblemDetails(o => o.CustomizeProblemDetails = context =>
            context.ProblemDetails.Detail ??= DefaultDetail(context.HttpContext, context.ProblemDetails.Status ?? context.HttpContext.Response.StatusCode));
        // No route reads more than 1 MiB (each has its own cap, answered 413); the server refuses bodies past 2 MiB outright.
        services.Configure<KestrelServerOptions>(o => o.Limits.MaxRequestBodySize = MaxRequestBodyBytes);
        services.AddAuthentication(ApiKeyDefaults.Scheme)
            .AddScheme<AuthenticationSchemeOptions, ApiKeyAuthenticationHandler>(ApiKeyDefaults.Scheme, null);
        services.AddAuthorizationBuilder()
            .AddPolicy(ApiKeyDefaults.OperatorPolicy, policy => policy.RequireRole(ApiKeyDefaults.OperatorRole));

        builder.AddPostNextTelemetry();
        services.AddPostNextApiRateLimiting(configuration);
        services.AddSingleton<Readiness>();
        services.AddHostedService<ShutdownReadinessWatcher>();
        services.AddHostedService<StartupBanner>();
        var health = services.AddHealthChecks()
            .AddCheck<ReadinessHealthCheck>("orleans", tags: [HealthEndpoints.ReadyTag]);

        if (mode == RunMode.Cluster)
        {
            services.AddPostNextPostgres(RunModes.ConnectionString(configuration)!);
            health.AddCheck<PostgresHealthCheck>("postgresql", tags: [HealthEndpoints.ReadyTag]);
        }

        return builder;
    }

    /// <summary>Error handling, auth, health endpoints, <c>/metrics</c> and (when enabled) the dashboard behind the operator key.</summary>
    public static WebApplication UsePostNextDefaults(this WebApplication app)
    {
        app.UseExceptionHandler();
        app.UseStatusCodePages();
        app.UsePostNextAddressRateLimit();
        app.UseAuthentication();
        app.UseRateLimiter();
        app.UseAuthorization();
        app.MapPostNextHealth();
        app.MapPostNextMetrics();

        var dashboard = app.Configuration.GetSection($"{PostNextOptions.SectionName}:Dashboard").Get<DashboardSettings>() ?? new DashboardSettings();
        if (dashboard.Enabled)
        {
            app.MapOrleansDashboard(dashboard.Path).RequireAuthorization(ApiKeyDefaults.OperatorPolicy).ExcludeFromDescription();
        }

        return app;
    }

    /// <summary>What a problem the framework wrote without a detail means, by status.</summary>
    private static string DefaultDetail(HttpContext http, int status) => status switch
    {
        StatusCodes.Status400BadRequest => "The request could not be read: a parameter or the body does not have the form this route expects.",
        StatusCodes.Status404NotFound => $"Nothing is at {http.Request.Method} {http.Request.Path}; see /openapi/v1.json for the routes.",
        StatusCodes.Status405MethodNotAllowed => $"{http.Request.Method} is not allowed on {http.Request.Path}.",
        StatusCodes.Status413PayloadTooLarge => $"The request body is larger than this server accepts ({MaxRequestBodyBytes} bytes at most).",
        StatusCodes.Status415UnsupportedMediaType => "Send the body as JSON with 'Content-Type: application/json'.",
        >= 500 => "The server could not answer this request; it has been logged.",
        _ => $"The request was refused ({status}).",
    };

    /// <summary>
    /// The dashboard's options from <c>PostNext:Dashboard</c>: live traces hidden outside Development unless configured
    /// otherwise, and its counters sampled every <see cref="DashboardSettings.CounterIntervalSeconds"/>.
    /// </summary>
    public static void ConfigureDashboard(this IHostEnvironment environment, Orleans.Dashboard.DashboardOptions options, DashboardSettings settings)
    {
        options.HideTrace = settings.HideTrace ?? !environment.IsDevelopment();
        options.CounterUpdateIntervalMs = Math.Max(1, settings.CounterIntervalSeconds) * 1000;
    }
}

/// <summary>The run mode this process was started in.</summary>
public sealed record HostingModeInfo(RunMode Mode);
