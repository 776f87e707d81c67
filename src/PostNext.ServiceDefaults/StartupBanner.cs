using Microsoft.AspNetCore.Hosting.Server;
using Microsoft.AspNetCore.Hosting.Server.Features;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PostNext.ServiceDefaults.Configuration;
using PostNext.ServiceDefaults.Security;

namespace PostNext.ServiceDefaults;

/// <summary>
/// Once the host listens: where the API, docs and dashboard are, and when the operator key was generated (development),
/// the key and a one-time link that makes the first owner of a new workspace.
/// </summary>
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

        lifetime.ApplicationStarted.Register(() => _ = PrintAsync());
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    private async Task PrintAsync()
    {
        var addresses = services.GetService<IServer>()?.Features.Get<IServerAddressesFeature>()?.Addresses ?? [];
        var dashboard = configuration.GetSection($"{PostNextOptions.SectionName}:Dashboard").Get<DashboardSettings>() ?? new DashboardSettings();
        foreach (var address in addresses)
        {
            var root = address.TrimEnd('/');
            LogUrls(root, $"{root}/docs", dashboard.Enabled ? $"{root}{dashboard.Path}" : "(disabled)", $"{root}/health/ready");
        }

        if (!operatorKey.IsGenerated)
        {
            return;
        }

        string? link = null;
        if (services.GetService<IBootstrapLinkIssuer>() is { } issuer && addresses.FirstOrDefault() is { } first)
        {
            try
            {
                link = await issuer.IssueAsync(first.TrimEnd('/'), lifetime.ApplicationStopping);
            }
            catch (Exception ex) when (ex is not OperationCanceledException)
            {
                LogNoBootstrapLink(ex);
            }
        }

        // Printed on purpose, on the console only: they are the way into a fresh embedded instance.
        Console.WriteLine();
        Console.WriteLine($"  Development operator key: {operatorKey.Value}");
        if (link is not null)
        {
            Console.WriteLine($"  First owner, open once:   {link}");
        }

        Console.WriteLine("  (set PostNext:OperatorKey to choose your own; the dashboard accepts it as the Basic-auth password)");
        Console.WriteLine();
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not create the development workspace and its first-owner link")]
    private partial void LogNoBootstrapLink(Exception exception);

    [LoggerMessage(Level = LogLevel.Warning,
        Message = "Embedded mode: one process, in-memory grain state and reminders. NOTHING IS KEPT when it stops. " +
                  "Set ConnectionStrings:PostNext to run on PostgreSQL.")]
    private partial void LogEmbedded();

    [LoggerMessage(Level = LogLevel.Information, Message = "PostNext listening on {Url}  API docs: {Docs}  dashboard: {Dashboard}  readiness: {Ready}")]
    private partial void LogUrls(string url, string docs, string dashboard, string ready);
}
