using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using PostNext.Abstractions;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Diagnostics;
using PostNext.Abstractions.Posts;
using PostNext.Abstractions.Workspaces;
using static PostNext.Grains.Tests.Observability.InstrumentTags;

namespace PostNext.Grains.Tests.Observability;

/// <summary>
/// Token refreshes by outcome and <c>reconnect_required</c> transitions are recorded where they happen, on a real
/// cluster whose X connector talks to a fake of X's token and create endpoints on loopback.
/// </summary>
[Collection(MetricsCollection.Name)]
public sealed class AccountMetricsTests : IAsyncLifetime
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(45);

    private FakePlatformServer _x = null!;
    private SchedulingCluster _cluster = null!;
    private int _issued;

    public async Task InitializeAsync()
    {
        _x = await FakePlatformServer.StartAsync(routes =>
        {
            routes.MapPost("/2/oauth2/token", async (HttpContext context) =>
            {
                var refresh = (await context.Request.ReadFormAsync())["refresh_token"].ToString();
                if (refresh.StartsWith("revoked-", StringComparison.Ordinal))
                {
                    return Results.Json(new JsonObject { ["error"] = "invalid_request", ["error_description"] = "Value passed for the token was invalid." }, statusCode: 400);
                }

                if (refresh.StartsWith("down-", StringComparison.Ordinal))
                {
                    return Results.Json(new JsonObject { ["title"] = "Service Unavailable", ["status"] = 503 }, statusCode: 503);
                }

                var n = Interlocked.Increment(ref _issued);
                return Results.Json(new JsonObject
                {
                    ["token_type"] = "bearer", ["expires_in"] = 7200, ["access_token"] = $"access-{n}", ["refresh_token"] = $"good-{n}",
                    ["scope"] = "tweet.read tweet.write users.read offline.access",
                });
            });
            routes.MapPost("/2/tweets", () => Results.Json(new JsonObject { ["data"] = new JsonObject { ["id"] = "1790000000000000001", ["text"] = "hello" } }, statusCode: 201));
        });
        _cluster = await SchedulingCluster.StartInMemoryAsync(silos: 1, new Dictionary<string, string?>
        {
            ["PostNext:Platforms:x:ClientId"] = "client",
            ["PostNext:Platforms:x:ClientSecret"] = "secret",
            ["PostNext:Platforms:x:TokenUrl"] = new Uri(_x.BaseUrl, "2/oauth2/token").ToString(),
            ["PostNext:Platforms:x:ApiBaseUrl"] = _x.BaseUrl.ToString(),
        });
    }

    public async Task DisposeAsync()
    {
        await _cluster.DisposeAsync();
        await _x.DisposeAsync();
    }

    [Fact]
    public async Task Refreshes_record_success_refused_and_failed_by_platform_and_only_the_refusal_a_reconnect_required_transition()
    {
        using var recorded = new RecordedMeasurements(PostNextTelemetry.Name);
        var ws = Ids.New(Ids.Workspace);
        var good = await ConnectXAsync(ws, "good-0");
        var revoked = await ConnectXAsync(ws, "revoked-0");
        var down = await ConnectXAsync(ws, "down-0");

        Assert.Equal(AccountStatus.Connected, (await Account(good).RefreshTokenAsync(force: true))!.Status);
        Assert.Equal(AccountStatus.ReconnectRequired, (await Account(revoked).RefreshTokenAsync(force: true))!.Status);
        Assert.Equal(AccountStatus.Connected, (await Account(down).RefreshTokenAsync(force: true))!.Status);
        await Account(revoked).MarkReconnectRequiredAsync("already reconnect_required: not a new transition");

        Assert.Single(recorded.Of(PostNextTelemetry.TokenRefreshes.Name, Platform("x"), Outcome("success")));
        Assert.Single(recorded.Of(PostNextTelemetry.TokenRefreshes.Name, Platform("x"), Outcome("refused")));
        Assert.Single(recorded.Of(PostNextTelemetry.TokenRefreshes.Name, Platform("x"), Outcome("failed")));
        Assert.Equal(1, Assert.Single(recorded.Of(PostNextTelemetry.ReconnectRequired.Name)).Value);
        Assert.Single(recorded.Of(PostNextTelemetry.ReconnectRequired.Name, Platform("x")));
        AssertNoIds(recorded, ws, good, revoked, down);
    }

    [Fact]
    public async Task A_401_from_the_platform_records_a_refresh_a_token_refreshed_deferral_and_an_auth_retry_before_the_publish()
    {
        using var recorded = new RecordedMeasurements(PostNextTelemetry.Name);
        var ws = Ids.New(Ids.Workspace);
        var account = await ConnectXAsync(ws, "good-0");
        _x.Fail("POST", "/2/tweets", 401, """{"title":"Unauthorized","type":"about:blank","status":401,"detail":"Unauthorized"}""");
        var postId = Ids.New(Ids.Post);
        var created = await _cluster.Client.GetGrain<IPostGrain>(postId).CreateAsync(new CreatePost(
            ws, new PostContent("hello", []), [new TargetSpec(account, "x", null, DateTimeOffset.UtcNow.AddSeconds(1))], false, "UTC", "at", Guid.NewGuid().ToString("N")));
        Assert.Equal(PostOutcome.Created, created.Outcome);

        await _cluster.WaitForPostAsync(postId, p => p.Status == PostStatus.Published, Wait);

        Assert.Single(recorded.Of(PostNextTelemetry.PublishAttempts.Name, Platform("x"), Outcome("auth")));
        Assert.Single(recorded.Of(PostNextTelemetry.TokenRefreshes.Name, Platform("x"), Outcome("success")));
        Assert.Single(recorded.Of(PostNextTelemetry.Deferrals.Name, Platform("x"), Reason("token_refreshed")));
        Assert.Single(recorded.Of(PostNextTelemetry.Retries.Name, Platform("x"), ErrorType("auth")));
        Assert.Single(await recorded.WaitForAsync(PostNextTelemetry.PublicationsCompleted.Name, Wait, 1, Platform("x"), Outcome("published")));
        Assert.Empty(recorded.Of(PostNextTelemetry.ReconnectRequired.Name));
        AssertNoIds(recorded, ws, postId, account);
    }

    private IAccountGrain Account(string id) => _cluster.Client.GetGrain<IAccountGrain>(id);

    /// <summary>An X account in the workspace whose tokens are good for two hours (no refresh is due on its own).</summary>
    private async Task<string> ConnectXAsync(string ws, string refreshToken)
    {
        var workspace = _cluster.Client.GetGrain<IWorkspaceGrain>(ws);
        if (await workspace.GetAsync() is null)
        {
            await workspace.CreateAsync("test", "UTC");
        }

        var id = Ids.New(Ids.Account);
        await Account(id).ConnectAsync(new ConnectAccount(ws, "x", $"acme-{refreshToken}", null, Random.Shared.NextInt64(1_000_000, 9_999_999).ToString(System.Globalization.CultureInfo.InvariantCulture), null,
            new AccountTokens(new Secret($"access-for-{refreshToken}"), new Secret(refreshToken), DateTimeOffset.UtcNow.AddHours(2), null)));
        await workspace.AddAccountAsync(id);
        return id;
    }
}
