using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;

namespace PostNext.Api.Tests.Observability;

/// <summary>Webhook delivery lag and failures reach <c>/metrics</c>.</summary>
[Collection(ApiCollection.Name)]
public sealed class WebhookMetricsTests(ApiHost api)
{
    private const string Lag = "postnext_webhook_delivery_lag_seconds_count";
    private const string Failures = "postnext_webhook_delivery_failures_total";

    [Fact]
    public async Task A_refused_then_delivered_event_counts_a_5xx_failure_and_its_delivery_lag()
    {
        await using var receiver = await FakePlatformServer.StartAsync(app => app.MapPost("/hooks/metrics", () => Results.Ok()));
        receiver.Fail("POST", "/hooks/metrics", 503, """{"error":"maintenance"}""");
        var before = await ScrapeAsync();
        var (ws, key) = await api.CreateWorkspaceAsync();
        var hook = await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/webhooks", key,
            new { url = receiver.Url("/hooks/metrics").ToString(), events = new[] { "post.published" }, secret = "receiver-shared-secret-0001" }), HttpStatusCode.Created);
        await ApiHost.JsonAsync(await api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/webhooks/{hook["id"]}/test", key), HttpStatusCode.Accepted);

        var deadline = DateTime.UtcNow.AddSeconds(30);
        string after;
        do
        {
            await Task.Delay(200);
            after = await ScrapeAsync();
        }
        while (Sum(after, Lag, "postnext_event_type=\"webhook.test\"") <= Sum(before, Lag, "postnext_event_type=\"webhook.test\"") && DateTime.UtcNow < deadline);

        Assert.True(Sum(after, Lag, "postnext_event_type=\"webhook.test\"") > Sum(before, Lag, "postnext_event_type=\"webhook.test\""), "no delivery lag was recorded");
        Assert.True(Sum(after, Failures, "postnext_reason=\"http_5xx\"") > Sum(before, Failures, "postnext_reason=\"http_5xx\""), "the 503 was not counted");
    }

    private async Task<string> ScrapeAsync()
    {
        var response = await api.SendAsync(HttpMethod.Get, "/metrics", ApiHost.OperatorKey);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        return await response.Content.ReadAsStringAsync();
    }

    /// <summary>The sum of a metric's samples whose labels contain <paramref name="label"/>.</summary>
    private static double Sum(string text, string metric, string label) =>
        Regex.Matches(text, $@"^{Regex.Escape(metric)}\{{([^}}]*)\}} (\S+)", RegexOptions.Multiline)
            .Where(m => m.Groups[1].Value.Contains(label, StringComparison.Ordinal))
            .Sum(m => double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
}
