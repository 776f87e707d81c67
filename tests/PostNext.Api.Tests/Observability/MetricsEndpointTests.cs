using System.Text.RegularExpressions;

namespace PostNext.Api.Tests.Observability;

/// <summary><c>/metrics</c>: the Prometheus text of our instruments and Orleans', behind the operator key.</summary>
[Collection(ApiCollection.Name)]
public sealed class MetricsEndpointTests(ApiHost api)
{
    [Fact]
    public async Task After_a_publish_metrics_show_the_lateness_histogram_and_orleans_meters()
    {
        var (ws, _, _) = await SandboxPublish.PublishNowAsync(api);

        // The publication's row says "published" once stored; its instruments record right after that write, so a
        // scrape racing the publish may come a moment early (seen once under a loaded full run): scrape until they show.
        var lateness = new Regex(@"^postnext_publish_lateness_seconds_bucket\{[^}]*postnext_platform=""sandbox""[^}]*le=""\+Inf""[^}]*\} [1-9]", RegexOptions.Multiline);
        var deadline = DateTime.UtcNow.AddSeconds(10);
        string text;
        while (true)
        {
            var response = await api.SendAsync(HttpMethod.Get, "/metrics", ApiHost.OperatorKey);
            text = await response.Content.ReadAsStringAsync();
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"/metrics answered {(int)response.StatusCode}: {text}");
            if (lateness.IsMatch(text) || DateTime.UtcNow > deadline)
            {
                break;
            }

            await Task.Delay(100);
        }

        Assert.Contains("# TYPE postnext_publish_lateness_seconds histogram", text, StringComparison.Ordinal);
        Assert.Matches(new Regex(@"^postnext_publish_lateness_seconds_bucket\{[^}]*postnext_platform=""sandbox""[^}]*le=""\+Inf""[^}]*\} [1-9]", RegexOptions.Multiline), text);
        Assert.Matches(new Regex(@"^postnext_publications_completed_total\{[^}]*postnext_outcome=""published""[^}]*\} [1-9]", RegexOptions.Multiline), text);
        Assert.Matches(new Regex(@"^postnext_platform_call_duration_seconds_count\{[^}]*postnext_operation=""publish""[^}]*\} [1-9]", RegexOptions.Multiline), text);
        Assert.Matches(new Regex(@"^postnext_api_posts_accepted_total\{[^}]*postnext_mode=""at""[^}]*\} [1-9]", RegexOptions.Multiline), text);

        // Orleans' meter (which of its instruments show depends on the other hosts this test process ran).
        Assert.Matches(new Regex(@"^orleans_(catalog|messaging|grains|scheduler|reminders|directory|gateway|storage|app)\w*(\{| )", RegexOptions.Multiline), text);

        // Ids are span attributes, never metric labels.
        Assert.DoesNotContain(ws, text, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Metrics_need_the_operator_key()
    {
        Assert.Equal(HttpStatusCode.Unauthorized, (await api.SendAsync(HttpMethod.Get, "/metrics", null)).StatusCode);
        var (_, workspaceKey) = await api.CreateWorkspaceAsync();
        Assert.Equal(HttpStatusCode.Forbidden, (await api.SendAsync(HttpMethod.Get, "/metrics", workspaceKey)).StatusCode);
    }
}
