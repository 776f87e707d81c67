using static Microsoft.Playwright.Assertions;

namespace PostNext.Web.Tests;

/// <summary>The join page's refusals, and a person in two workspaces switching between them.</summary>
[Collection(WebCollection.Name)]
public sealed class SessionPagesTests(WebHost host)
{
    [Fact]
    public async Task An_unknown_or_used_link_says_so_and_a_short_password_is_refused_with_nothing_joined()
    {
        var (ws, _) = await host.CreateWorkspaceAsync();
        var page = await host.NewPageAsync();
        await page.GotoAsync("/app/join?token=not-a-token");
        await Expect(page.Locator("h1")).ToHaveTextAsync("This link does not work");

        var link = (await host.SendAsync(HttpMethod.Post, $"v1/workspaces/{ws}/bootstrap-link", WebHost.OperatorKey))["link"]!.GetValue<string>();
        await page.GotoAsync(link);
        await page.GetByLabel("Email").FillAsync(host.NewEmail());
        await page.GetByLabel("Password").FillAsync("short");
        await page.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        await Expect(page.Locator(".flash-error")).ToContainTextAsync("characters");
        Assert.Empty((await host.SendAsync(HttpMethod.Get, $"v1/workspaces/{ws}/members", WebHost.OperatorKey))["members"]!.AsArray());

        await WebHost.JoinAsync(page, link, host.NewEmail());
        await page.GotoAsync(link);
        await Expect(page.Locator("h1")).ToHaveTextAsync("This link does not work");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task A_person_in_two_workspaces_switches_between_them_with_their_role_in_each()
    {
        var (first, _) = await host.CreateWorkspaceAsync(name: "First");
        var (second, secondKey) = await host.CreateWorkspaceAsync(name: "Second");
        var page = await host.NewPageAsync();
        var email = await host.JoinAsOwnerAsync(page, first);

        // Invited to a second workspace as a viewer: the join page asks for the existing account's password.
        var link = (await host.SendAsync(HttpMethod.Post, $"v1/workspaces/{second}/invitations", secondKey, new { email, role = "viewer" }))["link"]!.GetValue<string>();
        await page.GotoAsync(link);
        await Expect(page.GetByTestId("join-summary")).ToContainTextAsync("give its password");
        await page.GetByLabel("Password").FillAsync(WebHost.Password);
        await page.GetByRole(AriaRole.Button, new() { Name = "Join" }).ClickAsync();
        await WebHost.ArrivedAsync(page, "/app/calendar");
        await Expect(page.Locator(".role")).ToHaveTextAsync("viewer");

        await page.GetByLabel("Workspace").SelectOptionAsync(first);
        await page.GetByRole(AriaRole.Button, new() { Name = "Switch" }).ClickAsync();
        await Expect(page.Locator(".flash-ok")).ToContainTextAsync("Now in First as owner.");
        await Expect(page.Locator(".role")).ToHaveTextAsync("owner");
        await page.Context.CloseAsync();
    }

    [Fact]
    public async Task An_owner_invites_from_the_members_page_changes_the_role_and_removes_the_member_but_not_the_last_owner()
    {
        var (ws, _) = await host.CreateWorkspaceAsync();
        var owner = await host.NewPageAsync();
        var ownerEmail = await host.JoinAsOwnerAsync(owner, ws);

        var email = host.NewEmail("editor");
        await owner.GotoAsync("/app/members");
        await owner.GetByLabel("Email").FillAsync(email);
        await owner.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync("editor");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Create invitation link" }).ClickAsync();
        var flash = await owner.Locator(".flash-ok").InnerTextAsync();
        var link = System.Text.RegularExpressions.Regex.Match(flash, @"http\S+/app/join\?token=\S+").Value;
        Assert.StartsWith(host.Address.ToString().TrimEnd('/'), link, StringComparison.Ordinal);

        var invited = await host.NewPageAsync();
        await WebHost.JoinAsync(invited, link, email: null);
        await Expect(invited.Locator(".role")).ToHaveTextAsync("editor");

        await owner.GotoAsync("/app/members");
        var row = owner.Locator("tr", new() { HasText = email });
        await row.GetByLabel($"Role of {email}").SelectOptionAsync("viewer");
        await row.GetByRole(AriaRole.Button, new() { Name = "Change role" }).ClickAsync();
        await Expect(owner.Locator(".flash-ok")).ToContainTextAsync($"{email} is now viewer.");
        await invited.ReloadAsync();
        await Expect(invited.Locator(".role")).ToHaveTextAsync("viewer");

        // The last owner cannot remove themself (the API's rule, said in words); the member can be removed.
        await owner.Locator("tr", new() { HasText = ownerEmail }).GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
        await Expect(owner.Locator(".flash-error")).ToContainTextAsync("owner");
        await owner.Locator("tr", new() { HasText = email }).GetByRole(AriaRole.Button, new() { Name = "Remove" }).ClickAsync();
        await Expect(owner.Locator(".flash-ok")).ToContainTextAsync("Member removed.");
        await Expect(owner.Locator("tr[data-member]")).ToHaveCountAsync(1);

        // The removed person's session ends at their next request.
        await invited.GotoAsync("/app/calendar");
        Assert.Contains("/app/sign-in", invited.Url, StringComparison.Ordinal);
        await invited.Context.CloseAsync();
        await owner.Context.CloseAsync();
    }

    [Fact]
    public async Task An_owner_sees_pending_invitations_and_a_revoked_link_no_longer_works()
    {
        var (ws, _) = await host.CreateWorkspaceAsync();
        var owner = await host.NewPageAsync();
        var ownerEmail = await host.JoinAsOwnerAsync(owner, ws);
        var anyone = (await host.SendAsync(HttpMethod.Post, $"v1/workspaces/{ws}/bootstrap-link", WebHost.OperatorKey))["id"]!.GetValue<string>();

        var email = host.NewEmail("invited");
        await owner.GotoAsync("/app/members");
        await owner.GetByLabel("Email").FillAsync(email);
        await owner.GetByLabel("Role", new() { Exact = true }).SelectOptionAsync("viewer");
        await owner.GetByRole(AriaRole.Button, new() { Name = "Create invitation link" }).ClickAsync();
        var link = System.Text.RegularExpressions.Regex.Match(await owner.Locator(".flash-ok").InnerTextAsync(), @"http\S+/app/join\?token=\S+").Value;

        // Listed: who it is for, the role, when it expires (7 days), who invited.
        var row = owner.Locator("tr[data-invitation]", new() { HasText = email });
        await Expect(row.Locator("td").Nth(1)).ToHaveTextAsync("viewer");
        await Expect(row.Locator("td").Nth(3)).ToHaveTextAsync(ownerEmail);
        var expires = DateTimeOffset.Parse((await row.Locator("time").GetAttributeAsync("datetime"))!, System.Globalization.CultureInfo.InvariantCulture);
        Assert.InRange(expires - DateTimeOffset.UtcNow, TimeSpan.FromDays(6.9), TimeSpan.FromDays(7.1));
        var bootstrap = owner.Locator($"tr[data-invitation='{anyone}']");
        await Expect(bootstrap.Locator("td").First).ToHaveTextAsync("Anyone with the link");
        await Expect(bootstrap.Locator("td").Nth(3)).ToHaveTextAsync("the operator");

        await row.GetByRole(AriaRole.Button, new() { Name = $"Revoke the invitation for {email}" }).ClickAsync();
        await Expect(owner.Locator(".flash-ok")).ToContainTextAsync("Invitation revoked");
        await Expect(owner.Locator("tr[data-invitation]", new() { HasText = email })).ToHaveCountAsync(0);
        await Expect(owner.Locator("tr[data-invitation]")).ToHaveCountAsync(1);

        var invited = await host.NewPageAsync();
        await invited.GotoAsync(link);
        await Expect(invited.GetByRole(AriaRole.Heading, new() { Name = "This link does not work" })).ToBeVisibleAsync();
        await Expect(invited.GetByLabel("Password")).ToHaveCountAsync(0);
        await invited.Context.CloseAsync();
        await owner.Context.CloseAsync();
    }
}
