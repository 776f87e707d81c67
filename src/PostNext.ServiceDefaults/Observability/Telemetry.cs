using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Npgsql;
using OpenTelemetry;
using OpenTelemetry.Metrics;
using OpenTelemetry.Resources;
using OpenTelemetry.Trace;
using PostNext.ServiceDefaults.Security;

namespace PostNext.ServiceDefaults.Observability;

/// <summary>
/// OpenTelemetry, wired once: metrics from ASP.NET Core, HttpClient, the .NET runtime, Npgsql, Orleans and our own
/// meter, always scrapeable on <c>/metrics</c> (behind the operator key); traces and OTLP export only when the
/// standard <c>OTEL_EXPORTER_OTLP_*</c> variables configure an endpoint. Production logs are JSON with trace and span ids.
/// </summary>
public static class Telemetry
{
    /// <summary>Where Prometheus scrapes (with <c>Authorization: Bearer &lt;operator key&gt;</c>).</summary>
    public const string MetricsPath = "/metrics";

    /// <summary>Our own meter and activity source (see PostNext.Abstractions' PostNextTelemetry).</summary>
    public const string PostNextSource = "PostNext";

    /// <summary>Orleans' meter (grains, activations, messaging, reminders, storage).</summary>
    public const string OrleansMeter = "Microsoft.Orleans";

    /// <summary>Orleans' activity sources: grain calls the application makes, and the runtime's own.</summary>
    public static readonly string[] OrleansActivitySources = ["Microsoft.Orleans.Application", "Microsoft.Orleans.Runtime"];

    /// <summary>Orleans' gauge of the grain directory cache's entries, not collected (see <see cref="AddPostNextTelemetry"/>).</summary>
    public const string DirectoryCacheSize = "orleans-directory-cache-size";

    /// <summary>HttpClient metrics keep only these tags: the server address of every webhook receiver would explode the series.</summary>
    private static readonly string[] HttpClientTags = ["http.request.method", "http.response.status_code", "error.type"];

    public static WebApplicationBuilder AddPostNextTelemetry(this WebApplicationBuilder builder)
    {
        var configuration = builder.Configuration;
        var otlp = OtlpSignals.From(configuration);

        var otel = builder.Services.AddOpenTelemetry()
            .ConfigureResource(resource =>
            {
                // OTEL_SERVICE_NAME and OTEL_RESOURCE_ATTRIBUTES are read by the default detectors and win.
                if (string.IsNullOrWhiteSpace(configuration["OTEL_SERVICE_NAME"]))
                {
                    resource.AddService(builder.Environment.ApplicationName, serviceInstanceId: Environment.MachineName);
                }
            })
            .WithMetrics(metrics =>
            {
                metrics
                    .AddAspNetCoreInstrumentation()
                    .AddHttpClientInstrumentation()
                    .AddRuntimeInstrumentation()
                    .AddNpgsqlInstrumentation()
                    .AddMeter(OrleansMeter, PostNextSource)
                    .AddView("http.client.*", new MetricStreamConfiguration { TagKeys = HttpClientTags })
                    // Observing it counts the grain directory cache's entries one by one on every scrape (see the silo's
                    // BoundDirectoryCache), for a figure nobody acts on.
                    .AddView(DirectoryCacheSize, MetricStreamConfiguration.Drop)
                    .AddPrometheusExporter();
                if (otlp.Metrics)
                {
                    metrics.AddOtlpExporter();
                }
            });

        if (otlp.Traces)
        {
            // Spans are only made when someone receives them: no OTLP endpoint, no tracing cost.
            otel.WithTracing(tracing => tracing
                .AddAspNetCoreInstrumentation(o => o.Filter = http => !IsOperational(http.Request.Path))
                .AddHttpClientInstrumentation()
                .AddNpgsql()
                .AddSource(OrleansActivitySources)
                .AddSource(PostNextSource)
                .AddOtlpExporter());
        }

        if (!builder.Environment.IsDevelopment() && string.IsNullOrEmpty(configuration["Logging:Console:FormatterName"]))
        {
            // One JSON object per line, with the scopes that carry TraceId and SpanId (set by the host's activity tracking).
            builder.Services.Configure<ConsoleLoggerOptions>(o => o.FormatterName = ConsoleFormatterNames.Json);
            builder.Services.Configure<JsonConsoleFormatterOptions>(o =>
            {
                o.IncludeScopes = true;
                o.UseUtcTimestamp = true;
                o.TimestampFormat = "yyyy-MM-ddTHH:mm:ss.fffZ";
            });
            builder.Services.Configure<LoggerFactoryOptions>(o =>
                o.ActivityTrackingOptions |= ActivityTrackingOptions.TraceId | ActivityTrackingOptions.SpanId);
        }

        return builder;
    }

    /// <summary><c>/metrics</c>, answered only with the operator key (Prometheus sends it as a bearer token).</summary>
    public static WebApplication MapPostNextMetrics(this WebApplication app)
    {
        app.MapPrometheusScrapingEndpoint(MetricsPath)
            .RequireAuthorization(ApiKeyDefaults.OperatorPolicy)
            .DisableHttpMetrics();
        return app;
    }

    /// <summary>Health and metrics requests are not traced: they come every few seconds and say nothing about users.</summary>
    private static bool IsOperational(PathString path) =>
        path.StartsWithSegments("/health", StringComparison.Ordinal) || path.StartsWithSegments(MetricsPath, StringComparison.Ordinal);

    /// <summary>Which signals the standard OTLP variables ask to export.</summary>
    private sealed record OtlpSignals(bool Traces, bool Metrics)
    {
        public static OtlpSignals From(IConfiguration configuration)
        {
            bool Set(string name) => !string.IsNullOrWhiteSpace(configuration[name]);
            var all = Set("OTEL_EXPORTER_OTLP_ENDPOINT");
            return new OtlpSignals(all || Set("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT"), all || Set("OTEL_EXPORTER_OTLP_METRICS_ENDPOINT"));
        }
    }
}
