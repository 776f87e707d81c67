using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Orleans.Core.Internal;
using PostNext.Abstractions;
using PostNext.Abstractions.Accounts;

namespace PostNext.Grains.Tests.Accounts;

/// <summary>Tokens a refresh rotated are never dropped by a failed write: the platform already invalidated the old ones.</summary>
public sealed class RotatedTokenTests
{
    [Fact]
    public async Task Tokens_rotated_by_a_refresh_whose_write_failed_are_still_used_after_the_account_reactivates()
    {
        var issued = 0;
        var live = "refresh-0";
        await using var platform = await FakePlatformServer.StartAsync(routes => routes.MapPost("/2/oauth2/token", async (HttpContext context) =>
        {
            var form = await context.Request.ReadFormAsync();
            lock (routes)
            {
                if (form["refresh_token"] != live)
                {
                    return Results.Json(new JsonObject { ["error"] = "invalid_request", ["error_description"] = "Value passed for the token was invalid." }, statusCode: 400);
                }

                // X rotates: the refresh token just used is dead from now on.
                issued++;
                live = $"refresh-{issued}";
                return Results.Json(new JsonObject
                {
                    ["token_type"] = "bearer", ["expires_in"] = 7200, ["access_token"] = $"access-{issued}", ["refresh_token"] = live,
                    ["scope"] = "tweet.read tweet.write users.read offline.access",
                });
            }
        }));

        var faults = new StorageFaults();
        await using var cluster = await SchedulingCluster.StartInMemoryAsync(silos: 1, new Dictionary<string, string?>
        {
            ["PostNext:Platforms:x:ClientId"] = "client",
            ["PostNext:Platforms:x:ClientSecret"] = "secret",
            ["PostNext:Platforms:x:TokenUrl"] = new Uri(platform.BaseUrl, "2/oauth2/token").ToString(),
        }, faults);
        var ws = Ids.New(Ids.Workspace);
        var accountId = Ids.New(Ids.Account);
        var account = cluster.Client.GetGrain<IAccountGrain>(accountId);
        await account.ConnectAsync(new ConnectAccount(ws, "x", "acme", null, "42", null,
            new AccountTokens(new Secret("access-0"), new Secret("refresh-0"), DateTimeOffset.UtcNow.AddHours(2), null)));

        faults.FailNextWrites("account", accountId);
        var refreshed = await account.RefreshTokenAsync(force: true);
        Assert.Equal(AccountStatus.Connected, refreshed!.Status);
        Assert.Equal(1, faults.Injected);

        await account.Cast<IGrainManagementExtension>().DeactivateOnIdle();
        await Task.Delay(TimeSpan.FromMilliseconds(500));

        var again = await account.RefreshTokenAsync(force: true);
        Assert.Equal(AccountStatus.Connected, again!.Status);
        Assert.Equal(2, issued);
        Assert.Equal("access-2", (await account.GetPublishingIdentityAsync())!.AccessToken!.Reveal());
    }
}
