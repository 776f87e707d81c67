using System.Collections.Concurrent;
using System.Diagnostics;

namespace PostNext.Chaos.Processes;

/// <summary>
/// Starts the cluster's processes so that none outlives this one. Each is started through <c>setpriv --pdeathsig
/// KILL</c>, which then execs it (same pid, so a kill reaches the process itself, not a wrapper): the kernel kills
/// it when its parent goes, even if this process is SIGKILLed. The parent the kernel watches is the starting
/// thread, so every start happens on one dedicated thread that lives as long as the process. Output goes straight
/// to a log file (a shell redirection before the exec), never through a pipe to this process.
/// </summary>
public static class ChildProcesses
{
    private static readonly BlockingCollection<(ProcessStartInfo Start, TaskCompletionSource<Process> Started)> Requests = [];
    private static readonly bool HasSetpriv = File.Exists("/usr/bin/setpriv") || File.Exists("/bin/setpriv");

    static ChildProcesses()
    {
        var thread = new Thread(() =>
        {
            foreach (var (start, started) in Requests.GetConsumingEnumerable())
            {
                try
                {
                    started.SetResult(Process.Start(start) ?? throw new InvalidOperationException($"{start.FileName} did not start."));
                }
                catch (Exception ex)
                {
                    started.SetException(ex);
                }
            }
        })
        {
            IsBackground = true,
            Name = "chaos child starter",
        };
        thread.Start();
    }

    /// <summary>Starts <paramref name="file"/> with <paramref name="arguments"/>, stdout and stderr appended to <paramref name="logPath"/>.</summary>
    public static Task<Process> StartAsync(
        string file, IEnumerable<string> arguments, string logPath, string workingDirectory, IReadOnlyDictionary<string, string>? environment = null)
    {
        var start = new ProcessStartInfo(HasSetpriv ? "setpriv" : "sh")
        {
            UseShellExecute = false,
            WorkingDirectory = workingDirectory,
        };
        if (HasSetpriv)
        {
            foreach (var arg in new[] { "--pdeathsig", "KILL", "--", "sh" })
            {
                start.ArgumentList.Add(arg);
            }
        }

        // sh -c 'exec "$@" …' chaos-node FILE ARGS…: the redirection happens in sh, then the exec keeps the pid.
        foreach (var arg in new[] { "-c", "exec \"$@\" >>\"$CHAOS_LOG\" 2>&1 </dev/null", "chaos-node", file })
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var arg in arguments)
        {
            start.ArgumentList.Add(arg);
        }

        foreach (var (name, value) in environment ?? new Dictionary<string, string>())
        {
            start.Environment[name] = value;
        }

        start.Environment["CHAOS_LOG"] = logPath;
        var started = new TaskCompletionSource<Process>(TaskCreationOptions.RunContinuationsAsynchronously);
        Requests.Add((start, started));
        return started.Task;
    }
}
