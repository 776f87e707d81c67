using static Microsoft.Playwright.Assertions;

using System.Text.RegularExpressions;
using PostNext.Platforms.Tests.Facebook;

namespace PostNext.Web.Tests;

/// <summary>
/// Issue #15 "Accounts: connect through the OAuth flow, with the page or account chooser where the platform has one":
/// the Facebook person manages two Pages, so after the platform's consent the app asks which to connect, and connects
/// exactly the ticked one through the API.
/// </summary>
[Collection(WebCollection.Name)]
public sealed class ConnectChooserTests(WebHost host)
{
    [Fact]
    public async Task Connecting_Facebook_with_two_Pages_asks_which_and_lists_exactly_the_chosen_one()
    {
        var (ws, key) = await host.CreateWorkspaceAsync();
        var page = await host.NewPageAsync();
        await host.JoinAsOwnerAsync(page, ws);

        await page.GotoAsync("/app/accounts");
        await page.GetByLabel("Platform").SelectOptionAsync("facebook");
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect", Exact = true }).ClickAsync();

        // Back from the fake's Login dialog: nothing connected yet, the two Pages offered (not the read-only one).
        await Expect(page).ToHaveURLAsync(new Regex("/app/accounts/choose/"), new() { Timeout = 30_000 });
        await Expect(page.Locator("input[name=ids]")).ToHaveCountAsync(2);
        await Expect(page.GetByLabel("PostNext Bakery", new() { Exact = false })).ToBeVisibleAsync();
        Assert.Empty((await host.SendAsync(HttpMethod.Get, $"v1/workspaces/{ws}/accounts", key))["accounts"]!.AsArray());

        // Nothing ticked: the API refuses, and the page offers the Pages again.
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect the chosen accounts" }).ClickAsync();
        await Expect(page.Locator(".flash-error")).ToContainTextAsync("ids");
        await page.GetByLabel("PostNext Café", new() { Exact = false }).CheckAsync();
        await page.GetByRole(AriaRole.Button, new() { Name = "Connect the chosen accounts" }).ClickAsync();

        await Expect(page.Locator(".flash-ok")).ToContainTextAsync("facebook account @postnextcafe");
        await Expect(page.Locator("section.account")).ToHaveCountAsync(1);
        await Expect(page.Locator("section.account h2")).ToContainTextAsync("facebook · @postnextcafe");
        var accounts = (await host.SendAsync(HttpMethod.Get, $"v1/workspaces/{ws}/accounts", key))["accounts"]!.AsArray();
        Assert.Equal([FakeFacebookApi.SecondPageId], accounts.Select(a => a!["externalId"]!.GetValue<string>()));
    }
}
