using Microsoft.AspNetCore.WebUtilities;
using PostNext.Abstractions;
using PostNext.Platforms.Common;
using PostNext.Platforms.Tests.Common;
using PostNext.Platforms.X;

namespace PostNext.Platforms.Tests.X;

/// <summary>
/// X's OAuth 2: authorization code with PKCE (S256), a confidential client authenticating with HTTP Basic, 2-hour
/// access tokens and rotating refresh tokens.
/// </summary>
public sealed class XOAuthTests : IAsyncLifetime
{
    private static readonly Uri Redirect = new("https://postnext.example.com/connect/x/callback");
    private XTestbed _x = null!;

    public async Task InitializeAsync() => _x = await XTestbed.StartAsync();

    public async Task DisposeAsync() => await _x.DisposeAsync();

    [Fact]
    public void The_authorize_url_asks_for_a_code_with_an_S256_challenge_and_offline_access()
    {
        var verifier = Pkce.NewVerifier();

        var url = _x.Connector.BuildAuthorizeUrl(new AuthorizeRequest("state-123", Redirect, Pkce.ChallengeS256(verifier)));

        Assert.Equal(ConnectorHarness.Rebase(new Uri("https://x.com/i/oauth2/authorize"), _x.Api.Server).GetLeftPart(UriPartial.Path), url.GetLeftPart(UriPartial.Path));
        var query = QueryHelpers.ParseQuery(url.Query);
        Assert.Equal("code", query["response_type"]);
        Assert.Equal(ConnectorHarness.ClientId, query["client_id"]);
        Assert.Equal(Redirect.ToString(), query["redirect_uri"]);
        Assert.Equal("tweet.read tweet.write users.read offline.access media.write", query["scope"]);
        Assert.Equal("state-123", query["state"]);
        Assert.Equal(Pkce.ChallengeS256(verifier), query["code_challenge"]);
        Assert.Equal("S256", query["code_challenge_method"]);
    }

    [Fact]
    public async Task Connecting_exchanges_the_code_with_the_verifier_under_HTTP_Basic_and_reads_the_user()
    {
        var verifier = Pkce.NewVerifier();
        var code = _x.Api.IssueCode(Pkce.ChallengeS256(verifier), Redirect);
        var before = DateTimeOffset.UtcNow;

        var account = await _x.Connector.CompleteConnectAsync(new CodeExchange(code, Redirect, verifier), CancellationToken.None);

        Assert.Equal((FakeXApi.UserId, FakeXApi.Username, FakeXApi.DisplayName), (account.ExternalId, account.Handle, account.DisplayName));
        Assert.StartsWith("x-access-", account.Tokens.AccessToken.Reveal());
        Assert.Equal(_x.Api.RefreshToken, account.Tokens.RefreshToken!.Reveal());
        Assert.InRange(account.Tokens.ExpiresAt!.Value, before.AddSeconds(7190), DateTimeOffset.UtcNow.AddSeconds(7200));
        Assert.Contains("offline.access", account.Tokens.Scopes!);

        var token = Assert.Single(_x.Requests("POST", "/2/oauth2/token"));
        var basic = Convert.ToBase64String(System.Text.Encoding.UTF8.GetBytes($"{ConnectorHarness.ClientId}:{ConnectorHarness.ClientSecret}"));
        Assert.Equal("Basic " + basic, token.Header("Authorization"));
        Assert.StartsWith("application/x-www-form-urlencoded", token.Header("Content-Type"));
        var form = QueryHelpers.ParseQuery(token.Body);
        Assert.Equal(["code", "code_verifier", "grant_type", "redirect_uri"], form.Keys.Order());
        Assert.Equal(("authorization_code", code, Redirect.ToString(), verifier), (form["grant_type"].ToString(), form["code"].ToString(), form["redirect_uri"].ToString(), form["code_verifier"].ToString()));
        var me = Assert.Single(_x.Requests("GET", "/2/users/me"));
        Assert.Equal("Bearer " + account.Tokens.AccessToken.Reveal(), me.Header("Authorization"));
    }

    [Fact]
    public async Task A_code_exchanged_with_the_wrong_verifier_is_refused_as_auth()
    {
        var code = _x.Api.IssueCode(Pkce.ChallengeS256(Pkce.NewVerifier()), Redirect);

        var error = await Assert.ThrowsAsync<PlatformException>(() => _x.Connector.CompleteConnectAsync(new CodeExchange(code, Redirect, Pkce.NewVerifier()), CancellationToken.None));

        Assert.Equal(ErrorCategory.Auth, error.Error.Category);
    }

    [Fact]
    public async Task Refreshing_takes_the_rotated_refresh_token_and_the_old_one_is_spent()
    {
        var current = Tokens("refresh-token-1");

        var first = await _x.Connector.RefreshTokenAsync(current, CancellationToken.None);
        var replay = await _x.Connector.RefreshTokenAsync(current, CancellationToken.None);

        Assert.Null(first.Error);
        Assert.Equal(_x.Api.RefreshToken, first.Tokens!.RefreshToken!.Reveal());
        Assert.NotEqual("refresh-token-1", first.Tokens.RefreshToken.Reveal());
        Assert.Contains(first.Tokens.AccessToken.Reveal(), _x.Api.AccessTokens);
        Assert.Equal(ErrorCategory.Auth, replay.Error!.Category);
        var form = QueryHelpers.ParseQuery(_x.Requests("POST", "/2/oauth2/token")[0].Body);
        Assert.Equal(("refresh_token", "refresh-token-1"), (form["grant_type"].ToString(), form["refresh_token"].ToString()));
        Assert.False(form.ContainsKey("client_secret"));
    }

    [Fact]
    public async Task When_no_new_refresh_token_comes_back_the_old_one_is_kept_and_still_works()
    {
        _x.Api.RotateRefreshTokens = false;

        var first = await _x.Connector.RefreshTokenAsync(Tokens("refresh-token-1"), CancellationToken.None);
        var second = await _x.Connector.RefreshTokenAsync(Tokens("refresh-token-1"), CancellationToken.None);

        Assert.Null(first.Tokens!.RefreshToken); // null = keep the stored one (see IPlatformConnector.RefreshTokenAsync)
        Assert.Null(second.Error);
        Assert.NotEqual(first.Tokens.AccessToken.Reveal(), second.Tokens!.AccessToken.Reveal());
    }

    [Fact]
    public async Task A_refresh_token_X_no_longer_knows_fails_for_good_as_auth()
    {
        var result = await _x.Connector.RefreshTokenAsync(Tokens("revoked-refresh"), CancellationToken.None);

        Assert.Null(result.Tokens);
        Assert.Equal(ErrorCategory.Auth, result.Error!.Category);
        Assert.Contains("Value passed for the token was invalid.", result.Error.Message);
    }

    [Fact]
    public async Task Revoking_revokes_the_refresh_and_the_access_token_under_HTTP_Basic()
    {
        await _x.Connector.RevokeAsync(Tokens("refresh-token-1"), CancellationToken.None);

        var revokes = _x.Requests("POST", "/2/oauth2/revoke");
        Assert.Equal(2, revokes.Count);
        Assert.All(revokes, r => Assert.StartsWith("Basic ", r.Header("Authorization")));
        Assert.Equal(["refresh_token", "access_token"], revokes.Select(r => QueryHelpers.ParseQuery(r.Body)["token_type_hint"].ToString()));
        Assert.DoesNotContain("access-token-1", _x.Api.AccessTokens);
        Assert.Null(_x.Api.RefreshToken);
        var outcome = await _x.Connector.PublishAsync(_x.Publish(new PostContent("after revoke", [])), CancellationToken.None);
        Assert.Equal(ErrorCategory.Auth, outcome.ErrorCategory);
    }

    private static TokenSet Tokens(string refresh) => new(new Secret("access-token-1"), new Secret(refresh), DateTimeOffset.UtcNow.AddMinutes(5));
}
