using System.Diagnostics;

namespace PostNext.Hosting.Tests.Observability;

/// <summary>
/// <c>dotnet run</c> for a newcomer: the real silo process in Development prints no framework chatter (Orleans option
/// dumps, per-call resilience logs, lifetime notices), and its last lines are the URLs and the development key.
/// </summary>
public sealed class DevelopmentConsoleTests
{
    [Fact]
    public async Task The_development_console_ends_with_the_urls_and_the_key()
    {
        var port = FreePort.Next();
        var start = new ProcessStartInfo("dotnet")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = AppContext.BaseDirectory,
        };
        foreach (var argument in new[]
                 {
                     Path.Combine(AppContext.BaseDirectory, "PostNext.Silo.dll"), "--urls", $"http://127.0.0.1:{port}",
                     $"--PostNext:Cluster:SiloPort={FreePort.Next()}", $"--PostNext:Cluster:GatewayPort={FreePort.Next()}",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        start.Environment["ASPNETCORE_ENVIRONMENT"] = "Development";
        start.Environment.Remove("DOTNET_ENVIRONMENT");
        start.Environment.Remove("Logging__LogLevel__Default");

        var lines = new List<string>();
        var keyShown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        using var process = Process.Start(start)!;
        void Collect(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (lines)
            {
                lines.Add(line);
            }

            if (line.Contains("Development operator key:", StringComparison.Ordinal))
            {
                keyShown.TrySetResult();
            }
        }

        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await keyShown.Task.WaitAsync(TimeSpan.FromSeconds(60));

            // Whatever would still follow the banner has been written well within this.
            await Task.Delay(TimeSpan.FromSeconds(2));
        }
        finally
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync();
        }

        List<string> shown;
        lock (lines)
        {
            shown = lines.Where(l => l.Trim().Length > 0).ToList();
        }

        var all = string.Join("\n", shown);
        Assert.DoesNotContain("SiloOptionsLogger", all, StringComparison.Ordinal);
        Assert.DoesNotContain("Execution attempt", all, StringComparison.Ordinal);
        Assert.True(shown.Count <= 15, $"{shown.Count} lines before and with the banner:\n{all}");

        var tail = shown.TakeLast(3).ToList();
        Assert.Contains($"PostNext listening on http://127.0.0.1:{port}", tail[0], StringComparison.Ordinal);
        Assert.StartsWith("  Development operator key: dev-", tail[1], StringComparison.Ordinal);
        Assert.Contains("PostNext:OperatorKey", tail[2], StringComparison.Ordinal);
    }
}
