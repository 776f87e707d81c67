using Microsoft.Extensions.Diagnostics.HealthChecks;
using PostNext.Platforms.LinkedIn;

namespace PostNext.Platforms.Tests.LinkedIn;

/// <summary>An operator learns from the readiness report that the configured LinkedIn-Version is about to be retired, before posts fail.</summary>
public sealed class LinkedInApiVersionHealthCheckTests
{
    [Fact]
    public void A_version_far_from_retirement_is_healthy()
    {
        var result = LinkedInApiVersionHealthCheck.Check("202601", new DateTimeOffset(2026, 6, 1, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(HealthStatus.Healthy, result.Status);
        Assert.Contains("2027-01-01", result.Description);
    }

    [Fact]
    public void A_version_within_sixty_days_of_its_retirement_warns_and_names_the_setting()
    {
        var result = LinkedInApiVersionHealthCheck.Check("202601", new DateTimeOffset(2026, 12, 3, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("PostNext:Platforms:linkedin:ApiVersion", result.Description);
        Assert.Contains("2027-01-01", result.Description);
    }

    [Fact]
    public void A_retired_version_stays_degraded_and_says_calls_are_refused()
    {
        var result = LinkedInApiVersionHealthCheck.Check("202511", new DateTimeOffset(2026, 11, 20, 0, 0, 0, TimeSpan.Zero));

        Assert.Equal(HealthStatus.Degraded, result.Status);
        Assert.Contains("426", result.Description);
    }

    [Fact]
    public void A_version_that_is_not_yyyymm_is_degraded()
    {
        Assert.Equal(HealthStatus.Degraded, LinkedInApiVersionHealthCheck.Check("2026-01", DateTimeOffset.UtcNow).Status);
    }
}
