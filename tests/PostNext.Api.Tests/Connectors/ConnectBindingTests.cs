using PostNext.Abstractions.Platforms;

namespace PostNext.Api.Tests.Connectors;

/// <summary>
/// A connection completes only for the client that started it: <c>…/accounts/connect</c> answers a one-time completion
/// secret (the state is its hash), and the callback must carry it in <c>PostNext-Connect-Secret</c>. A consent obtained
/// from someone else with a state the attacker started (login CSRF) completes nothing.
/// </summary>
[Collection(ConnectorsCollection.Name)]
public sealed class ConnectBindingTests(ConnectorsHost host)
{
    private ConnectorsApi Api => host.Api;

    [Fact]
    public async Task A_callback_without_the_completion_secret_or_with_another_one_is_refused_and_exchanges_nothing()
    {
        var (ws, key) = await Api.CreateWorkspaceAsync();
        var redirect = new Uri("https://app.postnext.test/oauth/x/callback");
        var start = await Api.StartConnectAsync(ws, key, PlatformIds.X, redirect);
        Assert.NotNull(start.CompletionSecret);
        var code = host.X.IssueCode(start.Query["code_challenge"], redirect);

        var missing = await ConnectorsApi.ProblemAsync(await Api.CallbackAsync(PlatformIds.X, code, start.State, secret: null));
        Assert.Contains("PostNext-Connect-Secret", missing, StringComparison.Ordinal);
        var other = await Api.StartConnectAsync(ws, key, PlatformIds.X, redirect);
        var wrong = await ConnectorsApi.ProblemAsync(await Api.CallbackAsync(PlatformIds.X, code, start.State, other.CompletionSecret));
        Assert.Contains("PostNext-Connect-Secret", wrong, StringComparison.Ordinal);

        Assert.DoesNotContain(host.X.Server.Requests, r => r.Path == "/2/oauth2/token" && r.Body.Contains(code, StringComparison.Ordinal));
        Assert.Empty(await Api.ListAccountsAsync(ws, key));

        // The client that started it completes it, once.
        await ApiHost.JsonAsync(await Api.CallbackAsync(PlatformIds.X, code, start.State, start.CompletionSecret), HttpStatusCode.OK);
        Assert.Single(await Api.ListAccountsAsync(ws, key));
    }
}
