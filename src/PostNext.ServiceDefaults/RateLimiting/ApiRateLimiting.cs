using System.Globalization;
using System.Threading.RateLimiting;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.RateLimiting;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using PostNext.ServiceDefaults.Security;

namespace PostNext.ServiceDefaults.RateLimiting;

/// <summary>Our own API's rate limit, under <c>PostNext:ApiRateLimit</c>: a token bucket per API key (per client address without one).</summary>
public sealed class ApiRateLimitOptions
{
    public const string SectionName = "PostNext:ApiRateLimit";

    /// <summary>Sustained requests per minute per key.</summary>
    public int PermitsPerMinute { get; set; } = 600;

    /// <summary>Requests a key may send at once before the sustained rate applies.</summary>
    public int Burst { get; set; } = 100;
}

public static class ApiRateLimiting
{
    public static IServiceCollection AddPostNextApiRateLimiting(this IServiceCollection services, IConfiguration configuration)
    {
        var settings = configuration.GetSection(ApiRateLimitOptions.SectionName).Get<ApiRateLimitOptions>() ?? new ApiRateLimitOptions();
        services.AddRateLimiter(options =>
        {
            options.RejectionStatusCode = StatusCodes.Status429TooManyRequests;
            options.GlobalLimiter = PartitionedRateLimiter.Create<HttpContext, string>(context => Partition(context, settings));
            options.OnRejected = async (rejected, cancellationToken) =>
            {
                var retryAfter = rejected.Lease.TryGetMetadata(MetadataName.RetryAfter, out var wait) ? wait : TimeSpan.FromSeconds(1);
                var seconds = Math.Max(1, (int)Math.Ceiling(retryAfter.TotalSeconds));
                rejected.HttpContext.Response.Headers.RetryAfter = seconds.ToString(CultureInfo.InvariantCulture);
                await Results.Problem(
                    statusCode: StatusCodes.Status429TooManyRequests,
                    title: "Too many requests",
                    detail: $"This key sent more than {settings.PermitsPerMinute} requests per minute (burst {settings.Burst}); retry after {seconds} s.")
                    .ExecuteAsync(rejected.HttpContext);
            };
        });
        return services;
    }

    private static RateLimitPartition<string> Partition(HttpContext context, ApiRateLimitOptions settings)
    {
        var path = context.Request.Path;
        if (path.StartsWithSegments("/health") || path.StartsWithSegments("/dashboard"))
        {
            return RateLimitPartition.GetNoLimiter("unlimited");
        }

        var user = context.User;
        var key = user.Identity?.IsAuthenticated == true
            ? user.FindFirst(ApiKeyDefaults.KeyIdClaim)?.Value ?? "operator"
            : "address:" + context.Connection.RemoteIpAddress;
        return RateLimitPartition.GetTokenBucketLimiter(key, _ => new TokenBucketRateLimiterOptions
        {
            TokenLimit = Math.Max(1, settings.Burst),
            TokensPerPeriod = Math.Max(1, settings.PermitsPerMinute / 60),
            ReplenishmentPeriod = TimeSpan.FromSeconds(1),
            QueueLimit = 0,
            AutoReplenishment = true,
        });
    }
}
