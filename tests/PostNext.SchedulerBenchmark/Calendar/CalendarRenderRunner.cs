using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace PostNext.SchedulerBenchmark.Calendar;

/// <summary>What the calendar render mode measured: server-side render times of one month view, in milliseconds.</summary>
public sealed record CalendarRenderResult(
    MachineInfo Machine,
    string Host,
    int Publications,
    string Month,
    int EntriesRendered,
    long PageBytes,
    double CreationSeconds,
    int Renders,
    double P50Ms,
    double P95Ms,
    double MaxMs,
    double MinMs,
    IReadOnlyList<string> Configuration);

/// <summary>
/// The calendar render mode (--calendar-render): one PostNext silo process (embedded, or in cluster mode on a
/// throwaway PostgreSQL with --cluster), one workspace with one sandbox account and N single-target posts due across
/// next month (created through the public API); a person who joined by the operator's bootstrap link (a session
/// cookie) then asks for <c>/app/calendar</c>'s month view, a few times to warm up, then timed: the time from sending
/// the GET on loopback to the last byte of the page, the server's rendering with it (the client does nothing else).
/// </summary>
public static partial class CalendarRenderRunner
{
    private const int WarmUps = 3;
    private const string Password = "calendar benchmark password";

    public static async Task<CalendarRenderResult> RunAsync(BenchmarkOptions options, Action<string> output, CancellationToken cancellationToken)
    {
        using var run = RunOutput.Open(options, output);
        var (directory, log, machine) = (run.Directory, run.Log, run.Machine);
        var siloAssembly = Binaries.Prepare(options.Configuration, directory, log).Silo;

        await using var postgres = options.CalendarCluster ? await BenchmarkPostgres.StartAsync(directory, log) : null;
        var database = postgres is null ? null : await postgres.CreateDatabaseAsync("calendar");
        var silo = database is null
            ? PostNextSilo.CreateEmbedded(siloAssembly, directory, options.SiloSettings)
            : PostNextSilo.Create(siloAssembly, database, directory, options.SiloSettings);
        await using var postNext = new PostNextScheduler(silo, database ?? "", database is null ? "" : new NpgsqlConnectionStringBuilder(database).Database!, options.Concurrency);
        var ready = await silo.StartAsync(cancellationToken);
        log.Line($"silo ({(database is null ? "embedded" : "cluster mode on PostgreSQL")}) ready in {ready.TotalSeconds:0.0} s, pid {silo.ProcessId}");

        var target = await postNext.CreateWorkspaceAsync("calendar", cancellationToken);
        var now = DateTimeOffset.UtcNow;
        var month = new DateTimeOffset(now.Year, now.Month, 1, 0, 0, 0, TimeSpan.Zero).AddMonths(1);
        // Spread over the month from its first day 01:00 UTC to its last day 23:00 (the workspace is in UTC).
        var first = month.AddHours(1);
        var spread = month.AddMonths(1).AddHours(-1) - first;
        var count = options.CalendarPublications;
        log.Line($"creating {count:N0} posts due across {month:yyyy-MM} through the API, {options.Concurrency} concurrent requests");
        var creation = await postNext.CreatePostsAsync([target], count, i => first + spread * (i / (double)count), "calendar", cancellationToken);
        log.Line($"{count:N0} posts created in {creation.TotalSeconds:0.0} s ({count / creation.TotalSeconds:0}/s)");

        using var browser = await SignInAsync(silo, target.Workspace, cancellationToken);
        var path = $"app/calendar?view=month&date={month:yyyy-MM-dd}";
        var (entries, bytes) = (0, 0L);
        for (var i = 0; i < WarmUps; i++)
        {
            (entries, bytes, _) = await RenderAsync(browser, path, cancellationToken);
        }

        if (entries != count)
        {
            throw new InvalidOperationException($"The month view shows {entries} publications, not the {count} created.");
        }

        var times = new List<double>();
        for (var i = 0; i < options.CalendarRenders; i++)
        {
            times.Add((await RenderAsync(browser, path, cancellationToken)).Milliseconds);
        }

        times.Sort();
        var result = new CalendarRenderResult(
            machine, database is null ? "embedded" : "cluster (PostgreSQL)", count, month.ToString("yyyy-MM", CultureInfo.InvariantCulture), entries, bytes,
            creation.TotalSeconds, times.Count, Percentile(times, 0.50), Percentile(times, 0.95), times[^1], times[0],
            [.. silo.Configuration, $"{WarmUps} warm-up renders, then {times.Count} timed one after another; GET /{path} with a session cookie"]);
        var table = Format(result);
        File.WriteAllText(Path.Combine(directory, "calendar-render.json"), JsonSerializer.Serialize(result, new JsonSerializerOptions(JsonSerializerDefaults.Web) { WriteIndented = true }));
        File.WriteAllText(Path.Combine(directory, "calendar-render.md"), table);
        foreach (var line in table.TrimEnd().Split('\n'))
        {
            log.Line(line);
        }

        log.Line($"calendar-render.json, calendar-render.md and the logs are in {directory}");
        return result;
    }

    /// <summary>A client holding the session of the workspace's first owner, who joined through the operator's bootstrap link.</summary>
    private static async Task<HttpClient> SignInAsync(PostNextSilo silo, string ws, CancellationToken cancellationToken)
    {
        var client = new HttpClient(new SocketsHttpHandler { CookieContainer = new CookieContainer(), AllowAutoRedirect = false }) { BaseAddress = silo.Address };
        using var linkRequest = new HttpRequestMessage(HttpMethod.Post, $"v1/workspaces/{ws}/bootstrap-link");
        linkRequest.Headers.Authorization = new("Bearer", silo.OperatorKey);
        using var linkResponse = await client.SendAsync(linkRequest, cancellationToken);
        linkResponse.EnsureSuccessStatusCode();
        var link = (await linkResponse.Content.ReadFromJsonAsync<JsonElement>(cancellationToken)).GetProperty("link").GetString()!;
        var token = Uri.UnescapeDataString(TokenPattern().Match(link).Groups[1].Value);
        using var accepted = await client.PostAsJsonAsync("v1/auth/invitations/accept", new { token, email = "owner@example.com", password = Password }, cancellationToken);
        if (!accepted.IsSuccessStatusCode)
        {
            throw new InvalidOperationException($"Joining by the bootstrap link answered {(int)accepted.StatusCode}: {await accepted.Content.ReadAsStringAsync(cancellationToken)}");
        }

        return client;
    }

    private static async Task<(int Entries, long Bytes, double Milliseconds)> RenderAsync(HttpClient client, string path, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        using var response = await client.GetAsync(path, cancellationToken);
        var html = await response.Content.ReadAsStringAsync(cancellationToken);
        var elapsed = clock.Elapsed.TotalMilliseconds;
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException($"GET /{path} answered {(int)response.StatusCode}.");
        }

        return (EntryPattern().Count(html), Encoding.UTF8.GetByteCount(html), elapsed);
    }

    private static double Percentile(List<double> sorted, double p) => sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static string Format(CalendarRenderResult r)
    {
        var text = new StringBuilder();
        text.AppendLine("| host | publications in the month | page | renders | p50 | p95 | max | min |");
        text.AppendLine("|---|---:|---:|---:|---:|---:|---:|---:|");
        text.AppendLine(string.Create(CultureInfo.InvariantCulture,
            $"| {r.Host} | {r.Publications:N0} ({r.Month}) | {r.PageBytes / 1024.0:0} KiB | {r.Renders} | {r.P50Ms:0} ms | {r.P95Ms:0} ms | {r.MaxMs:0} ms | {r.MinMs:0} ms |"));
        return text.ToString();
    }

    [GeneratedRegex(@"[?&]token=([^&#]+)")]
    private static partial Regex TokenPattern();

    /// <summary>Each publication on the page is one entry (<c>data-testid="pub-{post}-{account}"</c>).</summary>
    [GeneratedRegex("data-testid=\"pub-")]
    private static partial Regex EntryPattern();
}
