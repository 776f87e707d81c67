using System.Diagnostics;
using System.Net.Http.Json;
using System.Text.Json.Nodes;

namespace PostNext.Testing;

/// <summary>
/// A real Prometheus server (Debian package <c>prometheus</c>) in a temporary directory, scraping given targets on
/// loopback every second; queried through its HTTP API. Without the binary it fails and says what to install.
/// </summary>
public sealed class Prometheus : IAsyncDisposable
{
    private readonly Process _process;
    private readonly string _directory;
    private readonly HttpClient _http;

    private Prometheus(Process process, string directory, Uri address)
    {
        _process = process;
        _directory = directory;
        _http = new HttpClient { BaseAddress = address, Timeout = TimeSpan.FromSeconds(10) };
    }

    /// <summary>The <c>prometheus</c> binary, or an exception naming the package to install.</summary>
    public static string Binary()
    {
        foreach (var candidate in new[] { Environment.GetEnvironmentVariable("POSTNEXT_TEST_PROMETHEUS"), "/usr/bin/prometheus", "/usr/local/bin/prometheus" })
        {
            if (!string.IsNullOrEmpty(candidate) && File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException(
            "This test runs a real Prometheus and none was found: install the Debian package 'prometheus' (apt-get install -y prometheus; " +
            ".ci/run does it), or set POSTNEXT_TEST_PROMETHEUS to a prometheus binary.");
    }

    /// <summary>
    /// Starts Prometheus scraping <paramref name="target"/> (host:port) at <paramref name="metricsPath"/> with the
    /// bearer <paramref name="bearer"/>, and waits until its API answers.
    /// </summary>
    public static async Task<Prometheus> StartAsync(string target, string metricsPath, string bearer, string job = "postnext")
    {
        var binary = Binary();
        var directory = Directory.CreateTempSubdirectory("postnext-prometheus-").FullName;
        var config = Path.Combine(directory, "prometheus.yml");
        await File.WriteAllTextAsync(config, $"""
            global:
              scrape_interval: 1s
              scrape_timeout: 1s
              evaluation_interval: 1s
            scrape_configs:
              - job_name: {job}
                metrics_path: {metricsPath}
                authorization:
                  type: Bearer
                  credentials: {bearer}
                static_configs:
                  - targets: ["{target}"]
            """);
        var port = FreePort.Next();
        var start = new ProcessStartInfo(binary)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
            WorkingDirectory = directory,
        };
        foreach (var argument in new[]
                 {
                     $"--config.file={config}", $"--storage.tsdb.path={Path.Combine(directory, "data")}",
                     $"--web.listen-address=127.0.0.1:{port}", "--storage.tsdb.retention.time=1h",
                 })
        {
            start.ArgumentList.Add(argument);
        }

        var process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start {binary}.");
        var log = new System.Text.StringBuilder();
        process.OutputDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.ErrorDataReceived += (_, e) => { lock (log) { log.AppendLine(e.Data); } };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();

        var prometheus = new Prometheus(process, directory, new Uri($"http://127.0.0.1:{port}/"));
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            if (process.HasExited)
            {
                await prometheus.DisposeAsync();
                throw new InvalidOperationException($"Prometheus exited with code {process.ExitCode}: {log}");
            }

            try
            {
                if ((await prometheus._http.GetAsync("-/ready")).IsSuccessStatusCode)
                {
                    return prometheus;
                }
            }
            catch (HttpRequestException)
            {
                // Not listening yet.
            }

            if (DateTime.UtcNow > deadline)
            {
                await prometheus.DisposeAsync();
                throw new TimeoutException($"Prometheus did not become ready within 30 s: {log}");
            }

            await Task.Delay(200);
        }
    }

    /// <summary>An instant query; the <c>data.result</c> array (throws on an error answer).</summary>
    public async Task<JsonArray> QueryAsync(string promql)
    {
        // A refused query answers 400 with the same JSON, its error saying why.
        using var response = await _http.GetAsync($"api/v1/query?query={Uri.EscapeDataString(promql)}");
        var answer = await response.Content.ReadFromJsonAsync<JsonObject>() ?? throw new InvalidOperationException("Prometheus answered nothing.");
        if (answer["status"]?.GetValue<string>() != "success")
        {
            throw new InvalidOperationException($"Prometheus refused '{promql}': {answer}");
        }

        return answer["data"]!["result"]!.AsArray();
    }

    /// <summary>Polls a query until its first sample's value satisfies <paramref name="done"/>; returns that value.</summary>
    public async Task<double> WaitForAsync(string promql, Func<double, bool> done, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        JsonArray last;
        while (true)
        {
            last = await QueryAsync(promql);
            if (last.Count > 0 && double.TryParse(last[0]!["value"]![1]!.GetValue<string>(), System.Globalization.CultureInfo.InvariantCulture, out var value) && done(value))
            {
                return value;
            }

            if (DateTime.UtcNow > deadline)
            {
                var targets = await _http.GetStringAsync("api/v1/targets");
                throw new TimeoutException($"'{promql}' did not reach the expected value within {timeout}; last result {last.ToJsonString()}; targets: {targets}");
            }

            await Task.Delay(250);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _http.Dispose();
        try
        {
            if (!_process.HasExited)
            {
                _process.Kill(entireProcessTree: true);
                await _process.WaitForExitAsync();
            }
        }
        catch (InvalidOperationException)
        {
            // Already gone.
        }

        _process.Dispose();
        try
        {
            Directory.Delete(_directory, recursive: true);
        }
        catch (IOException)
        {
            // Best effort: a temp directory.
        }
    }
}
