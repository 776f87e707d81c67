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

    /// <summary>The accounts the consent offered, waiting for the person's choice (tokens encrypted); dropped once chosen or expired.</summary>
    [Id(6)] public List<PendingCandidate>? Candidates { get; set; }

    /// <summary>Until when the candidates may be chosen.</summary>
    [Id(7)] public DateTimeOffset? ChooseBy { get; set; }

    /// <summary>The candidates chosen (set before any account is created, so a retry of the same choice resumes it).</summary>
    [Id(8)] public List<string>? ChosenIds { get; set; }

    /// <summary>The accounts the choice created or reconnected: the same choice again answers them.</summary>
    [Id(9)] public List<ChosenAccountRef>? ChosenAccounts { get; set; }

    /// <summary>What the candidates were, kept (without tokens) to answer a repeated choice.</summary>
    [Id(10)] public List<ConnectCandidate>? Offered { get; set; }
}

/// <summary>One offered account with its tokens, encrypted as an account's are.</summary>
[GenerateSerializer, Alias("PostNext.PendingCandidate")]
public sealed class PendingCandidate
{
    [Id(0)] public string ExternalId { get; set; } = "";

    [Id(1)] public string Handle { get; set; } = "";

    [Id(2)] public string? DisplayName { get; set; }

    [Id(3)] public string Kind { get; set; } = "";

    [Id(4)] public StoredTokens Tokens { get; set; } = new();
}

[GenerateSerializer, Alias("PostNext.ChosenAccountRef")]
public sealed record ChosenAccountRef([property: Id(0)] string AccountId, [property: Id(1)] bool Reconnected);

/// <summary>An OAuth connection attempt: the state is the key, so a forged one finds nothing and a used one is refused.</summary>
public sealed class ConnectionGrain(
    [PersistentState("connection", StorageNames.Grains)] IPersistentState<ConnectionState> state,
    PlatformConnectors connectors,
    TokenVault vault,
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

        IReadOnlyList<ConnectedAccount> offered;
        try
        {
            offered = await connectors.Find(platform)!.CompleteConnectChoicesAsync(new CodeExchange(code, new Uri(s.RedirectUri), verifier), CancellationToken.None);
        }
        catch (PlatformException ex)
        {
            return new ConnectionResult(null, false, $"The platform refused the connection: {ex.Error.Message}", false);
        }
        catch (Exception ex) when (!AccountCallFailures.IsFatal(ex))
        {
            return new ConnectionResult(null, false, AccountCallFailures.Classify(ex, "connection").Message, false);
        }

        if (offered.Count == 1)
        {
            var (account, reconnected) = await ConnectOneAsync(s.WorkspaceId, platform, offered[0].ExternalId, offered[0].Handle, offered[0].DisplayName, Tokens(offered[0].Tokens));
            return new ConnectionResult(account, reconnected, null, false);
        }

        // Several accounts to publish as: nothing is created until the person chooses; the tokens wait encrypted.
        var now = time.GetUtcNow();
        s.Candidates = [.. offered.DistinctBy(c => c.ExternalId).Select(c => new PendingCandidate
        {
            ExternalId = c.ExternalId, Handle = c.Handle, DisplayName = c.DisplayName, Kind = c.Kind, Tokens = vault.Protect(Tokens(c.Tokens), null, now),
        })];
        s.Offered = [.. s.Candidates.Select(Describe)];
        s.ChooseBy = now + options.Value.ChoiceLifetime;
        await state.WriteOrReloadAsync(this, logger);
        return new ConnectionResult(null, false, null, false, s.Offered, s.ChooseBy);
    }

    public async Task<ConnectionChoice> GetChoiceAsync(string workspaceId)
    {
        if (await RefuseChoiceAsync(workspaceId) is { } refused)
        {
            return refused;
        }

        var s = state.State;
        return s.ChosenAccounts is { } chosen
            ? new ConnectionChoice(s.Platform, s.Offered ?? [], s.ChooseBy!.Value, await ViewsAsync(chosen))
            : new ConnectionChoice(s.Platform, s.Offered ?? [], s.ChooseBy!.Value, []);
    }

    public async Task<ConnectionChoice> ChooseAsync(string workspaceId, IReadOnlyList<string> candidateIds)
    {
        if (await RefuseChoiceAsync(workspaceId) is { } refused)
        {
            return refused;
        }

        var s = state.State;
        var ids = candidateIds.Distinct(StringComparer.Ordinal).ToList();
        if (s.ChosenIds is { } earlier)
        {
            if (!earlier.ToHashSet(StringComparer.Ordinal).SetEquals(ids))
            {
                return ConnectionChoice.Refused(ChoiceRefusal.Used, "A choice was already made for this connection; start the connection again to connect other accounts.");
            }

            if (s.ChosenAccounts is { } chosen)
            {
                return new ConnectionChoice(s.Platform, s.Offered ?? [], s.ChooseBy!.Value, await ViewsAsync(chosen));
            }
        }

        var offered = s.Candidates!.ToDictionary(c => c.ExternalId, StringComparer.Ordinal);
        var unknown = ids.Where(id => !offered.ContainsKey(id)).ToList();
        if (ids.Count == 0 || unknown.Count > 0)
        {
            return ConnectionChoice.Refused(ChoiceRefusal.Invalid, ids.Count == 0
                ? "Choose at least one of the offered accounts."
                : $"Not offered by this connection: {string.Join(", ", unknown.Take(5))}. Choose among: {string.Join(", ", offered.Keys)}.");
        }

        // The intent first: a retry of the same choice after a crash resumes it (an account already created is found by its external id).
        s.ChosenIds = ids;
        await state.WriteOrReloadAsync(this, logger);
        var made = new List<ChosenAccountRef>(ids.Count);
        foreach (var candidate in ids.Select(id => offered[id]))
        {
            var (account, reconnected) = await ConnectOneAsync(
                s.WorkspaceId, s.Platform, candidate.ExternalId, candidate.Handle, candidate.DisplayName, vault.Unprotect(candidate.Tokens));
            made.Add(new ChosenAccountRef(account.Id, reconnected));
        }

        s.ChosenAccounts = made;
        s.Candidates = null; // The tokens now live in the accounts only.
        await state.WriteOrReloadAsync(this, logger);
        return new ConnectionChoice(s.Platform, s.Offered ?? [], s.ChooseBy!.Value, await ViewsAsync(made));
    }

    /// <summary>Why no choice can be read or made here: none for this workspace, or its time passed (the tokens are then dropped).</summary>
    private async Task<ConnectionChoice?> RefuseChoiceAsync(string workspaceId)
    {
        var s = state.State;
        if (!state.RecordExists || s.WorkspaceId != workspaceId || s.ChooseBy is null)
        {
            return ConnectionChoice.Refused(ChoiceRefusal.NotFound, "No connection waits for a choice under this state in this workspace.");
        }

        if (s.ChosenAccounts is null && time.GetUtcNow() > s.ChooseBy)
        {
            if (s.Candidates is not null)
            {
                s.Candidates = null;
                await state.WriteOrReloadAsync(this, logger);
            }

            return ConnectionChoice.Refused(ChoiceRefusal.Expired, "The time to choose has passed; start the connection again.");
        }

        return null;
    }

    private async Task<List<ChosenAccount>> ViewsAsync(IEnumerable<ChosenAccountRef> chosen)
    {
        var views = new List<ChosenAccount>();
        foreach (var c in chosen)
        {
            if (await GrainFactory.GetGrain<IAccountGrain>(c.AccountId).GetAsync() is { } view)
            {
                views.Add(new ChosenAccount(view, c.Reconnected));
            }
        }

        return views;
    }

    /// <summary>Creates the account, or reconnects the workspace's account with the same external id.</summary>
    private async Task<(AccountView Account, bool Reconnected)> ConnectOneAsync(
        string workspaceId, string platform, string externalId, string handle, string? displayName, AccountTokens tokens)
    {
        var existing = await FindExistingAsync(workspaceId, platform, externalId);
        if (existing is not null)
        {
            return (await GrainFactory.GetGrain<IAccountGrain>(existing).ReconnectAsync(tokens, handle, displayName), true);
        }

        var id = Ids.New(Ids.Account);
        var created = await GrainFactory.GetGrain<IAccountGrain>(id).ConnectAsync(
            new ConnectAccount(workspaceId, platform, handle, displayName, externalId, null, tokens));
        await GrainFactory.GetGrain<IWorkspaceGrain>(workspaceId).AddAccountAsync(id);
        return (created, false);
    }

    private static AccountTokens Tokens(TokenSet t) => new(t.AccessToken, t.RefreshToken, t.ExpiresAt, t.Scopes, t.GrantOwner);

    private static ConnectCandidate Describe(PendingCandidate c) => new(c.ExternalId, c.DisplayName ?? c.Handle, c.Handle, c.Kind);

    private async Task<string?> FindExistingAsync(string workspaceId, string platform, string externalId)
    {
        var ids = await GrainFactory.GetGrain<IWorkspaceGrain>(workspaceId).GetAccountIdsAsync();
        var accounts = await Task.WhenAll(ids.Select(id => GrainFactory.GetGrain<IAccountGrain>(id).GetAsync()));
        return accounts.FirstOrDefault(a => a is not null && a.Platform == platform && a.ExternalId == externalId)?.Id;
    }

    private static ConnectionResult Refuse(string why) => new(null, false, why, true);
}
