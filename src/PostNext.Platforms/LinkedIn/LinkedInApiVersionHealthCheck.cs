using System.Globalization;
using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Options;
using PostNext.Abstractions.Platforms;
using PostNext.Platforms.Common;

namespace PostNext.Platforms.LinkedIn;

/// <summary>
/// Warns before the <c>LinkedIn-Version</c> this installation sends is retired. LinkedIn supports each monthly version
/// for about a year ("Marketing API versioning": 202511 is sunset on 16 Nov 2026) and then answers every call 426, so an
/// installation that keeps an old version stops publishing to LinkedIn on that day. The check reports Degraded (still
/// ready, HTTP 200) from <see cref="WarningWindow"/> before the estimated retirement, naming the setting to change.
/// </summary>
public sealed class LinkedInApiVersionHealthCheck(IOptionsMonitor<PlatformOptions> options, TimeProvider time) : IHealthCheck
{
    /// <summary>How long before the estimated retirement the check starts warning.</summary>
    public static readonly TimeSpan WarningWindow = TimeSpan.FromDays(60);

    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default)
    {
        var o = options.Get(PlatformIds.LinkedIn);
        if (!o.IsConfigured)
        {
            return Task.FromResult(HealthCheckResult.Healthy("LinkedIn is not configured."));
        }

        var version = string.IsNullOrWhiteSpace(o.ApiVersion) ? LinkedInConnector.DefaultApiVersion : o.ApiVersion;
        return Task.FromResult(Check(version, time.GetUtcNow()));
    }

    /// <summary>The verdict for <paramref name="version"/> at <paramref name="now"/>.</summary>
    public static HealthCheckResult Check(string version, DateTimeOffset now)
    {
        if (RetiresAround(version) is not { } retires)
        {
            return HealthCheckResult.Degraded(
                $"LinkedIn-Version '{version}' is not a YYYYMM version; set PostNext:Platforms:linkedin:ApiVersion to a current one.");
        }

        var when = retires.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
        if (now >= retires)
        {
            return HealthCheckResult.Degraded(
                $"LinkedIn-Version {version} was retired around {when}: LinkedIn refuses every call (426). " +
                "Set PostNext:Platforms:linkedin:ApiVersion to a current version.");
        }

        return now >= retires - WarningWindow
            ? HealthCheckResult.Degraded(
                $"LinkedIn-Version {version} is retired around {when}; set PostNext:Platforms:linkedin:ApiVersion to a newer version before then.")
            : HealthCheckResult.Healthy($"LinkedIn-Version {version} is supported until about {when}.");
    }

    /// <summary>
    /// When a version is retired, estimated conservatively: the first day of the same month a year after its release
    /// (LinkedIn's own dates fall a little later in that month). Null when the version is not YYYYMM.
    /// </summary>
    public static DateTimeOffset? RetiresAround(string version) =>
        version.Length == 6 && DateTime.TryParseExact(version, "yyyyMM", CultureInfo.InvariantCulture, DateTimeStyles.None, out var released)
            ? new DateTimeOffset(released.Year + 1, released.Month, 1, 0, 0, 0, TimeSpan.Zero)
            : null;
}
