using PostNext.Chaos.Results;

namespace PostNext.Chaos.Processes;

/// <summary>
/// The faults of a run: every <see cref="ChaosOptions.KillEvery"/> a random running silo is SIGKILLed and started
/// again after <see cref="ChaosOptions.RestartAfter"/> (same ports); once, PostgreSQL restarts in immediate mode.
/// The API front is never killed: the load and the checks go through it.
/// </summary>
public sealed class FaultInjector(ChaosCluster cluster, ChaosOptions options, RunLog log)
{
    private const int StartAttempts = 5;

    private readonly List<FaultEvent> _events = [];
    private readonly Random _random = new(options.Seed ^ 0x5EED);

    /// <summary>Silos killed and not yet ready again: never picked twice in a row before they are back.</summary>
    private readonly HashSet<NodeProcess> _recovering = [];

    private NodeProcess? _previousVictim;

    public IReadOnlyList<FaultEvent> Events
    {
        get
        {
            lock (_events)
            {
                return _events.OrderBy(e => e.At).ToList();
            }
        }
    }

    /// <summary>Kills silos from now until <paramref name="killsUntil"/>, restarts PostgreSQL at <paramref name="postgresAt"/>; returns when all are back.</summary>
    public async Task RunAsync(DateTimeOffset killsUntil, DateTimeOffset? postgresAt, CancellationToken cancellationToken)
    {
        var restarts = new List<Task>();
        var postgres = postgresAt is { } at ? RestartPostgresAtAsync(at, cancellationToken) : Task.CompletedTask;
        if (options.KillEvery > TimeSpan.Zero)
        {
            for (var next = DateTimeOffset.UtcNow + options.KillEvery; next <= killsUntil; next += options.KillEvery)
            {
                await DelayUntilAsync(next, cancellationToken);
                List<NodeProcess> running;
                lock (_recovering)
                {
                    running = cluster.Silos.Where(s => s.IsRunning && !_recovering.Contains(s)).ToList();
                }

                if (running.Count == 0)
                {
                    Record("kill skipped", "-", "every silo is down or still coming back");
                    continue;
                }

                // Random, but not the previous victim when another one can go: every silo gets its turn to die.
                var candidates = running.Count > 1 ? running.Where(s => s != _previousVictim).ToList() : running;
                var victim = candidates[_random.Next(candidates.Count)];
                _previousVictim = victim;
                lock (_recovering)
                {
                    _recovering.Add(victim);
                }

                var pid = victim.ProcessId;
                await victim.KillAsync();
                Record("SIGKILL", victim.Name, $"pid {pid}");
                restarts.Add(RestartAsync(victim, cancellationToken));
            }
        }

        await postgres;
        await Task.WhenAll(restarts);
        await Task.WhenAll(cluster.Silos.Select(s => EnsureRunningAsync(s, cancellationToken)));
    }

    private async Task RestartAsync(NodeProcess silo, CancellationToken cancellationToken)
    {
        try
        {
            await Task.Delay(options.RestartAfter, cancellationToken);
            await EnsureRunningAsync(silo, cancellationToken);
        }
        finally
        {
            lock (_recovering)
            {
                _recovering.Remove(silo);
            }
        }
    }

    /// <summary>
    /// Starts the silo if it is not running and waits until it is ready; a start that fails is tried again, up to
    /// <see cref="StartAttempts"/> times. A silo that never comes back is a finding, recorded as a fault, not the end of the run.
    /// </summary>
    private async Task EnsureRunningAsync(NodeProcess silo, CancellationToken cancellationToken)
    {
        for (var attempt = 1; attempt <= StartAttempts; attempt++)
        {
            var started = DateTimeOffset.UtcNow;
            var restarted = !silo.IsRunning;
            if (restarted)
            {
                await silo.StartAsync();
                Record("restart", silo.Name, $"pid {silo.ProcessId}");
            }

            try
            {
                await silo.WaitReadyAsync(TimeSpan.FromSeconds(90), cancellationToken);
                if (restarted)
                {
                    log.Line($"{silo.Name} ready again ({(DateTimeOffset.UtcNow - started).TotalSeconds:0.0} s after its start)");
                }

                return;
            }
            catch (Exception ex) when (ex is InvalidOperationException or TimeoutException)
            {
                Record("start failed", silo.Name, ex.Message);
                await silo.KillAsync();
            }
        }

        Record("gave up", silo.Name, $"not ready after {StartAttempts} starts; the run goes on without it");
    }

    private async Task RestartPostgresAtAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        await DelayUntilAsync(at, cancellationToken);
        var started = DateTimeOffset.UtcNow;
        Record("PostgreSQL restart", "postgres", "immediate mode");
        await cluster.RestartPostgresAsync();
        Record("PostgreSQL up", "postgres", $"after {(DateTimeOffset.UtcNow - started).TotalSeconds:0.0} s");
    }

    private void Record(string kind, string target, string detail)
    {
        var fault = new FaultEvent(DateTimeOffset.UtcNow, kind, target, detail);
        lock (_events)
        {
            _events.Add(fault);
        }

        log.Line($"fault: {kind} {target} {detail}");
    }

    private static async Task DelayUntilAsync(DateTimeOffset at, CancellationToken cancellationToken)
    {
        var wait = at - DateTimeOffset.UtcNow;
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait, cancellationToken);
        }
    }
}
