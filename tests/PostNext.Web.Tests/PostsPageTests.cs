using static Microsoft.Playwright.Assertions;

namespace PostNext.Web.Tests;

/// <summary>The posts page: search and status filter, and a draft's and a scheduled post's life (edit, cancel, delete).</summary>
[Collection(WebCollection.Name)]
public sealed class PostsPageTests(WebHost host)
{
    [Fact]
    public async Task An_editor_finds_a_draft_edits_it_and_deletes_it_and_cancels_then_deletes_a_scheduled_post()
    {
        var (ws, admin) = await host.CreateWorkspaceAsync();
        var account = (await host.SendAsync(HttpMethod.Post, $"v1/workspaces/{ws}/accounts", admin, new { platform = "sandbox", handle = "desk" }))["id"]!.GetValue<string>();
        var draft = (await host.SendAsync(HttpMethod.Post, $"v1/workspaces/{ws}/posts", admin, new
        {
            content = new { text = "Draft about espresso" }, targets = new[] { new { accountId = account } }, draft = true,
        }))["id"]!.GetValue<string>();
        var scheduled = (await host.SendAsync(HttpMethod.Post, $"v1/workspaces/{ws}/posts", admin, new
        {
            content = new { text = "Scheduled about tea" }, targets = new[] { new { accountId = account } },
            schedule = new { at = DateTimeOffset.UtcNow.AddDays(3).ToString("O") },
        }))["id"]!.GetValue<string>();

        var page = await host.NewPageAsync();
        await host.JoinAsAsync(page, ws, admin, "editor");

        await page.GotoAsync("/app/posts");
        await page.GetByLabel("Search").FillAsync("espresso");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Expect(page.Locator("tr[data-post]")).ToHaveCountAsync(1);
        await page.GetByLabel("Status").SelectOptionAsync("scheduled");
        await page.GetByLabel("Search").FillAsync("");
        await page.GetByRole(AriaRole.Button, new() { Name = "Search" }).ClickAsync();
        await Expect(page.Locator("tr[data-post]")).ToHaveCountAsync(1);
        await Expect(page.Locator($"tr[data-post='{scheduled}']")).ToHaveCountAsync(1);

        // The draft: edited in the composer (prefilled), saved as a draft again, then deleted.
        await page.GotoAsync("/app/posts?status=draft");
        await page.Locator($"tr[data-post='{draft}']").GetByRole(AriaRole.Link, new() { Name = "Edit" }).ClickAsync();
        await Expect(page.GetByLabel("Text", new() { Exact = true })).ToHaveValueAsync("Draft about espresso");
        await Expect(page.GetByLabel("Draft", new() { Exact = true })).ToBeCheckedAsync();
        await page.GetByLabel("Text", new() { Exact = true }).FillAsync("Draft about ristretto");
        await page.GetByRole(AriaRole.Button, new() { Name = "Save changes" }).ClickAsync();
        await Expect(page.Locator(".flash-ok")).ToContainTextAsync("Draft saved.");
        Assert.Equal("Draft about ristretto", (await host.SendAsync(HttpMethod.Get, $"v1/workspaces/{ws}/posts/{draft}", admin))["content"]!["text"]!.GetValue<string>());
        await page.GotoAsync("/app/posts?status=draft");
        await page.Locator($"tr[data-post='{draft}']").GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(page.Locator(".flash-ok")).ToContainTextAsync("Post deleted.");

        // The scheduled post: canceled, then deletable.
        await page.GotoAsync("/app/posts");
        await page.Locator($"tr[data-post='{scheduled}']").GetByRole(AriaRole.Button, new() { Name = "Cancel" }).ClickAsync();
        await Expect(page.Locator(".flash-ok")).ToContainTextAsync("Post canceled.");
        await Expect(page.Locator($"tr[data-post='{scheduled}'] .badge").First).ToHaveTextAsync("canceled");
        await page.Locator($"tr[data-post='{scheduled}']").GetByRole(AriaRole.Button, new() { Name = "Delete" }).ClickAsync();
        await Expect(page.Locator(".flash-ok")).ToContainTextAsync("Post deleted.");
        Assert.Empty((await host.SendAsync(HttpMethod.Get, $"v1/workspaces/{ws}/posts", admin))["posts"]!.AsArray());
        await page.Context.CloseAsync();
    }
}
