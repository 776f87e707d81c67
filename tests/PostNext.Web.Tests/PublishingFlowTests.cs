using System.Globalization;
using System.Web;
using PostNext.Abstractions.Analytics;
using PostNext.Abstractions.Posts;
using PostNext.Abstractions.Scheduling;
using static Microsoft.Playwright.Assertions;

namespace PostNext.Web.Tests;

/// <summary>The whole path a person takes in the app, in a real browser, against the real embedded host.</summary>
[Collection(WebCollection.Name)]
public sealed class PublishingFlowTests(WebHost host)
{
    private static readonly TimeZoneInfo Paris = LocalTimes.FindZone("Europe/Paris")!;

    [Fact]
    public async Task A_person_signs_in_connects_accounts_is_stopped_by_the_X_limit_schedules_moves_the_post_watches_it_publish_and_reads_its_analytics()
    {
        var (ws, _) = await host.CreateWorkspaceAsync("Europe/Paris");
        var page = await host.NewPageAsync();

        // The first owner: the operator's one-time link, opened, email and password chosen; in the app at once.
        await page.GotoAsync("/app");
        Assert.Contains("/app/sign-in", page.Url, StringComparison.Ordinal);
        var email = await host.JoinAsOwnerAsync(page, ws);
        await Expect(page.Locator(".role")).ToHaveTextAsync("owner");
        await Expect(page.Locator(".who .email")).ToHaveTextAsync(email);

        // Signed out, /app sends them to the sign-in page: a wrong password is refused, the right one lets them back in.
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign out" }).ClickAsync();
        await page.GotoAsync("/app");
        Assert.Contains("/app/sign-in", page.Url, StringComparison.Ordinal);
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync("not the password");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.Locator(".flash-error")).ToContainTextAsync("The email or the password is wrong.");
        await page.GetByLabel("Email").FillAsync(email);
        await page.GetByLabel("Password").FillAsync(WebHost.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await WebHost.ArrivedAsync(page, "/app/calendar");
        await Expect(page.Locator(".role")).ToHaveTextAsync("owner");

        // A sandbox account, and an X account through X's OAuth flow (the fake X's consent page agrees at once and sends
        // the browser back with a code bound to the PKCE challenge the server sent).
        await page.GotoAsync("/app/accounts");
        await page.GetByLabel("Handle").FillAsync("acme");
        await page.GetByRole(AriaRole.Button, new() { Name = "Add sandbox account" }).ClickAsync();
        await Expect(page.Locator(".flash-ok")).ToContainTextAsync("Sandbox account connected");
        await page.GetByLabel("Platform").SelectOptionAsync("x");
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect", Exact = true }).ClickAsync();
        await Expect(page.Locator(".flash-ok")).ToContainTextAsync("x account @PostNextDev connected");

        // Compose past X's limit: the live preview counts X's weighted length and shows the broken rule before saving.
        await page.GotoAsync("/app/compose");
        var tooLong = string.Join(' ', Enumerable.Repeat("launching", 30)); // 299 weighted characters
        await page.GetByLabel("sandbox · @acme").CheckAsync();
        await page.GetByLabel("x · @PostNextDev").CheckAsync();
        await page.GetByLabel("Text", new() { Exact = true }).FillAsync(tooLong);
        await Expect(page.GetByTestId("counter-x")).ToContainTextAsync("299 / 280");
        await Expect(page.Locator(".preview[data-platform=x] .violations")).ToBeVisibleAsync();
        await Expect(page.Locator(".preview[data-platform=sandbox] .violations")).ToHaveCountAsync(0);

        // Saving anyway: the API refuses it (422) and the page says why, keeping what was typed.
        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, Paris).DateTime).AddDays(2);
        await page.GetByLabel("At (local time)").FillAsync($"{day:yyyy-MM-dd}T10:30");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save post" }).ClickAsync();
        await Expect(page.Locator("#save-errors")).ToContainTextAsync("x:");
        await Expect(page.Locator("#save-errors")).ToContainTextAsync("Nothing was saved");
        await Expect(page.GetByLabel("Text", new() { Exact = true })).ToHaveValueAsync(tooLong);

        // Fixed: the preview clears, and the post is scheduled for 10:30 Paris time.
        await page.GetByLabel("Text", new() { Exact = true }).FillAsync("Launch day! #postnext");
        await Expect(page.Locator(".preview .violations")).ToHaveCountAsync(0);
        await page.GetByRole(AriaRole.Button, new() { Name = "Save post" }).ClickAsync();
        await WebHost.ArrivedAsync(page, "highlight=");
        var postId = HttpUtility.ParseQueryString(new Uri(page.Url).Query)["highlight"]!;
        var cell = page.Locator($".day[data-date='{day:yyyy-MM-dd}']");
        await Expect(cell.Locator($".pub[data-post='{postId}']")).ToHaveCountAsync(2);
        await Expect(cell.Locator($".pub[data-post='{postId}'] time").First).ToHaveTextAsync("10:30");

        // Dragged to the next day: same local time, both targets moved.
        var next = day.AddDays(1);
        await page.Locator($".day[data-date='{day:yyyy-MM-dd}'] .pub[data-post='{postId}']").First
            .DragToAsync(page.Locator($".day[data-date='{next:yyyy-MM-dd}']"));
        await Expect(page.Locator(".flash-ok")).ToContainTextAsync("Moved to");
        await Expect(page.Locator($".day[data-date='{next:yyyy-MM-dd}'] .pub[data-post='{postId}']")).ToHaveCountAsync(2);
        await Expect(page.Locator($".day[data-date='{day:yyyy-MM-dd}'] .pub[data-post='{postId}']")).ToHaveCountAsync(0);
        var moved = TimeZoneInfo.ConvertTime(DateTimeOffset.Parse(
            (await page.Locator($".day[data-date='{next:yyyy-MM-dd}'] .pub[data-post='{postId}'] time").First.GetAttributeAsync("datetime"))!,
            CultureInfo.InvariantCulture), Paris);
        Assert.Equal((next, new TimeOnly(10, 30)), (DateOnly.FromDateTime(moved.DateTime), TimeOnly.FromDateTime(moved.DateTime)));

        // Published now from the post's page; the page shows it published with each permalink.
        await page.Locator($".pub[data-post='{postId}'] .snippet").First.ClickAsync();
        await WebHost.ArrivedAsync(page, $"/app/posts/{postId}");
        await page.GetByRole(AriaRole.Button, new() { Name = "Publish now" }).ClickAsync();
        await Expect(page.Locator(".flash-ok")).ToContainTextAsync("Publishing now");
        await ReloadUntilAsync(page, page.Locator(".card .badge.st-published"));
        await Expect(page.GetByRole(AriaRole.Link, new() { Name = "Permalink" })).ToHaveCountAsync(2);
        Assert.Contains(host.X.Tweets, t => t.Text == "Launch day! #postnext");

        // Its analytics: the first reading (due a second after publishing here; the due bucket's tick wakes the
        // tracking, which the test does itself) shows on the post's page and in the workspace's analytics.
        await Task.Delay(TimeSpan.FromSeconds(1.5));
        var targets = (await page.Locator("tr[data-account]").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.account)"));
        foreach (var account in targets)
        {
            await host.Grains.GetGrain<IPostMetricsGrain>(PublicationKey.For(postId, account)).WakeAsync();
        }

        await ReloadUntilAsync(page, page.GetByTestId("post-metrics").First);
        await page.GotoAsync("/app/analytics");
        await Expect(page.GetByTestId("analytics-totals")).ToContainTextAsync("Posts published");
        await Expect(page.GetByTestId("top-posts").Locator($"a[href='/app/posts/{postId}']").First).ToBeVisibleAsync();
        await page.Context.CloseAsync();
    }

    /// <summary>Reloads the page until <paramref name="locator"/> shows (the server renders each state; nothing polls in the page).</summary>
    private static async Task ReloadUntilAsync(IPage page, ILocator locator)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (await locator.CountAsync() == 0)
        {
            Assert.True(DateTime.UtcNow < deadline, $"{locator} did not show on {page.Url}: {await page.Locator("main").InnerTextAsync()}");
            await Task.Delay(300);
            await page.ReloadAsync();
        }
    }
}
