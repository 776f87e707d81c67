using System.Text.RegularExpressions;
using System.Web;
using PostNext.Abstractions.Scheduling;
using static Microsoft.Playwright.Assertions;

namespace PostNext.Web.Tests;

/// <summary>
/// Issue #13 follow-up "the composer shows what follows the post": an X account takes a thread (parts after the post),
/// a Facebook Page a first comment; the composer lets a person write them, the preview shows each part with its own
/// counter and the rules it breaks, and the saved post carries them as the API's target options (with the options the
/// composer does not edit kept as they were).
/// </summary>
[Collection(WebCollection.Name)]
public sealed class ComposerFollowUpsTests(WebHost host)
{
    [Fact]
    public async Task A_person_writes_an_X_thread_and_a_Facebook_first_comment_sees_them_in_the_preview_saves_them_and_finds_them_when_editing()
    {
        var (ws, key) = await host.CreateWorkspaceAsync("Europe/Paris");
        var page = await host.NewPageAsync();
        await host.JoinAsOwnerAsync(page, ws);
        await page.GotoAsync("/app/accounts");
        await page.GetByLabel("Platform").SelectOptionAsync("x");
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect", Exact = true }).ClickAsync();
        await Expect(page.Locator(".flash-ok")).ToContainTextAsync("x account @PostNextDev connected");
        await page.GetByLabel("Platform").SelectOptionAsync("facebook");
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect", Exact = true }).ClickAsync();
        await Expect(page).ToHaveURLAsync(new Regex("/app/accounts/choose/"), new() { Timeout = 30_000 });
        await page.GetByLabel("PostNext Café", new() { Exact = false }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect the chosen accounts" }).ClickAsync();
        await Expect(page.Locator(".flash-ok")).ToContainTextAsync("facebook account @postnextcafe");

        await page.GotoAsync("/app/compose");
        await page.GetByLabel("x · @PostNextDev").CheckAsync();
        await page.GetByLabel("facebook · @postnextcafe").CheckAsync();
        await page.GetByLabel("Text", new() { Exact = true }).FillAsync("Our new menu is out");

        // A thread whose last part is over X's limit: the preview shows every part and the part that breaks the rule.
        await page.GetByText("Thread after the post on @PostNextDev").ClickAsync();
        var thread = page.GetByLabel("Thread parts for @PostNextDev");
        var tooLong = string.Join(' ', Enumerable.Repeat("croissant", 30)); // 299 weighted characters
        await thread.FillAsync($"Espresso first\n---\n{tooLong}");
        var x = page.Locator(".preview[data-platform=x]");
        await Expect(x.Locator(".follow-up")).ToHaveCountAsync(2);
        await Expect(x.Locator(".follow-up").First).ToContainTextAsync("Thread part 2 of 3");
        await Expect(x.Locator(".follow-up").First).ToContainTextAsync("Espresso first");
        await Expect(x.Locator(".follow-up").Nth(1).Locator(".counter")).ToContainTextAsync("299 / 280");
        await Expect(x.Locator(".violations")).ToContainTextAsync("Thread part 3");
        await thread.FillAsync("Espresso first\n---\nThen the pastries");
        await Expect(x.Locator(".violations")).ToHaveCountAsync(0);
        await Expect(x.Locator(".follow-up").Nth(1)).ToContainTextAsync("Then the pastries");

        // The Page's first comment shows under its preview (and nowhere else).
        await page.GetByText("First comment on @postnextcafe").ClickAsync();
        await page.GetByLabel("First comment for @postnextcafe").FillAsync("Prices in the comments");
        var facebook = page.Locator(".preview[data-platform=facebook]");
        await Expect(facebook.Locator(".follow-up")).ToContainTextAsync("First comment");
        await Expect(facebook.Locator(".follow-up")).ToContainTextAsync("Prices in the comments");
        await Expect(x.Locator(".follow-up")).ToHaveCountAsync(2);

        var day = DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(DateTimeOffset.UtcNow, LocalTimes.FindZone("Europe/Paris")!).DateTime).AddDays(2);
        await page.GetByLabel("At (local time)").FillAsync($"{day:yyyy-MM-dd}T10:30");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save post" }).ClickAsync();
        await WebHost.ArrivedAsync(page, "highlight=");
        var postId = HttpUtility.ParseQueryString(new Uri(page.Url).Query)["highlight"]!;

        // Saved as the API's options: the X target's thread, the Page's first comment.
        var post = await host.SendAsync(HttpMethod.Get, $"v1/workspaces/{ws}/posts/{postId}", key);
        var targets = post["targets"]!.AsArray().ToDictionary(t => t!["platform"]!.GetValue<string>(), t => t!["options"]);
        Assert.Equal(["Espresso first", "Then the pastries"], targets["x"]!["x"]!["thread"]!.AsArray().Select(p => p!["text"]!.GetValue<string>()));
        Assert.Equal("Prices in the comments", targets["facebook"]!["facebook"]!["firstComment"]!.GetValue<string>());

        // Editing the post: both are in the composer again, and in its preview before anything is typed.
        await page.GotoAsync($"/app/compose?postId={postId}");
        await Expect(page.GetByLabel("Thread parts for @PostNextDev")).ToHaveValueAsync("Espresso first\n---\nThen the pastries");
        await Expect(page.GetByLabel("First comment for @postnextcafe")).ToHaveValueAsync("Prices in the comments");
        await Expect(page.Locator(".preview[data-platform=x] .follow-up")).ToHaveCountAsync(2);
        await Expect(page.Locator(".preview[data-platform=facebook] .follow-up")).ToContainTextAsync("Prices in the comments");

        // What the composer does not edit (here the Page's post type, chosen through the API) is kept when it saves.
        var accounts = post["targets"]!.AsArray().ToDictionary(t => t!["platform"]!.GetValue<string>(), t => t!["accountId"]!.GetValue<string>());
        await host.SendAsync(HttpMethod.Patch, $"v1/workspaces/{ws}/posts/{postId}", key, new
        {
            targets = new object[]
            {
                new { accountId = accounts["x"], options = new { x = new { thread = new[] { new { text = "Espresso first" }, new { text = "Then the pastries" } } } } },
                new { accountId = accounts["facebook"], options = new { facebook = new { type = "feed", firstComment = "Prices in the comments" } } },
            },
        });
        await page.GotoAsync($"/app/compose?postId={postId}");
        await page.GetByLabel("First comment for @postnextcafe").FillAsync("Prices below");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await WebHost.ArrivedAsync(page, "highlight=");
        var saved = (await host.SendAsync(HttpMethod.Get, $"v1/workspaces/{ws}/posts/{postId}", key))["targets"]!.AsArray()
            .ToDictionary(t => t!["platform"]!.GetValue<string>(), t => t!["options"]);
        Assert.Equal(("feed", "Prices below"), (saved["facebook"]!["facebook"]!["type"]!.GetValue<string>(), saved["facebook"]!["facebook"]!["firstComment"]!.GetValue<string>()));
        Assert.Equal(["Espresso first", "Then the pastries"], saved["x"]!["x"]!["thread"]!.AsArray().Select(p => p!["text"]!.GetValue<string>()));
        await page.Context.CloseAsync();
    }
}
