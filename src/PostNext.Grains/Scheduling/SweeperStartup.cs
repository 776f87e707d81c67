using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using PostNext.Abstractions.Posts;

namespace PostNext.Grains.Scheduling;

/// <summary>
/// Makes sure the sweeper's reminder is registered once the silo runs. It is idempotent and retried in the
/// background: a silo that starts while PostgreSQL restarts must come up anyway, not exit on a timed-out start-up task.
/// </summary>
public static partial class SweeperStartup
{
    /// <summary>The silo start-up task: starts the retries and returns at once.</summary>
    public static Task StartInBackground(IServiceProvider services, CancellationToken cancellationToken)
    {
        var grains = services.GetRequiredService<IGrainFactory>();
        var logger = services.GetRequiredService<ILoggerFactory>().CreateLogger(typeof(SweeperStartup).FullName!);
        var stopping = services.GetService<IHostApplicationLifetime>()?.ApplicationStopping ?? CancellationToken.None;
        var time = services.GetService<TimeProvider>() ?? TimeProvider.System;
        _ = Task.Run(() => RegisterAsync(grains, logger, time, stopping), CancellationToken.None);
        return Task.CompletedTask;
    }

    private static async Task RegisterAsync(IGrainFactory grains, ILogger logger, TimeProvider time, CancellationToken stopping)
    {
        var delay = TimeSpan.FromSeconds(1);
        while (!stopping.IsCancellationRequested)
        {
            try
            {
                await grains.GetGrain<ISweeperGrain>(ISweeperGrain.Key).StartAsync();
                return;
            }
            catch (Exception ex) when (!stopping.IsCancellationRequested)
            {
                LogRetry(logger, delay, ex.Message);
                try
                {
                    await Task.Delay(delay, time, stopping);
                }
                catch (OperationCanceledException)
                {
                    return;
                }

                delay = TimeSpan.FromSeconds(Math.Min(60, delay.TotalSeconds * 2));
            }
        }
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Registering the sweeper failed ({Reason}); retrying in {Delay}")]
    private static partial void LogRetry(ILogger logger, TimeSpan delay, string reason);
}
