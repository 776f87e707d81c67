using static Microsoft.Playwright.Assertions;

namespace PostNext.Web.Tests;

/// <summary>
/// Moving without drag and drop: each movable entry has a "Move" link that opens that post's form (the only one on
/// the page), reached and submitted with the keyboard; the calendar shows what each entry needs without its post.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class CalendarMoveTests(WebHost host)
{
    [Fact]
    public async Task An_entry_is_moved_with_the_keyboard_through_its_move_form_and_shows_its_text()
    {
        var (ws, key) = await host.CreateWorkspaceAsync("UTC");
        var account = (await host.SendAsync(HttpMethod.Post, $"v1/workspaces/{ws}/accounts", key, new { platform = "sandbox", handle = "mover" }))["id"]!.GetValue<string>();
        var postId = (await host.SendAsync(HttpMethod.Post, $"v1/workspaces/{ws}/posts", key, new
        {
            content = new { text = "Moved by keyboard" }, targets = new[] { new { accountId = account } }, schedule = new { at = "2027-05-12T09:15:00Z" },
        }))["id"]!.GetValue<string>();

        var page = await host.NewPageAsync();
        await host.JoinAsOwnerAsync(page, ws);
        await page.GotoAsync("/app/calendar?view=month&date=2027-05-01");
        var entry = page.Locator($".day[data-date='2027-05-12'] .pub[data-post='{postId}']");
        await Expect(entry.Locator(".snippet")).ToHaveTextAsync("Moved by keyboard");
        await Expect(page.Locator("form[action$='/reschedule']")).ToHaveCountAsync(0); // no form until one is asked for

        await entry.GetByRole(AriaRole.Link, new() { Name = "Move", Exact = true }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");
        await WebHost.ArrivedAsync(page, "move=" + postId);
        var day = page.GetByLabel("Day", new() { Exact = true });
        await Expect(day).ToBeFocusedAsync();
        await day.FillAsync("2027-05-14");
        await page.GetByLabel("Time", new() { Exact = true }).FocusAsync();
        await page.Keyboard.PressAsync("Enter");

        await Expect(page.Locator(".flash-ok")).ToContainTextAsync("Moved to");
        await Expect(page.Locator($".day[data-date='2027-05-14'] .pub[data-post='{postId}'] time")).ToHaveTextAsync("09:15");
        await Expect(page.Locator($".day[data-date='2027-05-12'] .pub[data-post='{postId}']")).ToHaveCountAsync(0);
        Assert.DoesNotContain("move=", page.Url, StringComparison.Ordinal);
        await page.Context.CloseAsync();
    }
}
