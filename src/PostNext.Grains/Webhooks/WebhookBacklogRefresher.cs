using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PostNext.Abstractions.Diagnostics;
using PostNext.Storage.Webhooks;

namespace PostNext.Grains.Webhooks;

/// <summary>
/// Feeds the webhook backlog gauges (<c>postnext.webhook.deliveries.pending</c>, <c>postnext.webhook.oldest_pending_age</c>):
/// one aggregate read of the deliveries store per silo every <see cref="WebhookOptions.BacklogRefreshInterval"/>, never a
/// read per scrape. A receiver that hangs delivers nothing, so the delivery lag histogram stays quiet; these do not.
/// </summary>
public sealed partial class WebhookBacklogRefresher(
    IWebhookDeliveryStore store, IOptions<WebhookOptions> options, TimeProvider time, ILogger<WebhookBacklogRefresher> logger) : BackgroundService
{
    /// <summary>Reads the backlog once and reports it to the gauges.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        var backlog = await store.BacklogAsync(cancellationToken);
        var age = backlog.OldestCreatedAt is { } oldest ? Math.Max(0, (time.GetUtcNow() - oldest).TotalSeconds) : 0;
        PostNextTelemetry.ReportWebhookBacklog(backlog.Pending, age);
    }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        using var timer = new PeriodicTimer(options.Value.BacklogRefreshInterval, time);
        try
        {
            do
            {
                try
                {
                    await RefreshAsync(stoppingToken);
                }
                catch (Exception e) when (!stoppingToken.IsCancellationRequested)
                {
                    // The database is away: keep the last reading, try again next period.
                    LogRefreshFailed(logger, e);
                }
            }
            while (await timer.WaitForNextTickAsync(stoppingToken));
        }
        catch (Exception) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping: a read cut short is no failure.
        }
        finally
        {
            PostNextTelemetry.ClearWebhookBacklog();
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Could not read the webhook backlog; the gauges keep their last reading.")]
    private static partial void LogRefreshFailed(ILogger logger, Exception exception);
}
