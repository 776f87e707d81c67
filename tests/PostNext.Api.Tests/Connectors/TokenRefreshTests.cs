using Microsoft.AspNetCore.WebUtilities;
using PostNext.Abstractions.Platforms;
using PostNext.Platforms.Tests.X;

namespace PostNext.Api.Tests.Connectors;

/// <summary>
/// Issue "done when": an access token that expires before a scheduled publish is refreshed first; a refresh that fails
/// for good ends in <c>reconnect_required</c> and the account's targets fail with <c>auth</c>. Driven on X, whose refresh
/// tokens rotate, with accounts imported over the API whose tokens expire inside the refresh margin (10 minutes).
/// </summary>
[Collection(ConnectorsCollection.Name)]
public sealed class TokenRefreshTests(ConnectorsHost host)
{
    private ConnectorsApi Api => host.Api;

    private FakeXApi X => host.X;

    [Theory]
    [InlineData(0)] // published at once: the refresh happens on the way to the platform
    [InlineData(3)] // scheduled a few seconds ahead
    public async Task A_token_expiring_before_the_publish_is_refreshed_first_and_the_tweet_goes_out_with_the_new_token(int secondsAhead)
    {
        var (ws, key) = await Api.CreateWorkspaceAsync();
        var oldAccess = $"x-old-access-{Guid.NewGuid():N}";
        X.AccessTokens.Add(oldAccess); // still accepted by X: only the refresh margin says it must be renewed
        var oldRefresh = X.RefreshToken!;
        var account = await Api.ImportAccountAsync(ws, key, PlatformIds.X, FakeXApi.Username, FakeXApi.UserId, oldAccess, oldRefresh, DateTimeOffset.UtcNow.AddMinutes(5));
        var accountId = account["id"]!.GetValue<string>();
        var text = $"Posted after a token refresh {Guid.NewGuid():N}";

        object schedule = secondsAhead == 0 ? new { mode = "now" } : new { at = DateTimeOffset.UtcNow.AddSeconds(secondsAhead).ToString("O") };
        var post = await Api.CreatePostAsync(ws, key, new { content = new { text }, targets = new[] { new { accountId } }, schedule });
        var done = await Api.WaitForPostAsync(ws, key, post["id"]!.GetValue<string>());

        var target = ConnectorsApi.Target(done, accountId);
        Assert.True(done["status"]!.GetValue<string>() == "published", done.ToJsonString());
        Assert.Equal(1, target["attempts"]!.GetValue<int>());
        var requests = X.Server.Requests.ToList();
        var refreshAt = requests.FindIndex(r => r.Path == "/2/oauth2/token" && Form(r).GetValueOrDefault("refresh_token") == oldRefresh);
        var tweetAt = requests.FindIndex(r => r.Method == "POST" && r.Path == "/2/tweets" && r.Body.Contains(text, StringComparison.Ordinal));
        Assert.True(refreshAt >= 0, "X saw no refresh_token grant with the imported refresh token");
        Assert.True(tweetAt > refreshAt, $"the tweet (request {tweetAt}) went out before the refresh (request {refreshAt})");
        Assert.Equal("refresh_token", Form(requests[refreshAt])["grant_type"]);
        Assert.Single(requests, r => r.Path == "/2/oauth2/token" && Form(r).GetValueOrDefault("refresh_token") == oldRefresh);
        Assert.DoesNotContain(requests, r => r.Header("Authorization") == $"Bearer {oldAccess}");

        // X answered the refresh with the pair x-access-N / x-refresh-N: the tweet used that new access token.
        var newRefresh = X.RefreshToken!;
        Assert.NotEqual(oldRefresh, newRefresh);
        Assert.Equal($"Bearer x-access-{newRefresh["x-refresh-".Length..]}", requests[tweetAt].Header("Authorization"));
        Assert.Equal(Assert.Single(X.Tweets.ToList(), t => t.Text == text).Id, target["externalId"]!.GetValue<string>());

        // The account kept the new token's expiry (2 hours) and stays connected.
        var after = await Api.GetAccountAsync(ws, key, accountId);
        Assert.Equal("connected", after["status"]!.GetValue<string>());
        Assert.InRange(after["tokenExpiresAt"]!.GetValue<DateTimeOffset>(), DateTimeOffset.UtcNow.AddSeconds(7000), DateTimeOffset.UtcNow.AddSeconds(7200));
    }

    [Fact]
    public async Task A_refresh_X_refuses_for_good_makes_the_account_reconnect_required_and_its_target_fails_with_auth()
    {
        var (ws, key) = await Api.CreateWorkspaceAsync();
        var access = $"x-doomed-access-{Guid.NewGuid():N}";
        X.AccessTokens.Add(access); // X would still take it: only the failed refresh stops the publish
        var deadRefresh = $"x-revoked-refresh-{Guid.NewGuid():N}";
        var account = await Api.ImportAccountAsync(ws, key, PlatformIds.X, "doomed", $"{FakeXApi.UserId}-doomed", access, deadRefresh, DateTimeOffset.UtcNow.AddMinutes(5));
        var accountId = account["id"]!.GetValue<string>();
        var text = $"Never posted {Guid.NewGuid():N}";

        var post = await Api.CreatePostAsync(ws, key, new { content = new { text }, targets = new[] { new { accountId } }, schedule = new { mode = "now" } });
        var done = await Api.WaitForPostAsync(ws, key, post["id"]!.GetValue<string>());

        var target = ConnectorsApi.Target(done, accountId);
        Assert.True(target["status"]!.GetValue<string>() == "failed", done.ToJsonString());
        Assert.Equal("failed", done["status"]!.GetValue<string>());
        Assert.Equal("auth", target["error"]!["category"]!.GetValue<string>());
        Assert.Null(target["externalId"]);

        var after = await Api.GetAccountAsync(ws, key, accountId);
        Assert.Equal("reconnect_required", after["status"]!.GetValue<string>());
        Assert.Contains("Value passed for the token was invalid.", after["statusReason"]!.GetValue<string>(), StringComparison.Ordinal);

        var requests = X.Server.Requests;
        var refresh = Assert.Single(requests, r => r.Path == "/2/oauth2/token" && Form(r).GetValueOrDefault("refresh_token") == deadRefresh);
        Assert.Equal("refresh_token", Form(refresh)["grant_type"]);
        Assert.DoesNotContain(requests, r => r.Header("Authorization") == $"Bearer {access}");
        Assert.DoesNotContain(X.Tweets.ToList(), t => t.Text == text);
    }

    private static Dictionary<string, string> Form(RecordedRequest request) =>
        QueryHelpers.ParseQuery(request.Body).ToDictionary(f => f.Key, f => f.Value.ToString());
}
