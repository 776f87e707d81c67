using Microsoft.Extensions.DependencyInjection;
using OpenTelemetry.Metrics;
using OpenTelemetry.Trace;
using PostNext.Silo.Hosting;

namespace PostNext.Hosting.Tests.Observability;

/// <summary>Nothing is exported unless configured (except <c>/metrics</c>): tracing exists only with an OTLP endpoint.</summary>
public sealed class TelemetryConfigurationTests
{
    [Fact]
    public void Without_an_otlp_endpoint_there_are_metrics_for_scraping_and_no_tracing()
    {
        using var app = SiloHost.CreateBuilder(["--PostNext:OperatorKey=telemetry-config-key-0123"]).Build();
        Assert.NotNull(app.Services.GetService<MeterProvider>());
        Assert.Null(app.Services.GetService<TracerProvider>());
    }

    [Theory]
    [InlineData("OTEL_EXPORTER_OTLP_ENDPOINT")]
    [InlineData("OTEL_EXPORTER_OTLP_TRACES_ENDPOINT")]
    public void An_otlp_endpoint_turns_tracing_on(string variable)
    {
        using var app = SiloHost.CreateBuilder(["--PostNext:OperatorKey=telemetry-config-key-0123", $"--{variable}=http://127.0.0.1:4317"]).Build();
        Assert.NotNull(app.Services.GetService<TracerProvider>());
    }
}
