using Microsoft.AspNetCore.WebUtilities;
using PostNext.Abstractions.Platforms;
using PostNext.Platforms.Common;
using PostNext.Platforms.Facebook;
using PostNext.Platforms.Instagram;
using PostNext.Platforms.LinkedIn;
using PostNext.Platforms.Tests.Common;
using PostNext.Platforms.Tests.Facebook;
using PostNext.Platforms.Tests.Instagram;
using PostNext.Platforms.Tests.LinkedIn;
using PostNext.Platforms.Tests.X;
using PostNext.Platforms.TikTok;
using PostNext.Platforms.X;
using PostNext.Platforms.YouTube;

namespace PostNext.Api.Tests.Connectors;

/// <summary>
/// Issue "done when": the OAuth connect flow completes end to end against each fake, through the API —
/// <c>POST …/accounts/connect</c> answers the platform's authorize URL and a state, the platform's consent hands back a
/// code, <c>GET /v1/oauth/{platform}/callback</c> exchanges it and creates the account (or reconnects it when the same
/// external id connects again, never losing a refresh token). The platform side of consent is each fake's: X and
/// LinkedIn issue a code for the redirect URI (X bound to the PKCE challenge), Facebook and Instagram have one fixed
/// code for their registered redirect URI, TikTok and YouTube redirect the browser back with a code.
/// </summary>
[Collection(ConnectorsCollection.Name)]
public sealed class OAuthConnectTests(ConnectorsHost host)
{
    private ConnectorsApi Api => host.Api;

    [Fact]
    public async Task X_connects_with_PKCE_publishes_with_the_exchanged_token_and_the_same_user_connecting_again_is_a_reconnect()
    {
        var (ws, key) = await Api.CreateWorkspaceAsync();
        var redirect = new Uri("https://app.postnext.test/oauth/x/callback");

        var start = await Api.StartConnectAsync(ws, key, PlatformIds.X, redirect);

        Assert.Equal(AuthorizePage(XConnector.Defaults, host.X.Server), start.AuthorizeUrl.GetLeftPart(UriPartial.Path));
        Assert.Equal((start.State, redirect.ToString(), ConnectorHarness.ClientId, "code", "S256"),
            (start.Query["state"], start.Query["redirect_uri"], start.Query["client_id"], start.Query["response_type"], start.Query["code_challenge_method"]));
        Assert.Contains("offline.access", start.Query["scope"].Split(' '));
        Assert.InRange(start.ExpiresAt, DateTimeOffset.UtcNow.AddMinutes(9), DateTimeOffset.UtcNow.AddMinutes(11));
        var challenge = start.Query["code_challenge"];

        var issued = await ConnectAsync(PlatformIds.X, start, host.X.IssueCode(challenge, redirect), () => host.X.AccessTokens);

        Assert.False(issued.Reconnected);
        var account = issued.Account;
        Assert.Equal(("x", FakeXApi.UserId, FakeXApi.Username, FakeXApi.DisplayName, "connected"),
            (Text(account, "platform"), Text(account, "externalId"), Text(account, "handle"), Text(account, "displayName"), Text(account, "status")));
        Assert.InRange(account["tokenExpiresAt"]!.GetValue<DateTimeOffset>(), DateTimeOffset.UtcNow.AddSeconds(7000), DateTimeOffset.UtcNow.AddSeconds(7200));

        // The verifier stayed on the server until the exchange, and it matches the challenge the authorize URL carried.
        var exchange = QueryHelpers.ParseQuery(TokenRequest(host.X.Server, "/2/oauth2/token", issued.Code).Body);
        Assert.Equal(("authorization_code", redirect.ToString()), (exchange["grant_type"].ToString(), exchange["redirect_uri"].ToString()));
        Assert.Equal(challenge, Pkce.ChallengeS256(exchange["code_verifier"].ToString()));
        Assert.DoesNotContain(exchange["code_verifier"].ToString(), start.AuthorizeUrl.ToString(), StringComparison.Ordinal);

        var accountId = Text(account, "id");
        Assert.Equal(account.ToJsonString(), (await Api.GetAccountAsync(ws, key, accountId)).ToJsonString());
        Assert.Equal(issued.NewAccessToken, await PublishToXAsync(ws, key, accountId));

        // The same X user again: the same account, its tokens replaced by the new exchange's.
        var again = await Api.StartConnectAsync(ws, key, PlatformIds.X, redirect);
        var reissued = await ConnectAsync(PlatformIds.X, again, host.X.IssueCode(again.Query["code_challenge"], redirect), () => host.X.AccessTokens);

        Assert.True(reissued.Reconnected);
        Assert.Equal((accountId, "connected"), (Text(reissued.Account, "id"), Text(reissued.Account, "status")));
        Assert.Equal([accountId], (await Api.ListAccountsAsync(ws, key)).Select(a => a!["id"]!.GetValue<string>()));
        Assert.NotEqual(issued.NewAccessToken, reissued.NewAccessToken);
        Assert.Equal(reissued.NewAccessToken, await PublishToXAsync(ws, key, accountId));
    }

    [Fact]
    public async Task LinkedIn_connects_and_a_reconnect_that_brings_no_refresh_token_keeps_the_stored_one()
    {
        var (ws, key) = await Api.CreateWorkspaceAsync();
        var redirect = new Uri("https://app.postnext.test/oauth/linkedin/callback");
        var li = host.LinkedIn;
        try
        {
            // First connection as an approved partner app: LinkedIn hands out a refresh token.
            li.PartnerApp = true;
            var start = await Api.StartConnectAsync(ws, key, PlatformIds.LinkedIn, redirect);
            Assert.Equal(AuthorizePage(LinkedInConnector.Defaults, li.Server), start.AuthorizeUrl.GetLeftPart(UriPartial.Path));
            Assert.Equal((start.State, redirect.ToString(), ConnectorHarness.ClientId), (start.Query["state"], start.Query["redirect_uri"], start.Query["client_id"]));
            Assert.False(start.Query.ContainsKey("code_challenge"), "LinkedIn's web flow takes no PKCE");

            var first = await ConnectAsync(PlatformIds.LinkedIn, start, li.IssueCode(redirect), () => ValidLinkedInTokens());

            Assert.False(first.Reconnected);
            Assert.Equal(("linkedin", FakeLinkedInApi.MemberUrn, FakeLinkedInApi.MemberName, "connected"),
                (Text(first.Account, "platform"), Text(first.Account, "externalId"), Text(first.Account, "handle"), Text(first.Account, "status")));
            var accountId = Text(first.Account, "id");

            // The same member connects again, now without a refresh token in LinkedIn's answer.
            li.PartnerApp = false;
            var again = await Api.StartConnectAsync(ws, key, PlatformIds.LinkedIn, redirect);
            var second = await ConnectAsync(PlatformIds.LinkedIn, again, li.IssueCode(redirect), () => ValidLinkedInTokens());
            Assert.True(second.Reconnected);
            Assert.Equal(accountId, Text(second.Account, "id"));

            // Prove the refresh token survived: LinkedIn now refuses the new access token as expired, so the publish gets
            // an auth error, the account refreshes (which needs the refresh token from the first connection) and retries.
            li.AccessTokens[second.NewAccessToken] = TokenState.Expired;
            li.PartnerApp = true;
            var text = $"Reconnected and still refreshing {Guid.NewGuid():N}";
            var before = ValidLinkedInTokens();
            var post = await Api.CreatePostAsync(ws, key, new { content = new { text }, targets = new[] { new { accountId } }, schedule = new { mode = "now" } });
            var done = await Api.WaitForPostAsync(ws, key, post["id"]!.GetValue<string>());

            var target = ConnectorsApi.Target(done, accountId);
            Assert.True(Text(target, "status") == "published", done.ToJsonString());
            Assert.Equal(2, target["attempts"]!.GetValue<int>());
            var refreshed = Assert.Single(ValidLinkedInTokens().Except(before));
            var calls = li.Server.Requests
                .Where(r => (r.Path == "/rest/posts" && r.Method == "POST" && r.Body.Contains(text, StringComparison.Ordinal)) || r.Path == "/oauth/v2/accessToken")
                .SkipWhile(r => r.Path != "/rest/posts")
                .ToList();
            Assert.Equal(3, calls.Count);
            Assert.Equal($"Bearer {second.NewAccessToken}", calls[0].Header("Authorization"));
            var refresh = QueryHelpers.ParseQuery(calls[1].Body);
            Assert.Equal(("refresh_token", "li-refresh-1"), (refresh["grant_type"].ToString(), refresh["refresh_token"].ToString()));
            Assert.Equal($"Bearer {refreshed}", calls[2].Header("Authorization"));
            Assert.Equal(Text(target, "externalId"), Assert.Single(li.Posts.ToList(), p => p.Commentary == text).Urn);
        }
        finally
        {
            li.PartnerApp = false;
        }

        HashSet<string> ValidLinkedInTokens() => [.. li.AccessTokens.Where(t => t.Value == TokenState.Valid).Select(t => t.Key)];
    }

    [Fact]
    public async Task Facebook_connects_the_Page_the_person_may_publish_to_and_publishes_with_its_Page_token()
    {
        var (ws, key) = await Api.CreateWorkspaceAsync();
        var fb = host.Facebook;

        var start = await Api.StartConnectAsync(ws, key, PlatformIds.Facebook, fb.RedirectUri);

        Assert.Equal(AuthorizePage(FacebookConnector.Defaults, fb.Server), start.AuthorizeUrl.GetLeftPart(UriPartial.Path));
        Assert.Equal((start.State, fb.RedirectUri.ToString(), ConnectorHarness.ClientId), (start.Query["state"], start.Query["redirect_uri"], start.Query["client_id"]));
        var response = await ApiHost.JsonAsync(await Api.CallbackAsync(PlatformIds.Facebook, FakeFacebookApi.Code, start.State), HttpStatusCode.OK);

        Assert.False(response["reconnected"]!.GetValue<bool>());
        var account = response["account"]!.AsObject();
        Assert.Equal(("facebook", FakeFacebookApi.PageId, "postnextbakery", "PostNext Bakery", "connected"),
            (Text(account, "platform"), Text(account, "externalId"), Text(account, "handle"), Text(account, "displayName"), Text(account, "status")));
        Assert.Null(account["tokenExpiresAt"]); // Page tokens from a long-lived user token do not expire
        var code = Assert.Single(fb.Server.Requests, r => r.Path == "/v25.0/oauth/access_token" && QueryHelpers.ParseQuery(r.Query).GetValueOrDefault("code") == FakeFacebookApi.Code);
        var query = QueryHelpers.ParseQuery(code.Query);
        Assert.Equal((FakeFacebookApi.Code, fb.RedirectUri.ToString(), ConnectorHarness.ClientSecret), (query["code"].ToString(), query["redirect_uri"].ToString(), query["client_secret"].ToString()));

        // The account publishes with the Page token /me/accounts handed out (not the user token).
        var pageToken = fb.PageToken;
        var text = $"Connected through Facebook Login {Guid.NewGuid():N}";
        var post = await Api.CreatePostAsync(ws, key, new { content = new { text }, targets = new[] { new { accountId = Text(account, "id") } }, schedule = new { mode = "now" } });
        var done = await Api.WaitForPostAsync(ws, key, post["id"]!.GetValue<string>());

        var target = ConnectorsApi.Target(done, Text(account, "id"));
        Assert.True(Text(target, "status") == "published", done.ToJsonString());
        Assert.Equal(text, fb.Posts[Text(target, "externalId")]["message"]!.GetValue<string>());
        var feed = Assert.Single(fb.Server.Requests, r => r.Path == $"/v25.0/{FakeFacebookApi.PageId}/feed" && r.Body.Contains(text, StringComparison.Ordinal));
        Assert.Equal($"Bearer {pageToken}", feed.Header("Authorization"));
        Assert.NotEqual("fb-page-1010-0", pageToken); // the Page token derived during this connection, not the fake's initial one
    }

    [Fact]
    public async Task Instagram_connects_the_professional_account_with_a_long_lived_token()
    {
        var (ws, key) = await Api.CreateWorkspaceAsync();
        var ig = host.Instagram;

        var start = await Api.StartConnectAsync(ws, key, PlatformIds.Instagram, ig.RedirectUri);

        Assert.Equal(AuthorizePage(InstagramConnector.Defaults, ig.Server), start.AuthorizeUrl.GetLeftPart(UriPartial.Path));
        Assert.Equal((start.State, ig.RedirectUri.ToString(), ConnectorHarness.ClientId), (start.Query["state"], start.Query["redirect_uri"], start.Query["client_id"]));
        var response = await ApiHost.JsonAsync(await Api.CallbackAsync(PlatformIds.Instagram, FakeInstagramApi.Code, start.State), HttpStatusCode.OK);

        Assert.False(response["reconnected"]!.GetValue<bool>());
        var account = response["account"]!.AsObject();
        Assert.Equal(("instagram", FakeInstagramApi.IgUserId, FakeInstagramApi.Username, "connected"),
            (Text(account, "platform"), Text(account, "externalId"), Text(account, "handle"), Text(account, "status")));
        Assert.InRange(account["tokenExpiresAt"]!.GetValue<DateTimeOffset>(), DateTimeOffset.UtcNow.AddDays(59), DateTimeOffset.UtcNow.AddDays(61));
        var exchange = QueryHelpers.ParseQuery(Assert.Single(ig.Server.Requests, r => r.Path == "/oauth/access_token").Body);
        Assert.Equal((FakeInstagramApi.Code, ig.RedirectUri.ToString()), (exchange["code"].ToString(), exchange["redirect_uri"].ToString()));
        Assert.Single(ig.Server.Requests, r => r.Path == "/access_token" && r.Query.Contains("ig_exchange_token", StringComparison.Ordinal));
    }

    [Fact]
    public async Task TikTok_connects_through_its_consent_redirect_and_connecting_again_is_a_reconnect()
    {
        var (ws, key) = await Api.CreateWorkspaceAsync();
        var redirect = new Uri("https://app.postnext.test/oauth/tiktok/callback");
        var tt = host.TikTok;

        var start = await Api.StartConnectAsync(ws, key, PlatformIds.TikTok, redirect);

        Assert.Equal(AuthorizePage(TikTokConnector.Defaults, tt.Server), start.AuthorizeUrl.GetLeftPart(UriPartial.Path));
        Assert.Equal((start.State, redirect.ToString(), ConnectorHarness.ClientId), (start.Query["state"], start.Query["redirect_uri"], start.Query["client_key"]));
        var code = await ConsentAsync(start, redirect);
        var first = await ApiHost.JsonAsync(await Api.CallbackAsync(PlatformIds.TikTok, code, start.State), HttpStatusCode.OK);

        Assert.False(first["reconnected"]!.GetValue<bool>());
        var account = first["account"]!.AsObject();
        Assert.Equal(("tiktok", tt.OpenId, tt.Username, tt.DisplayName, "connected"),
            (Text(account, "platform"), Text(account, "externalId"), Text(account, "handle"), Text(account, "displayName"), Text(account, "status")));
        var exchange = QueryHelpers.ParseQuery(TokenRequest(tt.Server, "/v2/oauth/token/", code).Body);
        Assert.Equal(("authorization_code", redirect.ToString(), ConnectorHarness.ClientId), (exchange["grant_type"].ToString(), exchange["redirect_uri"].ToString(), exchange["client_key"].ToString()));

        var again = await Api.StartConnectAsync(ws, key, PlatformIds.TikTok, redirect);
        var second = await ApiHost.JsonAsync(await Api.CallbackAsync(PlatformIds.TikTok, await ConsentAsync(again, redirect), again.State), HttpStatusCode.OK);

        Assert.True(second["reconnected"]!.GetValue<bool>());
        Assert.Equal(Text(account, "id"), Text(second["account"]!.AsObject(), "id"));
        Assert.Single(await Api.ListAccountsAsync(ws, key));
    }

    [Fact]
    public async Task YouTube_connects_with_PKCE_and_offline_access_through_its_consent_redirect()
    {
        var (ws, key) = await Api.CreateWorkspaceAsync();
        var redirect = new Uri("https://app.postnext.test/oauth/youtube/callback");
        var yt = host.YouTube;

        var start = await Api.StartConnectAsync(ws, key, PlatformIds.YouTube, redirect);

        Assert.Equal(AuthorizePage(YouTubeConnector.Defaults, yt.Server), start.AuthorizeUrl.GetLeftPart(UriPartial.Path));
        Assert.Equal((start.State, redirect.ToString(), ConnectorHarness.ClientId, "offline", "S256"),
            (start.Query["state"], start.Query["redirect_uri"], start.Query["client_id"], start.Query["access_type"], start.Query["code_challenge_method"]));
        var code = await ConsentAsync(start, redirect);
        var response = await ApiHost.JsonAsync(await Api.CallbackAsync(PlatformIds.YouTube, code, start.State), HttpStatusCode.OK);

        Assert.False(response["reconnected"]!.GetValue<bool>());
        var account = response["account"]!.AsObject();
        Assert.Equal(("youtube", yt.ChannelId, "postnextchannel", yt.ChannelTitle, "connected"),
            (Text(account, "platform"), Text(account, "externalId"), Text(account, "handle"), Text(account, "displayName"), Text(account, "status")));
        Assert.InRange(account["tokenExpiresAt"]!.GetValue<DateTimeOffset>(), DateTimeOffset.UtcNow.AddSeconds(3400), DateTimeOffset.UtcNow.AddSeconds(3600));
        var exchange = QueryHelpers.ParseQuery(TokenRequest(yt.Server, "/token", code).Body);
        Assert.Equal(start.Query["code_challenge"], Pkce.ChallengeS256(exchange["code_verifier"].ToString()));
    }

    [Fact]
    public async Task A_forged_state_a_state_for_another_platform_and_a_replayed_state_are_refused_with_400_problem_details()
    {
        var (ws, key) = await Api.CreateWorkspaceAsync();
        var redirect = new Uri("https://app.postnext.test/oauth/x/callback");
        var start = await Api.StartConnectAsync(ws, key, PlatformIds.X, redirect);
        var code = host.X.IssueCode(start.Query["code_challenge"], redirect);

        // Forged: a well-formed state this server never issued, even with a code X would accept.
        var forged = await ConnectorsApi.ProblemAsync(await Api.CallbackAsync(PlatformIds.X, code, Pkce.Base64Url(System.Security.Cryptography.RandomNumberGenerator.GetBytes(32))));
        Assert.Contains("never issued", forged, StringComparison.Ordinal);

        // A real state on another platform's callback.
        var foreign = await ConnectorsApi.ProblemAsync(await Api.CallbackAsync(PlatformIds.LinkedIn, code, start.State));
        Assert.Contains("another platform", foreign, StringComparison.Ordinal);
        Assert.Empty(TokenRequests(host.X.Server, "/2/oauth2/token", code));

        // The genuine callback succeeds once; the same state again is refused and the code is not exchanged twice.
        await ApiHost.JsonAsync(await Api.CallbackAsync(PlatformIds.X, code, start.State), HttpStatusCode.OK);
        var replayed = await ConnectorsApi.ProblemAsync(await Api.CallbackAsync(PlatformIds.X, code, start.State));
        Assert.Contains("already used", replayed, StringComparison.Ordinal);
        var replayedWithNewCode = await ConnectorsApi.ProblemAsync(await Api.CallbackAsync(PlatformIds.X, host.X.IssueCode(start.Query["code_challenge"], redirect), start.State));
        Assert.Contains("already used", replayedWithNewCode, StringComparison.Ordinal);

        Assert.Single(TokenRequests(host.X.Server, "/2/oauth2/token", code));
        Assert.Single(await Api.ListAccountsAsync(ws, key));
    }

    [Fact]
    public async Task An_expired_state_is_refused_with_400_problem_details_and_nothing_is_exchanged()
    {
        await using var shortLived = await host.StartHostAsync("--PostNext:Accounts:ConnectStateLifetime=00:00:01");
        var api = new ConnectorsApi(shortLived.Http);
        var (ws, key) = await api.CreateWorkspaceAsync();
        var redirect = new Uri("https://app.postnext.test/oauth/x/callback");

        var start = await api.StartConnectAsync(ws, key, PlatformIds.X, redirect);
        Assert.InRange(start.ExpiresAt, DateTimeOffset.UtcNow.AddSeconds(-30), DateTimeOffset.UtcNow.AddSeconds(1)); // the configured second, not 10 minutes
        var code = host.X.IssueCode(start.Query["code_challenge"], redirect);
        var wait = start.ExpiresAt - DateTimeOffset.UtcNow + TimeSpan.FromMilliseconds(300);
        if (wait > TimeSpan.Zero)
        {
            await Task.Delay(wait);
        }

        var expired = await ConnectorsApi.ProblemAsync(await api.CallbackAsync(PlatformIds.X, code, start.State));

        Assert.Contains("expired", expired, StringComparison.Ordinal);
        Assert.Empty(TokenRequests(host.X.Server, "/2/oauth2/token", code));
        Assert.Empty(await api.ListAccountsAsync(ws, key));
    }

    /// <summary>Completes a connection with <paramref name="code"/>; returns the answer and the one access token the platform issued meanwhile.</summary>
    private async Task<Connected> ConnectAsync(string platform, ConnectStart start, string code, Func<IEnumerable<string>> validTokens)
    {
        var before = validTokens().ToHashSet();
        var response = await ApiHost.JsonAsync(await Api.CallbackAsync(platform, code, start.State), HttpStatusCode.OK);
        var issued = Assert.Single(validTokens().Except(before));
        return new Connected(response["account"]!.AsObject(), response["reconnected"]!.GetValue<bool>(), code, issued);
    }

    /// <summary>Publishes a text post now to an X account; returns the bearer token the tweet was created with.</summary>
    private async Task<string> PublishToXAsync(string ws, string key, string accountId)
    {
        var text = $"Hello from a connected account {Guid.NewGuid():N}";
        var post = await Api.CreatePostAsync(ws, key, new { content = new { text }, targets = new[] { new { accountId } }, schedule = new { mode = "now" } });
        var done = await Api.WaitForPostAsync(ws, key, post["id"]!.GetValue<string>());
        var target = ConnectorsApi.Target(done, accountId);
        Assert.True(Text(target, "status") == "published", done.ToJsonString());
        Assert.Equal(Text(target, "externalId"), Assert.Single(host.X.Tweets.ToList(), t => t.Text == text).Id);
        var request = Assert.Single(host.X.Server.Requests, r => r.Method == "POST" && r.Path == "/2/tweets" && r.Body.Contains(text, StringComparison.Ordinal));
        return request.Header("Authorization")!["Bearer ".Length..];
    }

    /// <summary>The person consents on the platform's page (the fake's), which redirects the browser back with a code and our state.</summary>
    private static async Task<string> ConsentAsync(ConnectStart start, Uri redirect)
    {
        using var browser = new HttpClient(new HttpClientHandler { AllowAutoRedirect = false });
        using var response = await browser.GetAsync(start.AuthorizeUrl);
        Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
        var back = response.Headers.Location!;
        Assert.Equal(redirect.GetLeftPart(UriPartial.Path), back.GetLeftPart(UriPartial.Path));
        var query = QueryHelpers.ParseQuery(back.Query);
        Assert.Equal(start.State, query["state"].ToString());
        return query["code"].ToString();
    }

    private static string AuthorizePage(PlatformOptions defaults, FakePlatformServer fake) =>
        ConnectorHarness.Rebase(defaults.AuthorizeUrl!, fake).GetLeftPart(UriPartial.Path);

    private static IReadOnlyList<RecordedRequest> TokenRequests(FakePlatformServer fake, string path, string code) =>
        [.. fake.Requests.Where(r => r.Method == "POST" && r.Path == path && QueryHelpers.ParseQuery(r.Body).TryGetValue("code", out var c) && c == code)];

    private static RecordedRequest TokenRequest(FakePlatformServer fake, string path, string code) => Assert.Single(TokenRequests(fake, path, code));

    private static string Text(JsonObject json, string name) => json[name]!.GetValue<string>();

    private sealed record Connected(JsonObject Account, bool Reconnected, string Code, string NewAccessToken);
}
