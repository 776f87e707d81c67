using PostNext.Abstractions.Platforms;
using PostNext.Platforms.LinkedIn;
using PostNext.Platforms.Tests.Facebook;
using PostNext.Platforms.Tests.LinkedIn;
using PostNext.Testing;

namespace PostNext.Api.Tests.Connectors;

/// <summary>
/// Issue #13 item 2: a consent that offers several accounts to publish as (two Facebook Pages; a LinkedIn member and the
/// page they administer) connects nothing at the callback; it answers 202 with the candidates (no token), and an admin of
/// the workspace chooses which to connect, one account each, through the API, against the platform fakes.
/// </summary>
[Collection(ConnectorsCollection.Name)]
public sealed class ConnectChoiceTests(ConnectorsHost host)
{
    private ConnectorsApi Api => host.Api;

    [Fact]
    public async Task Two_Facebook_Pages_wait_for_a_choice_and_the_chosen_Page_alone_is_connected_and_publishes_with_its_own_token()
    {
        var (ws, key) = await Api.CreateWorkspaceAsync();
        var fb = host.Facebook;
        fb.SecondPageGranted = true;
        try
        {
            var start = await Api.StartConnectAsync(ws, key, PlatformIds.Facebook, fb.RedirectUri);
            var callback = await Api.CallbackAsync(PlatformIds.Facebook, fb.IssueCode(), start.State);

            var raw = await callback.Content.ReadAsStringAsync();
            Assert.True(callback.StatusCode == HttpStatusCode.Accepted, raw);
            var pending = JsonNode.Parse(raw)!.AsObject();
            Assert.Equal((start.State, "facebook"), (Text(pending, "state"), Text(pending, "platform")));
            Assert.Equal(
                [(FakeFacebookApi.PageId, "PostNext Bakery", "postnextbakery", "page"), (FakeFacebookApi.SecondPageId, "PostNext Café", "postnextcafe", "page")],
                pending["candidates"]!.AsArray().Select(c => (Text(c!, "id"), Text(c!, "name"), Text(c!, "handle"), Text(c!, "kind"))));
            Assert.InRange(pending["chooseBy"]!.GetValue<DateTimeOffset>(), DateTimeOffset.UtcNow.AddMinutes(14), DateTimeOffset.UtcNow.AddMinutes(16));
            foreach (var secret in new[] { fb.PageToken, fb.SecondPageToken, fb.UserToken })
            {
                Assert.DoesNotContain(secret, raw, StringComparison.Ordinal);
            }

            Assert.Empty(await Api.ListAccountsAsync(ws, key)); // nothing connected before the choice

            // The candidates can be read again by the workspace's admin, and by no other workspace.
            var read = await ApiHost.JsonAsync(await Api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/connections/{start.State}", key), HttpStatusCode.OK);
            Assert.Equal(pending["candidates"]!.ToJsonString(), read["candidates"]!.ToJsonString());
            var (otherWs, otherKey) = await Api.CreateWorkspaceAsync();
            await ConnectorsApi.ProblemAsync(await Api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{otherWs}/connections/{start.State}", otherKey), HttpStatusCode.NotFound);
            await ConnectorsApi.ProblemAsync(await ChooseAsync(Api, otherWs, otherKey, start.State, FakeFacebookApi.SecondPageId), HttpStatusCode.NotFound);

            // An id that was not offered (the read-only Page) is refused, and nothing is stored.
            var unknown = await ConnectorsApi.ProblemAsync(await ChooseAsync(Api, ws, key, start.State, FakeFacebookApi.ReadOnlyPageId));
            Assert.Contains(FakeFacebookApi.ReadOnlyPageId, unknown, StringComparison.Ordinal);
            await ConnectorsApi.ProblemAsync(await ChooseAsync(Api, ws, key, start.State), HttpStatusCode.BadRequest);
            Assert.Empty(await Api.ListAccountsAsync(ws, key));

            var chosen = await ApiHost.JsonAsync(await ChooseAsync(Api, ws, key, start.State, FakeFacebookApi.SecondPageId), HttpStatusCode.OK);
            var account = Assert.Single(chosen["accounts"]!.AsArray())!.AsObject();
            Assert.False(account["reconnected"]!.GetValue<bool>());
            var cafe = account["account"]!.AsObject();
            Assert.Equal(("facebook", FakeFacebookApi.SecondPageId, "postnextcafe", "PostNext Café", "connected"),
                (Text(cafe, "platform"), Text(cafe, "externalId"), Text(cafe, "handle"), Text(cafe, "displayName"), Text(cafe, "status")));
            Assert.DoesNotContain(fb.SecondPageToken, chosen.ToJsonString(), StringComparison.Ordinal);
            var accountId = Text(cafe, "id");
            Assert.Equal([accountId], (await Api.ListAccountsAsync(ws, key)).Select(a => Text(a!, "id")));

            // The same choice again answers the same account; another choice after it is refused; nothing more is stored.
            var again = await ApiHost.JsonAsync(await ChooseAsync(Api, ws, key, start.State, FakeFacebookApi.SecondPageId), HttpStatusCode.OK);
            Assert.Equal(accountId, Text(again["accounts"]![0]!["account"]!, "id"));
            await ConnectorsApi.ProblemAsync(await ChooseAsync(Api, ws, key, start.State, FakeFacebookApi.PageId), HttpStatusCode.Conflict);
            await ConnectorsApi.ProblemAsync(await Api.CallbackAsync(PlatformIds.Facebook, fb.IssueCode(), start.State));
            Assert.Equal([accountId], (await Api.ListAccountsAsync(ws, key)).Select(a => Text(a!, "id")));

            // The chosen Page publishes with its own Page token.
            var pageToken = fb.SecondPageToken;
            var text = $"Chosen at connect time {Guid.NewGuid():N}";
            var post = await Api.CreatePostAsync(ws, key, new { content = new { text }, targets = new[] { new { accountId } }, schedule = new { mode = "now" } });
            var done = await Api.WaitForPostAsync(ws, key, post["id"]!.GetValue<string>());
            var target = ConnectorsApi.Target(done, accountId);
            Assert.True(Text(target, "status") == "published", done.ToJsonString());
            var feed = Assert.Single(fb.Server.Requests, r => r.Path == $"/v25.0/{FakeFacebookApi.SecondPageId}/feed" && r.Body.Contains(text, StringComparison.Ordinal));
            Assert.Equal($"Bearer {pageToken}", feed.Header("Authorization"));
            Assert.Equal(text, fb.Posts[Text(target, "externalId")]["message"]!.GetValue<string>());
        }
        finally
        {
            fb.SecondPageGranted = false;
        }
    }

    [Fact]
    public async Task A_choice_whose_time_has_passed_is_refused_with_410_and_connects_nothing()
    {
        await using var noTime = await host.StartHostAsync("--PostNext:Accounts:ChoiceLifetime=00:00:00");
        var api = new ConnectorsApi(noTime.Http);
        var (ws, key) = await api.CreateWorkspaceAsync();
        var fb = host.Facebook;
        fb.SecondPageGranted = true;
        try
        {
            var start = await api.StartConnectAsync(ws, key, PlatformIds.Facebook, fb.RedirectUri);
            var callback = await api.CallbackAsync(PlatformIds.Facebook, fb.IssueCode(), start.State);
            Assert.Equal(HttpStatusCode.Accepted, callback.StatusCode);

            var gone = await ConnectorsApi.ProblemAsync(await ChooseAsync(api, ws, key, start.State, FakeFacebookApi.PageId), HttpStatusCode.Gone);

            Assert.Contains("start the connection again", gone, StringComparison.Ordinal);
            await ConnectorsApi.ProblemAsync(await api.SendAsync(HttpMethod.Get, $"/v1/workspaces/{ws}/connections/{start.State}", key), HttpStatusCode.Gone);
            Assert.Empty(await api.ListAccountsAsync(ws, key));
        }
        finally
        {
            fb.SecondPageGranted = false;
        }
    }

    [Fact]
    public async Task A_LinkedIn_member_with_the_organization_scopes_chooses_their_page_which_publishes_with_the_organization_as_author()
    {
        var (ws, key) = await Api.CreateWorkspaceAsync();
        var li = host.LinkedIn;
        li.OrganizationScopesGranted = true;
        try
        {
            var (start, raw, issued) = await LinkedInChoiceAsync(ws, key);
            var pending = JsonNode.Parse(raw)!.AsObject();
            Assert.Equal(
                [(FakeLinkedInApi.MemberUrn, "member"), (FakeLinkedInApi.OrganizationUrn, "organization")],
                pending["candidates"]!.AsArray().Select(c => (Text(c!, "id"), Text(c!, "kind"))));
            Assert.DoesNotContain(issued, raw, StringComparison.Ordinal); // the member's token (which listed the pages) is in no answer

            var chosen = await ApiHost.JsonAsync(await ChooseAsync(Api, ws, key, start.State, FakeLinkedInApi.OrganizationUrn), HttpStatusCode.OK);
            var page = chosen["accounts"]![0]!["account"]!.AsObject();
            Assert.Equal(("linkedin", FakeLinkedInApi.OrganizationUrn, FakeLinkedInApi.OrganizationVanityName, FakeLinkedInApi.OrganizationName),
                (Text(page, "platform"), Text(page, "externalId"), Text(page, "handle"), Text(page, "displayName")));
            var accountId = Text(page, "id");
            Assert.Equal([accountId], (await Api.ListAccountsAsync(ws, key)).Select(a => Text(a!, "id")));

            var text = $"News from the page {Guid.NewGuid():N}";
            var post = await Api.CreatePostAsync(ws, key, new { content = new { text }, targets = new[] { new { accountId } }, schedule = new { mode = "now" } });
            var done = await Api.WaitForPostAsync(ws, key, post["id"]!.GetValue<string>());
            var target = ConnectorsApi.Target(done, accountId);
            Assert.True(Text(target, "status") == "published", done.ToJsonString());
            var created = Assert.Single(li.Posts.ToList(), p => p.Commentary.Contains(text, StringComparison.Ordinal));
            Assert.Equal((FakeLinkedInApi.OrganizationUrn, Text(target, "externalId")), (created.Author, created.Urn));
            var request = Assert.Single(li.Server.Requests, r => r.Path == "/rest/posts" && r.Method == "POST" && r.Body.Contains(text, StringComparison.Ordinal));
            Assert.Equal("Bearer " + issued, request.Header("Authorization"));
            Assert.Contains(LinkedInConnector.OrganizationPostingScope, LinkedInConnector.OrganizationScopes);
        }
        finally
        {
            li.OrganizationScopesGranted = false;
        }
    }

    [Fact]
    public async Task Disconnecting_the_LinkedIn_member_keeps_the_page_chosen_with_it_publishing_and_the_last_account_of_the_grant_revokes_it()
    {
        var (ws, key) = await Api.CreateWorkspaceAsync();
        var li = host.LinkedIn;
        li.OrganizationScopesGranted = true;
        try
        {
            var (start, _, issued) = await LinkedInChoiceAsync(ws, key);
            var chosen = await ApiHost.JsonAsync(
                await ChooseAsync(Api, ws, key, start.State, FakeLinkedInApi.MemberUrn, FakeLinkedInApi.OrganizationUrn), HttpStatusCode.OK);
            var ids = chosen["accounts"]!.AsArray().ToDictionary(a => Text(a!["account"]!, "externalId"), a => Text(a!["account"]!, "id"));

            // The member and the page share one grant: disconnecting the member must not revoke the page's token.
            var removed = await Api.SendAsync(HttpMethod.Delete, $"/v1/workspaces/{ws}/accounts/{ids[FakeLinkedInApi.MemberUrn]}", key);
            Assert.Equal(HttpStatusCode.NoContent, removed.StatusCode);
            Assert.Empty(Revocations(issued));

            var accountId = ids[FakeLinkedInApi.OrganizationUrn];
            var text = $"Still the page's voice {Guid.NewGuid():N}";
            var post = await Api.CreatePostAsync(ws, key, new { content = new { text }, targets = new[] { new { accountId } }, schedule = new { mode = "now" } });
            var done = await Api.WaitForPostAsync(ws, key, post["id"]!.GetValue<string>());
            Assert.True(Text(ConnectorsApi.Target(done, accountId), "status") == "published", done.ToJsonString());

            // The grant's last account goes: now the token is revoked at LinkedIn.
            Assert.Equal(HttpStatusCode.NoContent, (await Api.SendAsync(HttpMethod.Delete, $"/v1/workspaces/{ws}/accounts/{accountId}", key)).StatusCode);
            Assert.Single(Revocations(issued));
        }
        finally
        {
            li.OrganizationScopesGranted = false;
        }

        List<RecordedRequest> Revocations(string token) => [.. li.Server.Requests.Where(r =>
            r.Path == "/oauth/v2/revoke" && Microsoft.AspNetCore.WebUtilities.QueryHelpers.ParseQuery(r.Body).GetValueOrDefault("token") == token)];
    }

    [Fact]
    public async Task Disconnecting_a_Facebook_Page_never_revokes_the_app_while_another_Page_of_the_same_person_stays_connected_whatever_user_token_each_keeps()
    {
        var (ws, key) = await Api.CreateWorkspaceAsync();
        var fb = host.Facebook;
        fb.SecondPageGranted = true;
        try
        {
            // The same person consents twice, one Page each time: each Page keeps (and refreshes) its own user token.
            var bakery = await ConnectPageAsync(ws, key, FakeFacebookApi.PageId);
            var cafe = await ConnectPageAsync(ws, key, FakeFacebookApi.SecondPageId);
            var before = Deauthorizations();

            Assert.Equal(HttpStatusCode.NoContent, (await Api.SendAsync(HttpMethod.Delete, $"/v1/workspaces/{ws}/accounts/{bakery}", key)).StatusCode);
            Assert.Equal(before, Deauthorizations());

            var text = $"Still the café's voice {Guid.NewGuid():N}";
            var post = await Api.CreatePostAsync(ws, key, new { content = new { text }, targets = new[] { new { accountId = cafe } }, schedule = new { mode = "now" } });
            var done = await Api.WaitForPostAsync(ws, key, post["id"]!.GetValue<string>());
            Assert.True(Text(ConnectorsApi.Target(done, cafe), "status") == "published", done.ToJsonString());
        }
        finally
        {
            fb.SecondPageGranted = false;
        }

        int Deauthorizations() => fb.Server.Requests.Count(r => r.Method == "DELETE" && r.Path == $"/{FakeFacebookApi.Version}/me/permissions");
    }

    /// <summary>One consent on Facebook, the Page <paramref name="pageId"/> chosen; its account id.</summary>
    private async Task<string> ConnectPageAsync(string ws, string key, string pageId)
    {
        var start = await Api.StartConnectAsync(ws, key, PlatformIds.Facebook, host.Facebook.RedirectUri);
        var callback = await Api.CallbackAsync(PlatformIds.Facebook, host.Facebook.IssueCode(), start.State);
        Assert.True(callback.StatusCode == HttpStatusCode.Accepted, await callback.Content.ReadAsStringAsync());
        var chosen = await ApiHost.JsonAsync(await ChooseAsync(Api, ws, key, start.State, pageId), HttpStatusCode.OK);
        return Text(Assert.Single(chosen["accounts"]!.AsArray())!["account"]!, "id");
    }

    /// <summary>
    /// Connects LinkedIn (the organization scopes granted) up to the callback, which must answer 202: the connection, the
    /// callback's answer, and the member's access token (the one that listed the pages).
    /// </summary>
    private async Task<(ConnectStart Start, string Raw, string Token)> LinkedInChoiceAsync(string ws, string key)
    {
        var li = host.LinkedIn;
        var redirect = new Uri("https://app.postnext.test/oauth/linkedin/callback");
        var start = await Api.StartConnectAsync(ws, key, PlatformIds.LinkedIn, redirect);
        var callback = await Api.CallbackAsync(PlatformIds.LinkedIn, li.IssueCode(redirect), start.State);
        var raw = await callback.Content.ReadAsStringAsync();
        Assert.True(callback.StatusCode == HttpStatusCode.Accepted, raw);
        return (start, raw, li.Server.Requests.Last(r => r.Path == "/rest/organizationAcls").Header("Authorization")!["Bearer ".Length..]);
    }

    private static Task<HttpResponseMessage> ChooseAsync(ConnectorsApi api, string ws, string key, string state, params string[] ids) =>
        api.SendAsync(HttpMethod.Post, $"/v1/workspaces/{ws}/connections/{state}/choose", key, new { ids });

    private static string Text(JsonNode node, string name) => node[name]!.GetValue<string>();
}
