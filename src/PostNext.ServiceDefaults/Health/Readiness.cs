using Microsoft.Extensions.Diagnostics.HealthChecks;
using Microsoft.Extensions.Hosting;

namespace PostNext.ServiceDefaults.Health;

/// <summary>
/// Whether this process should receive traffic: set by the host once Orleans is up (the silo active, or the client
/// connected) and cleared as soon as shutdown begins.
/// </summary>
public sealed class Readiness
{
    private volatile string? _notReadyReason = "starting";

    public bool IsReady => _notReadyReason is null;

    public string? NotReadyReason => _notReadyReason;

    public void MarkReady() => _notReadyReason = null;

    public void MarkNotReady(string reason) => _notReadyReason = reason;
}

/// <summary>Clears readiness the moment the host starts stopping, before Orleans shuts down.</summary>
internal sealed class ShutdownReadinessWatcher(Readiness readiness, IHostApplicationLifetime lifetime) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        lifetime.ApplicationStopping.Register(() => readiness.MarkNotReady("shutting down"));
        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;
}

/// <summary>Reports <see cref="Readiness"/>.</summary>
internal sealed class ReadinessHealthCheck(Readiness readiness) : IHealthCheck
{
    public Task<HealthCheckResult> CheckHealthAsync(HealthCheckContext context, CancellationToken cancellationToken = default) =>
        Task.FromResult(readiness.IsReady
            ? HealthCheckResult.Healthy("Orleans is up.")
            : HealthCheckResult.Unhealthy($"Not ready: {readiness.NotReadyReason}."));
}
