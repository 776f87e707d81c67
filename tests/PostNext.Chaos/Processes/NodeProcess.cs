using System.Diagnostics;

namespace PostNext.Chaos.Processes;

/// <summary>
/// One silo or API front process: always started with the same arguments (so a restarted silo keeps its ports),
/// its output appended to one log file across restarts, killed with SIGKILL.
/// </summary>
public sealed class NodeProcess(string name, string dotnet, string assembly, IReadOnlyList<string> arguments, Uri httpAddress, string logPath) : IAsyncDisposable
{
    private static readonly HttpClient Probe = new() { Timeout = TimeSpan.FromSeconds(3) };

    /// <summary>What an operator's deployment runs as (not Development, whatever the caller's environment says).</summary>
    private static readonly Dictionary<string, string> ProductionEnvironment = new()
    {
        ["ASPNETCORE_ENVIRONMENT"] = "Production",
        ["DOTNET_ENVIRONMENT"] = "Production",
    };

    private Process? _process;

    public string Name { get; } = name;

    public Uri HttpAddress { get; } = httpAddress;

    public string LogPath { get; } = logPath;

    /// <summary>How many times the process was started.</summary>
    public int Starts { get; private set; }

    public bool IsRunning => _process is { HasExited: false };

    public int? ProcessId => _process?.Id;

    public async Task StartAsync()
    {
        if (IsRunning)
        {
            throw new InvalidOperationException($"{Name} is already running.");
        }

        _process?.Dispose();
        Starts++;
        await File.AppendAllTextAsync(LogPath, $"{Environment.NewLine}===== chaos: start #{Starts} of {Name} at {DateTimeOffset.UtcNow:O} ====={Environment.NewLine}");
        _process = await ChildProcesses.StartAsync(dotnet, [assembly, .. arguments], LogPath, Path.GetDirectoryName(assembly)!, ProductionEnvironment);
    }

    /// <summary>Waits until <c>/health/ready</c> answers 200 (silo active or client connected, PostgreSQL reachable).</summary>
    public async Task WaitReadyAsync(TimeSpan timeout, CancellationToken cancellationToken)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (_process is null || _process.HasExited)
            {
                throw new InvalidOperationException($"{Name} exited with {(_process?.HasExited == true ? _process.ExitCode : -1)} before it was ready; see {LogPath}.");
            }

            try
            {
                using var response = await Probe.GetAsync(new Uri(HttpAddress, "health/ready"), cancellationToken);
                if (response.IsSuccessStatusCode)
                {
                    return;
                }
            }
            catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException && !cancellationToken.IsCancellationRequested)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                throw new TimeoutException($"{Name} was not ready within {timeout.TotalSeconds:0} s; see {LogPath}.");
            }

            await Task.Delay(250, cancellationToken);
        }
    }

    /// <summary>SIGKILL (no shutdown, no goodbye to the cluster), and waits until the process is gone.</summary>
    public async Task KillAsync()
    {
        if (_process is not { HasExited: false } process)
        {
            return;
        }

        await File.AppendAllTextAsync(LogPath, $"{Environment.NewLine}===== chaos: SIGKILL {Name} (pid {process.Id}) at {DateTimeOffset.UtcNow:O} ====={Environment.NewLine}");
        process.Kill(entireProcessTree: false);
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(30));
        await process.WaitForExitAsync(timeout.Token);
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await KillAsync();
        }
        catch (Exception ex) when (ex is InvalidOperationException or OperationCanceledException)
        {
            // Already gone.
        }

        _process?.Dispose();
        _process = null;
    }
}
