using Microsoft.Extensions.DependencyInjection;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Platforms;
using PostNext.Platforms.Tests.X;

namespace PostNext.Api.Tests.Connectors;

/// <summary>
/// A token endpoint that breaks in a way no connector classifies (an unreadable answer, no answer within the request
/// timeout) still leads to a classified outcome. A refresh: the account keeps its current token and retries on its
/// reminder, a post due now goes out with the token that is still valid, and refreshes that keep failing for the retry
/// budget after the token expired make the account reconnect_required. A connection: the callback answers 502 saying
/// what went wrong. Each test has its own X fake and embedded host.
/// </summary>
public sealed class TokenEndpointFailureTests : IAsyncLifetime
{
    private const string MalformedJson = "malformed-json";
    private const string Timeout = "timeout";

    private FakeXApi _x = null!;
    private RunningHost? _host;
    private ConnectorsApi _api = null!;

    public async Task InitializeAsync() => _x = await FakeXApi.StartAsync();

    public async Task DisposeAsync()
    {
        if (_host is not null)
        {
            await _host.DisposeAsync();
        }

        await _x.DisposeAsync();
    }

    [Theory]
    [InlineData(MalformedJson)]
    [InlineData(Timeout)]
    public async Task The_account_hands_out_its_still_valid_token_instead_of_throwing_when_the_refresh_breaks(string failure)
    {
        await StartHostAsync();
        BreakNextTokenCalls(failure, times: 3);
        var (_, _, accountId, access) = await ImportExpiringAccountAsync(DateTimeOffset.UtcNow.AddMinutes(5));

        var identity = await Grains.GetGrain<IAccountGrain>(accountId).GetPublishingIdentityAsync();

        Assert.NotNull(identity);
        Assert.Equal(AccountStatus.Connected, identity.Status);
        Assert.Equal(access, identity.AccessToken?.Reveal());
        Assert.Contains(_x.Server.Requests, r => r.Path == "/2/oauth2/token");
    }

    [Theory]
    [InlineData(MalformedJson)]
    [InlineData(Timeout)]
    public async Task A_post_due_now_goes_out_with_the_still_valid_token_and_the_reminder_refreshes_it_later(string failure)
    {
        await StartHostAsync();
        BreakNextTokenCalls(failure, times: 3);
        var (ws, key, accountId, access) = await ImportExpiringAccountAsync(DateTimeOffset.UtcNow.AddMinutes(5));
        var text = $"Posted despite a broken refresh {Guid.NewGuid():N}";

        var post = await _api.CreatePostAsync(ws, key, new { content = new { text }, targets = new[] { new { accountId } }, schedule = new { mode = "now" } });
        var done = await _api.WaitForPostAsync(ws, key, post["id"]!.GetValue<string>());

        var target = ConnectorsApi.Target(done, accountId);
        Assert.True(target["status"]!.GetValue<string>() == "published", done.ToJsonString());
        Assert.Equal(1, target["attempts"]!.GetValue<int>());
        var tweet = Assert.Single(_x.Server.Requests, r => r.Method == "POST" && r.Path == "/2/tweets" && r.Body.Contains(text, StringComparison.Ordinal));
        Assert.Equal($"Bearer {access}", tweet.Header("Authorization"));

        var refreshed = await WaitForAccountAsync(ws, key, accountId, a => a["tokenExpiresAt"]!.GetValue<DateTimeOffset>() > DateTimeOffset.UtcNow.AddHours(1));
        Assert.Equal("connected", refreshed["status"]!.GetValue<string>());
    }

    [Fact]
    public async Task An_expired_token_whose_refresh_keeps_failing_transiently_gets_the_retry_budget_from_its_first_failure_then_the_account_is_reconnect_required()
    {
        await StartHostAsync("--PostNext:Accounts:TokenRefreshRetryBudget=00:00:03");
        BreakNextTokenCalls(MalformedJson, times: 20);
        var (ws, key, accountId, _) = await ImportExpiringAccountAsync(DateTimeOffset.UtcNow.AddMinutes(-1)); // expired while nothing ran

        var before = await Grains.GetGrain<IAccountGrain>(accountId).GetPublishingIdentityAsync();
        Assert.Equal(AccountStatus.Connected, before?.Status);

        var after = await WaitForAccountAsync(ws, key, accountId, a => a["status"]!.GetValue<string>() != "connected");
        Assert.Equal("reconnect_required", after["status"]!.GetValue<string>());
        Assert.Contains("could not be read", after["statusReason"]!.GetValue<string>(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(MalformedJson, "could not be read")]
    [InlineData(Timeout, "did not answer")]
    public async Task A_connection_whose_code_exchange_breaks_answers_502_saying_why_and_its_state_stays_used(string failure, string why)
    {
        await StartHostAsync();
        var (ws, key) = await _api.CreateWorkspaceAsync();
        var redirect = new Uri("https://app.postnext.test/oauth/x/callback");
        var start = await _api.StartConnectAsync(ws, key, PlatformIds.X, redirect);
        var code = _x.IssueCode(start.Query["code_challenge"], redirect);
        BreakNextTokenCalls(failure, times: 1);

        var response = await _api.CallbackAsync(PlatformIds.X, code, start.State);

        Assert.Contains(why, await ConnectorsApi.ProblemAsync(response, HttpStatusCode.BadGateway), StringComparison.Ordinal);
        Assert.Empty(await _api.ListAccountsAsync(ws, key));
        Assert.Contains("already used", await ConnectorsApi.ProblemAsync(await _api.CallbackAsync(PlatformIds.X, code, start.State)), StringComparison.Ordinal);
    }

    private IGrainFactory Grains => _host!.Services.GetRequiredService<IGrainFactory>();

    private async Task StartHostAsync(params string[] extraSettings)
    {
        _host = await ConnectorsHost.StartXHostAsync(_x, [$"--PostNext:Platforms:{PlatformIds.X}:RequestTimeout=00:00:02", .. extraSettings]);
        _api = new ConnectorsApi(_host.Http);
    }

    /// <summary>The next token requests get a 200 whose body is not JSON, or no answer before the request timeout.</summary>
    private void BreakNextTokenCalls(string failure, int times)
    {
        for (var i = 0; i < times; i++)
        {
            if (failure == MalformedJson)
            {
                _x.Server.Fail("POST", "/2/oauth2/token", 200, """{"token_type":"bearer","access_token":""");
            }
            else
            {
                _x.Server.Hang("POST", "/2/oauth2/token", TimeSpan.FromSeconds(30));
            }
        }
    }

    /// <summary>An imported X account whose access token X accepts but which expires (or expired) at <paramref name="expiresAt"/>.</summary>
    private async Task<(string Ws, string Key, string AccountId, string Access)> ImportExpiringAccountAsync(DateTimeOffset expiresAt)
    {
        var (ws, key) = await _api.CreateWorkspaceAsync();
        var access = $"x-valid-access-{Guid.NewGuid():N}";
        _x.AccessTokens.Add(access);
        var account = await _api.ImportAccountAsync(ws, key, PlatformIds.X, FakeXApi.Username, FakeXApi.UserId, access, _x.RefreshToken, expiresAt);
        return (ws, key, account["id"]!.GetValue<string>(), access);
    }

    private async Task<JsonObject> WaitForAccountAsync(string ws, string key, string accountId, Func<JsonObject, bool> done)
    {
        var deadline = DateTime.UtcNow + TimeSpan.FromSeconds(60);
        while (true)
        {
            var account = await _api.GetAccountAsync(ws, key, accountId);
            if (done(account) || DateTime.UtcNow > deadline)
            {
                return account;
            }

            await Task.Delay(200);
        }
    }
}
