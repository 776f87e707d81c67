using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PostNext.Hosting.Tests.Observability;

/// <summary>
/// <c>dotnet run</c> for a newcomer: the real silo process in Development prints no framework chatter (Orleans option
/// dumps, per-call resilience logs, lifetime notices), and its last lines are the URLs, the development key and the
/// one-time link that makes the first owner of a new workspace.
/// </summary>
public sealed class DevelopmentConsoleTests
{
    [Fact]
    public async Task The_development_console_ends_with_the_urls_the_key_and_a_working_first_owner_link()
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
        var linkShown = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
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

            if (line.Contains("First owner, open once:", StringComparison.Ordinal))
            {
                linkShown.TrySetResult();
            }
        }

        process.OutputDataReceived += (_, e) => Collect(e.Data);
        process.ErrorDataReceived += (_, e) => Collect(e.Data);
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        try
        {
            await linkShown.Task.WaitAsync(TimeSpan.FromSeconds(60));

            // Whatever would still follow the banner has been written well within this.
            await Task.Delay(TimeSpan.FromSeconds(2));

            // The printed link works once: its token accepted with an email and a password makes the workspace's owner.
            string link;
            lock (lines)
            {
                link = lines.Single(l => l.Contains("First owner, open once:", StringComparison.Ordinal)).Split("open once:", 2)[1].Trim();
            }

            Assert.StartsWith($"http://127.0.0.1:{port}/app/join?token=", link, StringComparison.Ordinal);
            using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}/") };
            using var accepted = await http.PostAsJsonAsync("v1/auth/invitations/accept",
                new { token = link.Split("token=", 2)[1], email = "first@example.com", password = "a long enough password" });
            var session = JsonNode.Parse(await accepted.Content.ReadAsStringAsync())!;
            Assert.Equal(HttpStatusCode.OK, accepted.StatusCode);
            Assert.Equal("owner", session["role"]!.GetValue<string>());
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

        var tail = shown.TakeLast(4).ToList();
        Assert.Contains($"PostNext listening on http://127.0.0.1:{port}", tail[0], StringComparison.Ordinal);
        Assert.StartsWith("  Development operator key: dev-", tail[1], StringComparison.Ordinal);
        Assert.StartsWith("  First owner, open once:   http://", tail[2], StringComparison.Ordinal);
        Assert.Contains("PostNext:OperatorKey", tail[3], StringComparison.Ordinal);
    }
}
