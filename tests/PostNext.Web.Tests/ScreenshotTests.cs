using System.Globalization;
using PostNext.Abstractions;
using PostNext.Abstractions.Analytics;
using PostNext.Abstractions.Posts;
using PostNext.Abstractions.Scheduling;
using static Microsoft.Playwright.Assertions;

namespace PostNext.Web.Tests;

/// <summary>
/// The README's screenshots, taken from a workspace with eight weeks of history: calendar, composer and analytics at
/// desktop width, and the calendar at phone width (which must not scroll sideways). They go to a temporary folder, or
/// to the folder in <c>POSTNEXT_SCREENSHOTS</c> (the README's command sets it to docs/screenshots).
/// </summary>
[Collection(WebCollection.Name)]
public sealed class ScreenshotTests(WebHost host)
{
    private static readonly TimeZoneInfo Paris = LocalTimes.FindZone("Europe/Paris")!;

    [Fact]
    public async Task Calendar_composer_and_analytics_render_with_history_and_fit_a_phone()
    {
        var folder = Environment.GetEnvironmentVariable("POSTNEXT_SCREENSHOTS") is { Length: > 0 } configured
            ? configured
            : Directory.CreateTempSubdirectory("postnext-screens").FullName;
        Directory.CreateDirectory(folder);
        var (ws, key) = await host.CreateWorkspaceAsync("Europe/Paris", "Acme Coffee");
        var account = (await host.SendAsync(HttpMethod.Post, $"v1/workspaces/{ws}/accounts", key, new
        {
            platform = "sandbox", handle = "acme.coffee", sandbox = new { followers = 12_000, peakDay = "tue", peakHour = 18, timeZone = "Europe/Paris" },
        }))["id"]!.GetValue<string>();
        await SeedHistoryAsync(ws, account);
        var today = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Paris).DateTime);
        string[] texts = ["New seasonal roast is here ☕ #coffee", "Behind the scenes at the roastery #coffee #craft", "Weekend brunch menu 🥐", "Latte art contest results!", "Cold brew recipe thread"];
        for (var i = 0; i < texts.Length; i++)
        {
            var local = today.AddDays(1 + (i * 3)).ToDateTime(new TimeOnly(9 + (i * 2), 0));
            await host.SendAsync(HttpMethod.Post, $"v1/workspaces/{ws}/posts", key, new
            {
                content = new { text = texts[i] },
                targets = new[] { new { accountId = account } },
                schedule = new { at = local.ToString("yyyy-MM-ddTHH:mm:ss", CultureInfo.InvariantCulture), timeZone = "Europe/Paris" },
            });
        }

        var page = await host.NewPageAsync();
        await host.JoinAsOwnerAsync(page, ws);
        await Expect(page.Locator(".pub")).ToHaveCountAsync(texts.Length);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "calendar.png"), FullPage = true });

        await page.GotoAsync("/app/compose");
        await page.GetByLabel("sandbox · @acme.coffee").CheckAsync();
        await page.GetByLabel("x", new() { Exact = true }).CheckAsync();
        await page.GetByLabel("Text", new() { Exact = true }).FillAsync(string.Concat(Enumerable.Repeat("Our new single-origin roast from Huila, Colombia: notes of red apple, panela and cacao. ", 4)) + "#coffee");
        await Expect(page.Locator(".preview[data-platform=x] .violations")).ToBeVisibleAsync();
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "composer.png"), FullPage = true });

        await page.GotoAsync("/app/analytics?days=90");
        await Expect(page.Locator("figure svg")).ToHaveCountAsync(1);
        await page.ScreenshotAsync(new() { Path = Path.Combine(folder, "analytics.png"), FullPage = true });

        await page.SetViewportSizeAsync(390, 844);
        var small = page;
        foreach (var path in new[] { "/app/calendar", "/app/compose", "/app/posts", "/app/accounts", "/app/analytics" })
        {
            await small.GotoAsync(path);
            var widths = await small.EvaluateAsync<int[]>("() => [document.documentElement.scrollWidth, document.documentElement.clientWidth]");
            var (scroll, client) = (widths[0], widths[1]);
            Assert.True(scroll <= client, $"{path} scrolls sideways on a phone: {scroll} > {client}");
        }

        await small.GotoAsync("/app/calendar");
        await small.ScreenshotAsync(new() { Path = Path.Combine(folder, "calendar-phone.png") });
        await page.Context.CloseAsync();
        Assert.All(new[] { "calendar.png", "composer.png", "analytics.png", "calendar-phone.png" }, f => Assert.True(new FileInfo(Path.Combine(folder, f)).Length > 10_000, f));
    }

    /// <summary>Eight past weeks of posts, each read once now (as after an outage): the sandbox audience decides the figures.</summary>
    private async Task SeedHistoryAsync(string ws, string account)
    {
        var now = DateTimeOffset.UtcNow;
        var local = TimeZoneInfo.ConvertTime(now, Paris).Date;
        var monday = local.AddDays(-(((int)local.DayOfWeek + 6) % 7));
        (int Day, int Hour, string Text)[] slots = [(0, 18, "Monday grind #coffee"), (1, 12, "Lunch pour-over #coffee #brew"), (1, 18, "Tuesday tasting #coffee"), (3, 9, "Morning espresso"), (5, 11, "Weekend brunch #brunch")];
        for (var week = 1; week <= 8; week++)
        {
            foreach (var (day, hour, text) in slots)
            {
                var at = LocalTimes.ToInstant(monday.AddDays((-7 * week) + day).AddHours(hour), Paris);
                var media = hour == 18 ? new[] { new MediaItem("https://cdn.example.com/a.jpg", MediaType.Image) } : [];
                var post = new TrackPost(ws, Ids.New(Ids.Post), account, "sandbox", "sbx" + Guid.NewGuid().ToString("N")[..16], at, new PostContent(text, media));
                var grain = host.Grains.GetGrain<IPostMetricsGrain>(PublicationKey.For(post.PostId, account));
                await grain.StartAsync(post);
                await grain.CollectDueAsync();
            }
        }
    }
}
