using Microsoft.AspNetCore.WebUtilities;
using PostNext.Abstractions;
using PostNext.Abstractions.Accounts;
using PostNext.Platforms.LinkedIn;
using PostNext.Platforms.Common;
using PostNext.Platforms.Tests.Common;

namespace PostNext.Platforms.Tests.LinkedIn;

/// <summary>
/// LinkedIn's OAuth 2 for web apps: authorization code exchanged with the client secret in the form (no PKCE), 60-day
/// access tokens, refresh tokens only for approved partner apps (non-rotating), revocation.
/// </summary>
public sealed class LinkedInOAuthTests : IAsyncLifetime
{
    private static readonly Uri Redirect = new("https://postnext.example.com/connect/linkedin/callback");
    private LinkedInTestbed _li = null!;

    public async Task InitializeAsync() => _li = await LinkedInTestbed.StartAsync();

    public async Task DisposeAsync() => await _li.DisposeAsync();

    [Fact]
    public void The_authorize_url_asks_for_a_code_with_the_scopes_and_no_PKCE()
    {
        var url = _li.Connector.BuildAuthorizeUrl(new AuthorizeRequest("state-9", Redirect, Pkce.ChallengeS256(Pkce.NewVerifier())));

        Assert.Equal(_li.Api.Server.Url("oauth/v2/authorization").ToString(), url.GetLeftPart(UriPartial.Path));
        var query = QueryHelpers.ParseQuery(url.Query);
        Assert.Equal(["client_id", "redirect_uri", "response_type", "scope", "state"], query.Keys.Order());
        Assert.Equal(("code", ConnectorHarness.ClientId, Redirect.ToString(), "state-9"),
            (query["response_type"].ToString(), query["client_id"].ToString(), query["redirect_uri"].ToString(), query["state"].ToString()));
        Assert.Equal("openid profile w_member_social", query["scope"]);
    }

    [Fact]
    public async Task Connecting_exchanges_the_code_with_the_client_secret_and_reads_the_member_from_userinfo()
    {
        var code = _li.Api.IssueCode(Redirect);
        var before = DateTimeOffset.UtcNow;

        var account = await _li.Connector.CompleteConnectAsync(new CodeExchange(code, Redirect, null), CancellationToken.None);

        Assert.Equal((FakeLinkedInApi.MemberUrn, FakeLinkedInApi.MemberName, FakeLinkedInApi.MemberName), (account.ExternalId, account.Handle, account.DisplayName));
        Assert.StartsWith("li-access-", account.Tokens.AccessToken.Reveal());
        Assert.Null(account.Tokens.RefreshToken); // not a partner app
        Assert.InRange(account.Tokens.ExpiresAt!.Value, before.AddDays(60).AddSeconds(-10), DateTimeOffset.UtcNow.AddDays(60));
        Assert.Contains("w_member_social", account.Tokens.Scopes!);

        var token = Assert.Single(_li.Requests("POST", "/oauth/v2/accessToken"));
        Assert.StartsWith("application/x-www-form-urlencoded", token.Header("Content-Type"));
        var form = QueryHelpers.ParseQuery(token.Body);
        Assert.Equal(["client_id", "client_secret", "code", "grant_type", "redirect_uri"], form.Keys.Order());
        Assert.Equal(("authorization_code", code, Redirect.ToString(), ConnectorHarness.ClientId, ConnectorHarness.ClientSecret),
            (form["grant_type"].ToString(), form["code"].ToString(), form["redirect_uri"].ToString(), form["client_id"].ToString(), form["client_secret"].ToString()));
        var me = Assert.Single(_li.Requests("GET", "/v2/userinfo"));
        Assert.Equal("Bearer " + account.Tokens.AccessToken.Reveal(), me.Header("Authorization"));
    }

    [Fact]
    public async Task With_the_organization_scopes_connecting_offers_the_member_and_each_page_they_administer()
    {
        _li.Api.OrganizationScopesGranted = true;

        var offered = await _li.Connector.CompleteConnectChoicesAsync(new CodeExchange(_li.Api.IssueCode(Redirect), Redirect, null), CancellationToken.None);

        // The ANALYST page is not offered: only ADMINISTRATOR and CONTENT_ADMINISTRATOR may post as a page.
        Assert.Equal(
            [(FakeLinkedInApi.MemberUrn, FakeLinkedInApi.MemberName, FakeLinkedInApi.MemberName, ConnectCandidateKinds.Member),
             (FakeLinkedInApi.OrganizationUrn, FakeLinkedInApi.OrganizationVanityName, FakeLinkedInApi.OrganizationName, ConnectCandidateKinds.Organization)],
            offered.Select(a => (a.ExternalId, a.Handle, a.DisplayName, a.Kind)));
        Assert.Equal(offered[0].Tokens.AccessToken.Reveal(), offered[1].Tokens.AccessToken.Reveal());
        Assert.Contains(LinkedInConnector.OrganizationPostingScope, offered[1].Tokens.Scopes!);

        var acls = Assert.Single(_li.Requests("GET", "/rest/organizationAcls"));
        Assert.Equal("?q=roleAssignee&state=APPROVED&count=100", acls.Query);
        Assert.Equal(("FINDER", "Bearer " + offered[0].Tokens.AccessToken.Reveal()), (acls.Header("X-RestLi-Method"), acls.Header("Authorization")));
        Assert.Single(_li.Requests("GET", "/rest/organizations/5515715"));
    }

    [Fact]
    public async Task Without_the_organization_scopes_only_the_member_is_offered_and_no_page_is_asked_for()
    {
        var offered = await _li.Connector.CompleteConnectChoicesAsync(new CodeExchange(_li.Api.IssueCode(Redirect), Redirect, null), CancellationToken.None);

        Assert.Equal([(FakeLinkedInApi.MemberUrn, ConnectCandidateKinds.Member)], offered.Select(a => (a.ExternalId, a.Kind)));
        Assert.Empty(_li.Requests("GET", "/rest/organizationAcls"));
    }

    [Fact]
    public async Task When_LinkedIn_refuses_the_page_list_the_member_still_connects()
    {
        _li.Api.OrganizationScopesGranted = true;
        var code = _li.Api.IssueCode(Redirect);
        _li.Api.Server.Fail("GET", "/rest/organizationAcls", 403,
            """{"status":403,"serviceErrorCode":100,"code":"ACCESS_DENIED","message":"Not enough permissions to access: organizationAcls.FINDER-roleAssignee.20260101"}""");

        var offered = await _li.Connector.CompleteConnectChoicesAsync(new CodeExchange(code, Redirect, null), CancellationToken.None);

        Assert.Equal([FakeLinkedInApi.MemberUrn], offered.Select(a => a.ExternalId));
    }

    [Fact]
    public async Task A_partner_app_gets_a_refresh_token_and_refreshing_keeps_the_one_LinkedIn_repeats()
    {
        _li.Api.PartnerApp = true;
        var account = await _li.Connector.CompleteConnectAsync(new CodeExchange(_li.Api.IssueCode(Redirect), Redirect, null), CancellationToken.None);

        var refreshed = await _li.Connector.RefreshTokenAsync(account.Tokens, CancellationToken.None);

        Assert.Equal("li-refresh-1", account.Tokens.RefreshToken!.Reveal());
        Assert.Null(refreshed.Error);
        Assert.Equal("li-refresh-1", refreshed.Tokens!.RefreshToken!.Reveal());
        Assert.NotEqual(account.Tokens.AccessToken.Reveal(), refreshed.Tokens.AccessToken.Reveal());
        var form = QueryHelpers.ParseQuery(_li.Requests("POST", "/oauth/v2/accessToken")[1].Body);
        Assert.Equal(("refresh_token", "li-refresh-1", ConnectorHarness.ClientSecret), (form["grant_type"].ToString(), form["refresh_token"].ToString(), form["client_secret"].ToString()));
    }

    [Fact]
    public async Task When_the_refresh_answer_omits_the_refresh_token_the_stored_one_is_kept()
    {
        _li.Api.PartnerApp = true;
        _li.Api.RepeatRefreshToken = false;

        var refreshed = await _li.Connector.RefreshTokenAsync(Tokens("li-refresh-1"), CancellationToken.None);
        var again = await _li.Connector.RefreshTokenAsync(Tokens("li-refresh-1"), CancellationToken.None);

        Assert.Null(refreshed.Tokens!.RefreshToken); // null = keep the stored one
        Assert.Null(again.Error);
    }

    [Fact]
    public async Task Without_a_refresh_token_expiry_means_reconnecting_which_is_auth_and_asks_nothing()
    {
        var result = await _li.Connector.RefreshTokenAsync(new TokenSet(new Secret("access-token-1"), null, DateTimeOffset.UtcNow), CancellationToken.None);

        Assert.Equal(ErrorCategory.Auth, result.Error!.Category);
        Assert.Empty(_li.Api.Server.Requests);
    }

    [Fact]
    public async Task A_refresh_token_LinkedIn_refuses_fails_for_good_as_auth()
    {
        _li.Api.PartnerApp = true;

        var result = await _li.Connector.RefreshTokenAsync(Tokens("expired-refresh"), CancellationToken.None);

        Assert.Equal(ErrorCategory.Auth, result.Error!.Category);
        Assert.Contains("invalid or expired", result.Error.Message);
    }

    [Fact]
    public async Task Revoking_posts_the_token_with_the_client_credentials_and_the_token_stops_working()
    {
        await _li.Connector.RevokeAsync(Tokens("li-refresh-1"), CancellationToken.None);

        var revoke = Assert.Single(_li.Requests("POST", "/oauth/v2/revoke"));
        var form = QueryHelpers.ParseQuery(revoke.Body);
        Assert.Equal(["client_id", "client_secret", "token"], form.Keys.Order());
        Assert.Equal("access-token-1", form["token"]);
        var outcome = await _li.Connector.PublishAsync(_li.Publish(new PostContent("after revoke", [])), CancellationToken.None);
        Assert.Equal(ErrorCategory.Auth, outcome.ErrorCategory);
        Assert.Contains("revoked", outcome.Message);
    }

    private static TokenSet Tokens(string refresh) => new(new Secret("access-token-1"), new Secret(refresh), DateTimeOffset.UtcNow.AddDays(1));
}
