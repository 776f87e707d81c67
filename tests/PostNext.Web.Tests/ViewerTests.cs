using static Microsoft.Playwright.Assertions;

namespace PostNext.Web.Tests;

/// <summary>A viewer (invited with that role) sees every page but can change nothing: no control offers it, and forged requests are refused.</summary>
[Collection(WebCollection.Name)]
public sealed class ViewerTests(WebHost host)
{
    [Fact]
    public async Task A_viewer_sees_the_workspace_but_every_change_is_refused_and_nothing_is_stored()
    {
        var (ws, admin) = await host.CreateWorkspaceAsync();
        var account = (await host.SendAsync(HttpMethod.Post, $"v1/workspaces/{ws}/accounts", admin, new { platform = "sandbox", handle = "shop" }))["id"]!.GetValue<string>();
        var at = DateTimeOffset.UtcNow.AddDays(1);
        var postId = (await host.SendAsync(HttpMethod.Post, $"v1/workspaces/{ws}/posts", admin, new
        {
            content = new { text = "Viewers look only" },
            targets = new[] { new { accountId = account } },
            schedule = new { at = at.ToString("O") },
        }))["id"]!.GetValue<string>();

        var page = await host.NewPageAsync();
        await host.JoinAsAsync(page, ws, admin, "viewer");

        // It sees: the post on the calendar and in the list, the account, analytics.
        await page.GotoAsync($"/app/calendar?view=list&date={at:yyyy-MM-dd}");
        await Expect(page.Locator($".pub[data-post='{postId}']")).ToHaveCountAsync(1);
        await Expect(page.Locator(".pub[draggable='true'], form#move, details.move")).ToHaveCountAsync(0);
        await page.GotoAsync("/app/posts");
        await Expect(page.Locator($"tr[data-post='{postId}']")).ToHaveCountAsync(1);
        await Expect(page.Locator("main button, main a.button")).ToHaveTextAsync(["Search"]);
        await page.GotoAsync("/app/accounts");
        await Expect(page.Locator($"[data-account='{account}']")).ToHaveCountAsync(1);
        await Expect(page.Locator("main form")).ToHaveCountAsync(0);
        await page.GotoAsync("/app/webhooks");
        await Expect(page.Locator("main form")).ToHaveCountAsync(0);
        await page.GotoAsync("/app/analytics");
        await Expect(page.GetByTestId("analytics-totals")).ToBeVisibleAsync();

        // The composer is shown disabled; enabled by hand and sent anyway, the save is refused.
        await page.GotoAsync("/app/compose");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Save post" })).ToBeDisabledAsync();
        await page.EvaluateAsync("() => document.querySelectorAll('fieldset').forEach(f => f.disabled = false)");
        await page.GetByLabel("Text", new() { Exact = true }).FillAsync("forged");
        await page.GetByLabel("sandbox · @shop").CheckAsync();
        await page.GetByLabel("Now", new() { Exact = true }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Save post" }).ClickAsync();
        await Expect(page.Locator("#save-errors")).ToContainTextAsync("Your role (viewer) cannot save posts.");

        // Every app action, forged with a valid antiforgery token from the page, is refused by the API's scope check.
        string[] actions =
        [
            $"/app/act/posts/{postId}/cancel", $"/app/act/posts/{postId}/publish-now", $"/app/act/posts/{postId}/delete",
            $"/app/act/posts/{postId}/reschedule", "/app/act/accounts/sandbox", "/app/act/accounts/connect",
            $"/app/act/accounts/{account}/queue", $"/app/act/accounts/{account}/delete", "/app/act/webhooks",
        ];
        foreach (var action in actions)
        {
            await page.GotoAsync("/app/posts");
            await page.EvaluateAsync(
                """
                action => {
                  const form = document.createElement("form");
                  form.method = "post"; form.action = action;
                  const fields = { date: "2030-01-02", time: "10:00", handle: "forged", platform: "x", slots: "mon 09:00",
                                   url: "https://example.com/hook", events: "post.published", returnUrl: "/app/posts",
                                   __RequestVerificationToken: document.querySelector("input[name=__RequestVerificationToken]").value };
                  for (const [name, value] of Object.entries(fields)) {
                    const input = document.createElement("input"); input.name = name; input.value = value; form.appendChild(input);
                  }
                  document.body.appendChild(form); form.submit();
                }
                """, action);
            await Expect(page.Locator(".flash-error")).ToContainTextAsync("Your role (viewer) cannot do this.");
        }

        // Nothing changed: one post, still scheduled at its time; one account, no queue; no webhook.
        var posts = await host.SendAsync(HttpMethod.Get, $"v1/workspaces/{ws}/posts", admin);
        var only = Assert.Single(posts["posts"]!.AsArray());
        Assert.Equal((postId, "scheduled"), (only!["id"]!.GetValue<string>(), only["status"]!.GetValue<string>()));
        Assert.Equal(at.ToUnixTimeSeconds(), only["targets"]![0]!["at"]!.GetValue<DateTimeOffset>().ToUnixTimeSeconds());
        Assert.Single((await host.SendAsync(HttpMethod.Get, $"v1/workspaces/{ws}/accounts", admin))["accounts"]!.AsArray());
        Assert.Empty((await host.SendAsync(HttpMethod.Get, $"v1/workspaces/{ws}/accounts/{account}/queue", admin))["slots"]!.AsArray());
        Assert.Empty((await host.SendAsync(HttpMethod.Get, $"v1/workspaces/{ws}/webhooks", admin))["webhooks"]!.AsArray());
        await page.Context.CloseAsync();
    }
}
