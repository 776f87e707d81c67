using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PostNext.ServiceDefaults.Configuration;
using PostNext.ServiceDefaults.Security;

namespace PostNext.ServiceDefaults;

/// <summary>Once the host listens: where the API, docs and dashboard are, and the development operator key if one was generated.</summary>
internal sealed partial class StartupBanner(
    IHostApplicationLifetime lifetime,
    IServiceProvider services,
    IConfiguration configuration,
    OperatorKey operatorKey,
    HostingModeInfo mode,
    ILogger<StartupBanner> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        if (mode.Mode == RunMode.Embedded)
        {
            LogEmbedded();
        }

        lifetime.ApplicationStarted.Register(Print);
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private void Print()
    {
        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var dashboard = configuration.GetSection($"{PostNextOptions.SectionName}:Dashboard").Get<DashboardSettings>() ?? new DashboardSettings();
        foreach (var address in addresses)
        {
            var root = address.TrimEnd('/');
            LogUrls(root, $"{root}/docs", dashboard.Enabled ? $"{root}{dashboard.Path}" : "(disabled)", $"{root}/health/ready");
        }

        if (operatorKey.IsGenerated)
        {
            // Printed on purpose, on the console only: it is the way into a fresh embedded instance.
            Console.WriteLine();
            Console.WriteLine($"  Development operator key: {operatorKey.Value}");
            Console.WriteLine("  (set PostNext:OperatorKey to choose your own; the dashboard accepts it as the Basic-auth password)");
            Console.WriteLine();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Embedded mode: one process, in-memory grain state and reminders. NOTHING IS KEPT when it stops. " +
                  "Set ConnectionStrings:PostNext to run on PostgreSQL.")]
    private partial void LogEmbedded();

    [LoggerMessage(Level = LogLevel.Information, Message = "PostNext listening on {Url}  API docs: {Docs}  dashboard: {Dashboard}  readiness: {Ready}")]
    private partial void LogUrls(string url, string docs, string dashboard, string ready);
}
