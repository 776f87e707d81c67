using Microsoft.Extensions.DependencyInjection;
using Orleans;
using PostNext.Abstractions;
using PostNext.Abstractions.Analytics;
using PostNext.Abstractions.Posts;
using PostNext.Abstractions.Scheduling;
using PostNext.Silo.Hosting;

namespace PostNext.Api.Tests;

/// <summary>
/// The embedded host for analytics tests, with its grain factory at hand so weeks of published posts can be handed to
/// the metrics collectors directly (the API never accepts a publication in the past).
/// </summary>
public sealed class AnalyticsHost : IAsyncLifetime
{
    private RunningHost _host = null!;

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public async Task InitializeAsync()
    {
        string[] args =
        [
            "--urls=http://127.0.0.1:0",
            $"--PostNext:OperatorKey={ApiHost.OperatorKey}",
            $"--PostNext:Cluster:SiloPort={FreePort.Next()}",
            $"--PostNext:Cluster:GatewayPort={FreePort.Next()}",
            "--Logging:LogLevel:Default=Warning",
        ];
        _host = await RunningHost.StartAsync(SiloHost.Build(SiloHost.CreateBuilder(args)));
    }

    public async Task DisposeAsync() => await _host.DisposeAsync();

    public async Task<HttpResponseMessage> SendAsync(HttpMethod method, string path, string? key, object? json = null)
    {
        using var request = new HttpRequestMessage(method, path.TrimStart('/'));
        if (key is not null)
        {
            request.Headers.Authorization = new System.Net.Http.Headers.AuthenticationHeaderValue("Bearer", key);
        }

        if (json is not null)
        {
            request.Content = JsonContent.Create(json);
        }

        return await _host.Http.SendAsync(request);
    }

    public async Task<(string Ws, string Key)> CreateWorkspaceAsync(string timeZone)
    {
        var created = await ApiHost.JsonAsync(await SendAsync(HttpMethod.Post, "/v1/workspaces", ApiHost.OperatorKey, new { name = "Acme", timeZone }), HttpStatusCode.Created);
        return (created["id"]!.GetValue<string>(), created["apiKey"]!.GetValue<string>());
    }

    public async Task<JsonObject> CreateSandboxAccountAsync(string ws, string key, object? sandbox = null) =>
        await ApiHost.JsonAsync(
            await SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/accounts", key, new { platform = "sandbox", handle = "creator", sandbox }),
            HttpStatusCode.Created);
}

/// <summary>Analytics over HTTP: best times found in simulated weeks, best_time scheduling, the SVG heatmap, reports and bad input.</summary>
public sealed class AnalyticsApiTests(AnalyticsHost host) : IClassFixture<AnalyticsHost>
{
    private const string Paris = "Europe/Paris";

    private static readonly TimeZoneInfo Zone = LocalTimes.FindZone(Paris)!;

    private static readonly (DayOfWeek Day, int Hour)[] WeeklySlots =
    [
        (DayOfWeek.Monday, 18), (DayOfWeek.Tuesday, 12), (DayOfWeek.Tuesday, 18), (DayOfWeek.Tuesday, 21),
        (DayOfWeek.Wednesday, 18), (DayOfWeek.Thursday, 18), (DayOfWeek.Saturday, 11), (DayOfWeek.Sunday, 9),
    ];

    [Fact]
    public async Task After_8_weeks_of_posts_best_times_ranks_tuesday_18h_first_and_best_time_scheduling_picks_it()
    {
        var (ws, key) = await host.CreateWorkspaceAsync(Paris);
        var account = await host.CreateSandboxAccountAsync(ws, key, new { followers = 12_000, peakDay = "tue", peakHour = 18, timeZone = Paris });
        var accountId = account["id"]!.GetValue<string>();
        Assert.Equal("tue", account["sandbox"]!["peakDay"]!.GetValue<string>());

        var thin = await ApiHost.JsonAsync(await host.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/accounts/{accountId}/best-times", key), HttpStatusCode.OK);
        Assert.Equal("defaults", thin["source"]!.GetValue<string>());

        // Eight past weeks of posts, each read once now (as after an outage): the sandbox audience decides the figures.
        var now = DateTimeOffset.UtcNow;
        var thisMonday = TimeZoneInfo.ConvertTime(now, Zone).Date.AddDays(-(((int)TimeZoneInfo.ConvertTime(now, Zone).DayOfWeek + 6) % 7));
        var media = new[] { new MediaItem("https://cdn.example.com/a.jpg", MediaType.Image) };
        for (var week = 1; week <= 8; week++)
        {
            foreach (var (day, hour) in WeeklySlots)
            {
                var at = LocalTimes.ToInstant(thisMonday.AddDays(-7 * week + ((int)day + 6) % 7).AddHours(hour), Zone);
                var post = new TrackPost(ws, Ids.New(Ids.Post), accountId, "sandbox", "sbx" + Guid.NewGuid().ToString("N")[..16], at, new PostContent($"week {week}", media));
                var grain = host.Grains.GetGrain<IPostMetricsGrain>(PublicationKey.For(post.PostId, accountId));
                await grain.StartAsync(post);
                Assert.Equal(1, (await grain.CollectDueAsync()).Readings);
            }
        }

        var best = await ApiHost.JsonAsync(await host.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/accounts/{accountId}/best-times", key), HttpStatusCode.OK);
        Assert.Equal("history", best["source"]!.GetValue<string>());
        Assert.Equal(64, best["postsConsidered"]!.GetValue<int>());
        var first = best["slots"]![0]!;
        Assert.Equal(("tue", "18:00", 1, 8), (first["day"]!.GetValue<string>(), first["time"]!.GetValue<string>(), first["rank"]!.GetValue<int>(), first["posts"]!.GetValue<int>()));

        var created = await ApiHost.JsonAsync(await host.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts", key, new
        {
            content = new { text = "At the best time" },
            targets = new[] { new { accountId } },
            schedule = new { mode = "best_time", window = new { from = now.ToString("O"), to = now.AddDays(8).ToString("O") } },
        }), HttpStatusCode.Created);
        Assert.Equal("best_time", created["scheduleMode"]!.GetValue<string>());
        var scheduled = created["targets"]![0]!["scheduledAt"]!.GetValue<DateTimeOffset>();
        var local = TimeZoneInfo.ConvertTime(scheduled, Zone);
        Assert.Equal((DayOfWeek.Tuesday, 18, 0), (local.DayOfWeek, local.Hour, local.Minute));
        Assert.True(scheduled > now && scheduled - now <= TimeSpan.FromDays(7.01));

        var report = await ApiHost.JsonAsync(await host.SendAsync(HttpMethod.Get,
            $"/v1/workspaces/{ws}/accounts/{accountId}/analytics?from={Q(now.AddDays(-70))}&to={Q(now)}", key), HttpStatusCode.OK);
        Assert.Equal(64, report["postsPublished"]!.GetValue<int>());
        Assert.Equal(12_000, report["followers"]!.GetValue<long>());
        Assert.NotNull(report["health"]!["level"]);
        Assert.Equal(7, report["heatmap"]!.AsArray().Count);
        Assert.Equal(64, report["contentTypes"]!.AsArray().Single(t => t!["type"]!.GetValue<string>() == "image")!["posts"]!.GetValue<int>());

        var workspace = await ApiHost.JsonAsync(await host.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/analytics?from={Q(now.AddDays(-70))}", key), HttpStatusCode.OK);
        Assert.Equal(64, workspace["postsPublished"]!.GetValue<int>());
        Assert.Equal(accountId, Assert.Single(workspace["accounts"]!.AsArray())!["accountId"]!.GetValue<string>());
    }

    [Fact]
    public async Task The_best_times_heatmap_is_an_svg_of_7_rows_by_24_hours_with_a_title()
    {
        var (ws, key) = await host.CreateWorkspaceAsync(Paris);
        var accountId = (await host.CreateSandboxAccountAsync(ws, key))["id"]!.GetValue<string>();

        var response = await host.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/accounts/{accountId}/best-times.svg", key);
        var svg = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/svg+xml", response.Content.Headers.ContentType?.MediaType);
        Assert.StartsWith("<svg", svg, StringComparison.Ordinal);
        Assert.Equal(7 * 24, svg.Split("class=\"cell\"").Length - 1);
        Assert.Contains("<title>Best times for @creator (sandbox)</title>", svg, StringComparison.Ordinal);
        Assert.Contains(">Tue<", svg, StringComparison.Ordinal);
        Assert.Contains(">23<", svg, StringComparison.Ordinal);
        _ = System.Xml.Linq.XDocument.Parse(svg); // well-formed
    }

    [Fact]
    public async Task A_published_post_has_a_metrics_series_per_target_with_its_next_reading_five_minutes_after_publishing()
    {
        var (ws, key) = await host.CreateWorkspaceAsync(Paris);
        var accountId = (await host.CreateSandboxAccountAsync(ws, key))["id"]!.GetValue<string>();
        var created = await ApiHost.JsonAsync(await host.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts", key, new
        {
            content = new { text = "Now #live" },
            targets = new[] { new { accountId } },
            schedule = new { mode = "now" },
        }), HttpStatusCode.Created);
        var postId = created["id"]!.GetValue<string>();

        JsonObject metrics;
        var deadline = DateTime.UtcNow.AddSeconds(30);
        do
        {
            await Task.Delay(200);
            metrics = await ApiHost.JsonAsync(await host.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/posts/{postId}/metrics", key), HttpStatusCode.OK);
        }
        while (metrics["targets"]![0]!["nextReadingAt"] is null && DateTime.UtcNow < deadline);

        var target = metrics["targets"]![0]!;
        Assert.Equal(("published", "text", 0), (target["status"]!.GetValue<string>(), target["contentType"]!.GetValue<string>(), target["readings"]!.GetValue<int>()));
        Assert.Equal(target["publishedAt"]!.GetValue<DateTimeOffset>().AddMinutes(5), target["nextReadingAt"]!.GetValue<DateTimeOffset>());
        Assert.Empty(target["series"]!.AsArray());
    }

    public static TheoryData<string, string> BadQueries => new()
    {
        { "from after to", "/accounts/{account}/analytics?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z" },
        { "workspace: from after to", "/analytics?from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z" },
        { "unparsable from", "/accounts/{account}/analytics?from=yesterday" },
        { "range too long", "/analytics?from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z" },
    };

    [Theory]
    [MemberData(nameof(BadQueries))]
    public async Task Bad_ranges_answer_400_with_problem_details(string why, string path)
    {
        var (ws, key) = await host.CreateWorkspaceAsync(Paris);
        var accountId = (await host.CreateSandboxAccountAsync(ws, key))["id"]!.GetValue<string>();

        var response = await host.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}{path.Replace("{account}", accountId, StringComparison.Ordinal)}", key);

        var problem = await ApiHost.JsonAsync(response, HttpStatusCode.BadRequest);
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        Assert.NotNull(problem["errors"]);
        Assert.False(string.IsNullOrEmpty(why));
    }

    [Theory]
    [InlineData("/accounts/acc0123456789abcdef0123/analytics")]
    [InlineData("/accounts/acc0123456789abcdef0123/best-times")]
    [InlineData("/accounts/acc0123456789abcdef0123/best-times.svg")]
    [InlineData("/accounts/not-an-id/best-times")]
    [InlineData("/posts/post0123456789abcdef0123/metrics")]
    public async Task Unknown_accounts_and_posts_answer_404(string path)
    {
        var (ws, key) = await host.CreateWorkspaceAsync(Paris);

        var response = await host.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}{path}", key);

        await ApiHost.JsonAsync(response, HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Another_workspaces_account_is_not_found()
    {
        var (ws, key) = await host.CreateWorkspaceAsync(Paris);
        var (other, otherKey) = await host.CreateWorkspaceAsync(Paris);
        var foreign = (await host.CreateSandboxAccountAsync(other, otherKey))["id"]!.GetValue<string>();

        var response = await host.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/accounts/{foreign}/best-times", key);

        Assert.Equal(HttpStatusCode.NotFound, response.StatusCode);
    }

    public static TheoryData<string, object> BadSchedules => new()
    {
        { "no window", new { mode = "best_time" } },
        { "window to before from", new { mode = "best_time", window = new { from = "2030-01-08T00:00:00Z", to = "2030-01-01T00:00:00Z" } } },
        { "window in the past", new { mode = "best_time", window = new { from = "2020-01-01T00:00:00Z", to = "2020-01-08T00:00:00Z" } } },
        { "window too long", new { mode = "best_time", window = new { from = "2030-01-01T00:00:00Z", to = "2030-03-01T00:00:00Z" } } },
        { "window without a full hour", new { mode = "best_time", window = new { from = "2030-01-01T10:10:00Z", to = "2030-01-01T10:40:00Z" } } },
        { "window and at", new { mode = "best_time", at = "2030-01-01T10:00:00Z", window = new { from = "2030-01-01T00:00:00Z", to = "2030-01-02T00:00:00Z" } } },
    };

    [Theory]
    [MemberData(nameof(BadSchedules))]
    public async Task A_best_time_schedule_without_a_usable_window_answers_400_and_stores_nothing(string why, object schedule)
    {
        var (ws, key) = await host.CreateWorkspaceAsync(Paris);
        var accountId = (await host.CreateSandboxAccountAsync(ws, key))["id"]!.GetValue<string>();

        var response = await host.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/posts", key, new
        {
            content = new { text = "hi" },
            targets = new[] { new { accountId } },
            schedule,
        });

        var problem = await ApiHost.JsonAsync(response, HttpStatusCode.BadRequest);
        Assert.True(problem["errors"]!.AsObject().Any(e => e.Key.StartsWith("schedule", StringComparison.Ordinal)), why);
        var calendar = await ApiHost.JsonAsync(await host.SendAsync(HttpMethod.Get,
            $"/v1/workspaces/{ws}/calendar?from=2029-12-01T00:00:00Z&to=2030-11-30T00:00:00Z", key), HttpStatusCode.OK);
        Assert.Empty(calendar["entries"]!.AsArray());
    }

    [Theory]
    [InlineData("peakDay", "someday")]
    [InlineData("peakHour", 24)]
    [InlineData("followers", -1)]
    [InlineData("timeZone", "Mars/Olympus")]
    public async Task Bad_sandbox_audience_settings_answer_400(string field, object value)
    {
        var (ws, key) = await host.CreateWorkspaceAsync(Paris);

        var response = await host.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/accounts", key,
            new Dictionary<string, object> { ["platform"] = "sandbox", ["handle"] = "x", ["sandbox"] = new Dictionary<string, object> { [field] = value } });

        var problem = await ApiHost.JsonAsync(response, HttpStatusCode.BadRequest);
        Assert.NotNull(problem["errors"]![$"sandbox.{field}"]);
    }

    private static string Q(DateTimeOffset at) => Uri.EscapeDataString(at.ToString("O"));
}
