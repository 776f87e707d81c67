namespace PostNext.Api.Tests.Observability;

/// <summary>A real Prometheus scrapes the running silo on loopback (with the operator key) and answers for the lateness histogram.</summary>
[Collection(ApiCollection.Name)]
public sealed class PrometheusScrapeTests(ApiHost api)
{
    [Fact]
    public async Task Prometheus_scrapes_the_silo_and_finds_the_lateness_of_a_publish()
    {
        await using var prometheus = await Prometheus.StartAsync(api.Http.BaseAddress!.Authority, "/metrics", ApiHost.OperatorKey);
        await prometheus.WaitForAsync("up{job=\"postnext\"}", up => up == 1, TimeSpan.FromSeconds(30));

        await SandboxPublish.PublishNowAsync(api);

        var published = await prometheus.WaitForAsync(
            "sum(postnext_publish_lateness_seconds_count{postnext_platform=\"sandbox\"})", count => count >= 1, TimeSpan.FromSeconds(30));
        Assert.True(published >= 1);
        var p99 = await prometheus.WaitForAsync(
            "histogram_quantile(0.99, sum by (le) (postnext_publish_lateness_seconds_bucket{postnext_platform=\"sandbox\"}))",
            seconds => !double.IsNaN(seconds), TimeSpan.FromSeconds(10));
        Assert.InRange(p99, 0, 3600);
    }
}
