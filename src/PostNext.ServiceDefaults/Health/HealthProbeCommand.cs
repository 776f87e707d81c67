namespace PostNext.ServiceDefaults.Health;

/// <summary>
/// <c>probe &lt;url&gt;</c>: exits 0 when the URL answers 2xx within five seconds, else 1. Container health checks use it,
/// because the runtime image carries no curl.
/// </summary>
public static class HealthProbeCommand
{
    public const string Name = "probe";

    public static async Task<int> RunAsync(string[] args)
    {
        var url = args.Length > 0 ? args[0] : "http://127.0.0.1:8080/health/ready";
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(5) };
        try
        {
            using var response = await http.GetAsync(new Uri(url));
            await Console.Out.WriteLineAsync($"{url}: {(int)response.StatusCode}");
            return response.IsSuccessStatusCode ? 0 : 1;
        }
        catch (Exception ex) when (ex is HttpRequestException or TaskCanceledException or UriFormatException)
        {
            await Console.Error.WriteLineAsync($"{url}: {ex.Message}");
            return 1;
        }
    }
}
