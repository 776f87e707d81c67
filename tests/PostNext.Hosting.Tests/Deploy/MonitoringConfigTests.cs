using System.Diagnostics;
using System.Diagnostics.Metrics;
using System.Net;
using System.Text.Json;
using System.Text.RegularExpressions;
using Npgsql;
using PostNext.Abstractions.Diagnostics;

namespace PostNext.Hosting.Tests.Deploy;

/// <summary>
/// The Grafana dashboard and the Prometheus alert rules in deploy/ load, and every query in them names a metric this
/// system exports: the names are derived from the instruments a running host publishes (ours, Orleans', ASP.NET Core's,
/// the runtime's, Npgsql's), by the same rules the exporter follows, checked against a real scrape.
/// </summary>
public sealed partial class MonitoringConfigTests : IAsyncLifetime
{
    private const string OperatorKey = "monitoring-tests-operator-key-01";

    private RunningHost _host = null!;

    public async Task InitializeAsync() => _host = await ClusterHosts.StartEmbeddedAsync($"--PostNext:OperatorKey={OperatorKey}");

    public async Task DisposeAsync() => await _host.DisposeAsync();

    [Fact]
    public async Task Every_dashboard_and_alert_query_names_an_exported_metric()
    {
        var exported = await ExportedNamesAsync();
        var queries = DashboardQueries().Concat(AlertQueries()).ToList();
        Assert.True(queries.Count >= 15, $"only {queries.Count} queries found");

        var unknown = queries
            .SelectMany(q => PrometheusNames.InQuery(q.Expr).Select(name => (q.Where, name)))
            .Where(x => !exported.Contains(x.name))
            .Select(x => $"{x.Where}: {x.name}")
            .ToList();
        Assert.True(unknown.Count == 0, "Queries name metrics nobody exports:\n" + string.Join("\n", unknown));

        // Every metric a query names is found, and every query names at least one.
        Assert.All(queries, q => Assert.NotEmpty(PrometheusNames.InQuery(q.Expr)));
    }

    [Fact]
    public void The_dashboard_covers_what_operators_ask_for()
    {
        var all = string.Join("\n", DashboardQueries().Select(q => q.Expr));
        foreach (var metric in new[]
                 {
                     "postnext_publish_lateness_seconds_bucket", "postnext_publications_completed_total", "postnext_publish_deferrals_total",
                     "postnext_publish_attempts_total", "postnext_webhook_delivery_lag_seconds_bucket", "orleans_catalog_activations",
                     "db_client_connection_count", "postnext_webhook_deliveries_pending", "postnext_webhook_oldest_pending_age_seconds",
                 })
        {
            Assert.Contains(metric, all, StringComparison.Ordinal);
        }

        var alerts = File.ReadAllText(RepositoryFiles.PathOf("deploy", "prometheus", "alerts.yml"));
        foreach (var alert in new[] { "PostNextPublishesLate", "PostNextPlatformFailing", "PostNextReconnectRequiredSpike", "PostNextWebhookBacklog" })
        {
            Assert.Contains($"alert: {alert}", alerts, StringComparison.Ordinal);
        }

        // A receiver that hangs delivers nothing, so only the backlog gauge shows its events piling up.
        Assert.Contains("max(postnext_webhook_oldest_pending_age_seconds) > ", alerts, StringComparison.Ordinal);
    }

    [Fact]
    public async Task A_real_prometheus_evaluates_every_dashboard_query()
    {
        await using var prometheus = await PostNext.Testing.Prometheus.StartAsync(_host.Http.BaseAddress!.Authority, "/metrics", OperatorKey);
        await prometheus.WaitForAsync("up{job=\"postnext\"}", up => up == 1, TimeSpan.FromSeconds(30));
        foreach (var (where, expr) in DashboardQueries())
        {
            // Grafana's interval variable, as it would substitute it; a query Prometheus cannot parse throws here.
            var query = expr.Replace("$__rate_interval", "1m", StringComparison.Ordinal);
            var exception = await Record.ExceptionAsync(() => prometheus.QueryAsync(query));
            Assert.True(exception is null, $"{where}: {exception?.Message}");
        }
    }

    [Fact]
    public async Task Promtool_accepts_the_alert_rules()
    {
        var promtool = Path.Combine(Path.GetDirectoryName(PostNext.Testing.Prometheus.Binary())!, "promtool");
        Assert.True(File.Exists(promtool), $"promtool not found next to {PostNext.Testing.Prometheus.Binary()}: install the Debian package 'prometheus'.");
        var start = new ProcessStartInfo(promtool) { RedirectStandardOutput = true, RedirectStandardError = true };
        start.ArgumentList.Add("check");
        start.ArgumentList.Add("rules");
        start.ArgumentList.Add(RepositoryFiles.PathOf("deploy", "prometheus", "alerts.yml"));
        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync() + await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        Assert.True(process.ExitCode == 0, $"promtool check rules failed: {output}");
        Assert.Contains("4 rules found", output, StringComparison.Ordinal);
    }

    /// <summary>Every name the exporter can produce from the instruments this process publishes; the derivation is checked against a real scrape.</summary>
    private async Task<HashSet<string>> ExportedNamesAsync()
    {
        // Npgsql creates its instruments with its first data source (cluster mode has one; this host is embedded).
        await using (NpgsqlDataSource.Create("Host=127.0.0.1;Database=none"))
        {
        }

        _ = PostNextTelemetry.Meter;
        Assert.Equal(HttpStatusCode.OK, (await _host.Http.SendAsync(ClusterHosts.Get("/health/ready", null))).StatusCode);

        // Listening from before the scrape to after it: an instrument the scrape shows is in the list even when its meter
        // (another in-process host's, which the tests start and stop in parallel) is disposed in between.
        var instruments = new List<Instrument>();
        string scrape;
        using (var listener = new MeterListener { InstrumentPublished = (instrument, _) => { lock (instruments) { instruments.Add(instrument); } } })
        {
            listener.Start();
            scrape = await (await _host.Http.SendAsync(ClusterHosts.Get("/metrics", OperatorKey))).Content.ReadAsStringAsync();
        }

        var derived = instruments.SelectMany(PrometheusNames.Of).ToHashSet(StringComparer.Ordinal);
        var families = TypeLines().Matches(scrape).Select(m => m.Groups[1].Value).ToList();
        Assert.NotEmpty(families);
        var underived = families.Where(f => !derived.Contains(f) && f != "target_info").ToList();
        Assert.True(underived.Count == 0, "The exporter wrote families the naming rules do not derive: " + string.Join(", ", underived));
        return derived;
    }

    private static IEnumerable<(string Where, string Expr)> DashboardQueries()
    {
        using var document = JsonDocument.Parse(File.ReadAllText(RepositoryFiles.PathOf("deploy", "grafana", "dashboards", "postnext-overview.json")));
        foreach (var panel in document.RootElement.GetProperty("panels").EnumerateArray())
        {
            foreach (var target in panel.GetProperty("targets").EnumerateArray())
            {
                yield return ($"dashboard panel '{panel.GetProperty("title").GetString()}'", target.GetProperty("expr").GetString()!);
            }
        }
    }

    /// <summary>The <c>expr</c> of each alert rule.</summary>
    private static IEnumerable<(string Where, string Expr)> AlertQueries()
    {
        var rules = Yaml.Documents(File.ReadAllText(RepositoryFiles.PathOf("deploy", "prometheus", "alerts.yml"))).Single();
        foreach (var group in rules["groups"]!.AsArray())
        {
            foreach (var rule in group!["rules"]!.AsArray())
            {
                yield return ($"alert {rule!["alert"]}", rule["expr"]!.GetValue<string>());
            }
        }
    }

    [GeneratedRegex(@"^# TYPE (\S+) ", RegexOptions.Multiline)]
    private static partial Regex TypeLines();
}
