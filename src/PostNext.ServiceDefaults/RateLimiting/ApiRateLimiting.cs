using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PostNext.ServiceDefaults.Security;

namespace PostNext.ServiceDefaults.RateLimiting;

/// <summary>
/// Our own API's rate limit, under <c>PostNext:ApiRateLimit</c>: first a token bucket per client address, applied
/// before any key is checked; then one per workspace (all its keys share it), one for the operator, and one per client
/// address for requests without a valid key.
/// </summary>
public sealed class ApiRateLimitOptions
{
    public const string SectionName = "PostNext:ApiRateLimit";

    /// <summary>Sustained requests per minute per workspace (per client address without a valid key).</summary>
    public int PermitsPerMinute { get; set; } = 600;

    /// <summary>Requests a workspace may send at once before the sustained rate applies.</summary>
    public int Burst { get; set; } = 100;

    /// <summary>
    /// Sustained requests per minute per client address, counted before authentication (never below
    /// <see cref="PermitsPerMinute"/>); 0 turns it off (e.g. behind a proxy that limits).
    /// </summary>
    public int AddressPermitsPerMinute { get; set; } = 1200;

    /// <summary>Requests one client address may send at once before its sustained rate applies (never below <see cref="Burst"/>).</summary>
    public int AddressBurst { get; set; } = 200;

    /// <summary>The per-address rate in force: one workspace's client must not be held below its own limit.</summary>
    public int EffectiveAddressPermitsPerMinute => AddressPermitsPerMinute <= 0 ? 0 : Math.Max(AddressPermitsPerMinute, PermitsPerMinute);

    /// <summary>The per-address burst in force.</summary>
    public int EffectiveAddressBurst => Math.Max(AddressBurst, Burst);
}

public static class ApiRateLimiting
{
    public static IServiceCollection AddPostNextApiRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(ApiRateLimitOptions.SectionName).Get<ApiRateLimitOptions>() ?? new ApiRateLimitOptions();
        services.AddSingleton(new AddressRateLimiter(settings));
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, settings));
            options.OnRejected = (rejected, _) => new ValueTask(WriteRejectionAsync(rejected.HttpContext, rejected.Lease,
                $"This workspace's keys sent more than {settings.PermitsPerMinute} requests per minute (burst {settings.Burst})"));
        });
        return services;
    }

    /// <summary>The per-address limit, in front of authentication, so a flood of made-up keys never reaches a workspace grain.</summary>
    public static IApplicationBuilder UsePostNextAddressRateLimit(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            using var lease = context.RequestServices.GetRequiredService<AddressRateLimiter>().Acquire(context);
            if (lease.IsAcquired)
            {
                await next(context);
                return;
            }

            var settings = context.RequestServices.GetRequiredService<AddressRateLimiter>().Settings;
            await WriteRejectionAsync(context, lease,
                $"This client address sent more than {settings.EffectiveAddressPermitsPerMinute} requests per minute (burst {settings.EffectiveAddressBurst})");
        });

    /// <summary>429 problem details with Retry-After (whole seconds, at least 1).</summary>
    private static Task WriteRejectionAsync(HttpContext context, RateLimitLease lease, string what)
    {
        var retryAfter = lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
        var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
        context.Response.StatusCode = StatusCodes.Status429TooManyRequests;
        context.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
        return Results.Problem(
            statusCode: StatusCodes.Status429TooManyRequests,
            title: "Too many requests",
            detail: $"{what}; retry after {seconds} s.")
            .ExecuteAsync(context);
    }

    private static bool IsUnlimited(PathString path) => path.StartsWithSegments("/health") || path.StartsWithSegments("/dashboard");

    private static RateLimitPartition<string> Partition(HttpContext context, ApiRateLimitOptions settings)
    {
        if (IsUnlimited(context.Request.Path))
        {
            return RateLimitPartition.GetNoLimiter("unlimited");
        }

        var user = context.User;
        var key = user.Identity?.IsAuthenticated == true
            ? user.FindFirst(ApiKeyDefaults.WorkspaceClaim)?.Value is { } workspace ? "workspace:" + workspace : "operator"
            : "address:" + context.Connection.RemoteIpAddress;
        return RateLimitPartition.GetTokenBucketLimiter(key, _ => Bucket(settings.Burst, settings.PermitsPerMinute));
    }

    private static TokenBucketRateLimiterOptions Bucket(int burst, int perMinute) => new()
    {
        TokenLimit = Math.Max(1, burst),
        TokensPerPeriod = Math.Max(1, perMinute / 60),
        ReplenishmentPeriod = TimeSpan.FromSeconds(1),
        QueueLimit = 0,
        AutoReplenishment = true,
    };

    /// <summary>One token bucket per client address.</summary>
    public sealed class AddressRateLimiter(ApiRateLimitOptions settings) : IDisposable
    {
        private readonly PartitionedRateLimiter<HttpContext> _limiter = PartitionedRateLimiter.Create<HttpContext, string>(context =>
            settings.EffectiveAddressPermitsPerMinute <= 0 || IsUnlimited(context.Request.Path)
                ? RateLimitPartition.GetNoLimiter("unlimited")
                : RateLimitPartition.GetTokenBucketLimiter(
                    context.Connection.RemoteIpAddress?.ToString() ?? "unknown",
                    _ => Bucket(settings.EffectiveAddressBurst, settings.EffectiveAddressPermitsPerMinute)));

        public ApiRateLimitOptions Settings => settings;

        public RateLimitLease Acquire(HttpContext context) => _limiter.AttemptAcquire(context);

        public void Dispose() => _limiter.Dispose();
    }
}
