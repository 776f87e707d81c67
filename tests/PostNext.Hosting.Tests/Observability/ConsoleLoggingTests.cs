using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Console;
using Microsoft.Extensions.Options;
using PostNext.Silo.Hosting;

namespace PostNext.Hosting.Tests.Observability;

/// <summary>Console logs: JSON with trace and span ids outside Development, the readable format in Development.</summary>
public sealed class ConsoleLoggingTests
{
    [Fact]
    public void Production_logs_are_json_with_trace_and_span_ids()
    {
        using var app = SiloHost.CreateBuilder(["--environment=Production", "--PostNext:OperatorKey=console-logging-key-0123"]).Build();

        Assert.Equal(ConsoleFormatterNames.Json, app.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
        Assert.True(app.Services.GetRequiredService<IOptionsMonitor<JsonConsoleFormatterOptions>>().CurrentValue.IncludeScopes);
        var tracking = app.Services.GetRequiredService<IOptions<LoggerFactoryOptions>>().Value.ActivityTrackingOptions;
        Assert.True(tracking.HasFlag(ActivityTrackingOptions.TraceId) && tracking.HasFlag(ActivityTrackingOptions.SpanId), $"activity tracking: {tracking}");
    }

    [Fact]
    public void Development_logs_stay_readable_and_an_explicit_formatter_wins()
    {
        using var development = SiloHost.CreateBuilder(["--environment=Development"]).Build();
        Assert.NotEqual(ConsoleFormatterNames.Json, development.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);

        using var chosen = SiloHost.CreateBuilder(["--environment=Production", "--PostNext:OperatorKey=console-logging-key-0123", "--Logging:Console:FormatterName=simple"]).Build();
        Assert.Equal(ConsoleFormatterNames.Simple, chosen.Services.GetRequiredService<IOptionsMonitor<ConsoleLoggerOptions>>().CurrentValue.FormatterName);
    }
}
