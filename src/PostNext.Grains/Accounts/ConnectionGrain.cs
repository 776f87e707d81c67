using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PostNext.Abstractions;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Workspaces;
using PostNext.Grains.Common;
using PostNext.Platforms;
using PostNext.Platforms.Common;

namespace PostNext.Grains.Accounts;

[GenerateSerializer, Alias("PostNext.ConnectionState")]
public sealed class ConnectionState
{
    [Id(0)] public string WorkspaceId { get; set; } = "";

    [Id(1)] public string Platform { get; set; } = "";

    [Id(2)] public string RedirectUri { get; set; } = "";

    /// <summary>The PKCE verifier; dropped once used.</summary>
    [Id(3)] public string? CodeVerifier { get; set; }

    [Id(4)] public DateTimeOffset ExpiresAt { get; set; }

    [Id(5)] public bool Used { get; set; }
}

/// <summary>An OAuth connection attempt: the state is the key, so a forged one finds nothing and a used one is refused.</summary>
public sealed class ConnectionGrain(
    [PersistentState("connection", StorageNames.Grains)] IPersistentState<ConnectionState> state,
    PlatformConnectors connectors,
    IOptions<AccountOptions> options,
    TimeProvider time,
    ILogger<ConnectionGrain> logger) : Grain, IConnectionGrain
{
    public async Task<ConnectionStart> StartAsync(string workspaceId, string platform, Uri redirectUri)
    {
        if (state.RecordExists)
        {
            return new ConnectionStart(null, state.State.ExpiresAt, "This state is already in use.");
        }

        var connector = connectors.Find(platform);
        if (connector is null)
        {
            return new ConnectionStart(null, default, $"No connector for platform '{platform}'.");
        }

        var verifier = Pkce.NewVerifier();
        Uri url;
        try
        {
            url = connector.BuildAuthorizeUrl(new AuthorizeRequest(this.GetPrimaryKeyString(), redirectUri, Pkce.ChallengeS256(verifier)));
        }
        catch (Exception ex) when (ex is PlatformNotConfiguredException or NotSupportedException)
        {
            return new ConnectionStart(null, default, ex.Message);
        }

        state.State = new ConnectionState
        {
            WorkspaceId = workspaceId,
            Platform = platform,
            RedirectUri = redirectUri.ToString(),
            CodeVerifier = verifier,
            ExpiresAt = time.GetUtcNow() + options.Value.ConnectStateLifetime,
        };
        await state.WriteOrReloadAsync(this, logger);
        return new ConnectionStart(url, state.State.ExpiresAt, null);
    }

    public async Task<ConnectionResult> CompleteAsync(string platform, string code)
    {
        if (!state.RecordExists)
        {
            return Refuse("Unknown state: it was never issued by this server.");
        }

        var s = state.State;
        if (s.Used)
        {
            return Refuse("This state was already used; start the connection again.");
        }

        if (time.GetUtcNow() > s.ExpiresAt)
        {
            return Refuse("This state has expired; start the connection again.");
        }

        if (s.Platform != platform)
        {
            return Refuse("This state was issued for another platform.");
        }

        // Single use from here on, whatever the exchange does.
        var verifier = s.CodeVerifier;
        s.Used = true;
        s.CodeVerifier = null;
        await state.WriteOrReloadAsync(this, logger);

        ConnectedAccount connected;
        try
        {
            connected = await connectors.Find(platform)!.CompleteConnectAsync(new CodeExchange(code, new Uri(s.RedirectUri), verifier), CancellationToken.None);
        }
        catch (PlatformException ex)
        {
            return new ConnectionResult(null, false, $"The platform refused the connection: {ex.Error.Message}", false);
        }
        catch (Exception ex) when (!AccountCallFailures.IsFatal(ex))
        {
            return new ConnectionResult(null, false, AccountCallFailures.Classify(ex, "connection").Message, false);
        }

        var tokens = new AccountTokens(connected.Tokens.AccessToken, connected.Tokens.RefreshToken, connected.Tokens.ExpiresAt, connected.Tokens.Scopes);
        var existing = await FindExistingAsync(s.WorkspaceId, platform, connected.ExternalId);
        if (existing is not null)
        {
            var account = await GrainFactory.GetGrain<IAccountGrain>(existing).ReconnectAsync(tokens, connected.Handle, connected.DisplayName);
            return new ConnectionResult(account, true, null, false);
        }

        var id = Ids.New(Ids.Account);
        var created = await GrainFactory.GetGrain<IAccountGrain>(id).ConnectAsync(
            new ConnectAccount(s.WorkspaceId, platform, connected.Handle, connected.DisplayName, connected.ExternalId, null, tokens));
        await GrainFactory.GetGrain<IWorkspaceGrain>(s.WorkspaceId).AddAccountAsync(id);
        return new ConnectionResult(created, false, null, false);
    }

    private async Task<string?> FindExistingAsync(string workspaceId, string platform, string externalId)
    {
        var ids = await GrainFactory.GetGrain<IWorkspaceGrain>(workspaceId).GetAccountIdsAsync();
        var accounts = await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<IAccountGrain>(id).GetAsync()));
        return accounts.FirstOrDefault(a => a is not null && a.Platform == platform && a.ExternalId == externalId)?.Id;
    }

    private static ConnectionResult Refuse(string why) => new(null, false, why, true);
}
