namespace PostNext.Abstractions.Accounts;

/// <summary>
/// One OAuth connection attempt, keyed by its <c>state</c>: single-use, bound to a workspace and platform, short-lived.
/// It keeps the PKCE verifier (which never leaves the server) and, on the callback, creates or reconnects the account —
/// or, when the consent gives several accounts to publish as (Facebook Pages, LinkedIn organizations), keeps them
/// (tokens encrypted) for a short while until the person chooses.
/// </summary>
[Alias("PostNext.IConnectionGrain")]
public interface IConnectionGrain : IGrainWithStringKey
{
    /// <summary>Starts the attempt and returns the platform's authorization URL.</summary>
    [Alias("Start")]
    Task<ConnectionStart> StartAsync(string workspaceId, string platform, Uri redirectUri);

    /// <summary>
    /// Completes the attempt with the callback's code: exchanges it, then creates or reconnects the account, or (several
    /// candidates) answers them and waits for <see cref="ChooseAsync"/>.
    /// </summary>
    [Alias("Complete")]
    Task<ConnectionResult> CompleteAsync(string platform, string code);

    /// <summary>The candidates still waiting for a choice, for the attempt's workspace.</summary>
    [Alias("GetChoice")]
    Task<ConnectionChoice> GetChoiceAsync(string workspaceId);

    /// <summary>Creates or reconnects one account per chosen candidate; the same choice again answers the same accounts.</summary>
    [Alias("Choose")]
    Task<ConnectionChoice> ChooseAsync(string workspaceId, IReadOnlyList<string> candidateIds);
}

[GenerateSerializer, Immutable, Alias("PostNext.ConnectionStart")]
public sealed record ConnectionStart(
    [property: Id(0)] Uri? AuthorizeUrl,
    [property: Id(1)] DateTimeOffset ExpiresAt,
    [property: Id(2)] string? Error);

/// <summary>The callback's outcome: one account, or the candidates to choose from (until <see cref="ChooseBy"/>), or an error.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.ConnectionResult")]
public sealed record ConnectionResult(
    [property: Id(0)] AccountView? Account,
    [property: Id(1)] bool Reconnected,
    [property: Id(2)] string? Error,
    [property: Id(3)] bool Refused,
    [property: Id(4)] IReadOnlyList<ConnectCandidate>? Candidates = null,
    [property: Id(5)] DateTimeOffset? ChooseBy = null);

/// <summary>What kind of account a candidate is.</summary>
public static class ConnectCandidateKinds
{
    /// <summary>The profile the person signed in as (X, Instagram, TikTok, YouTube).</summary>
    public const string Profile = "profile";

    /// <summary>A Facebook Page.</summary>
    public const string Page = "page";

    /// <summary>A LinkedIn member posting as themselves.</summary>
    public const string Member = "member";

    /// <summary>A LinkedIn organization (Company Page) the member administers.</summary>
    public const string Organization = "organization";
}

/// <summary>One account a consent lets the app publish as: its platform id, name, handle and kind. No token.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.ConnectCandidate")]
public sealed record ConnectCandidate(
    [property: Id(0)] string Id,
    [property: Id(1)] string Name,
    [property: Id(2)] string Handle,
    [property: Id(3)] string Kind);

/// <summary>Why a choice was refused.</summary>
public enum ChoiceRefusal
{
    None,

    /// <summary>No choice waits under this state for this workspace.</summary>
    NotFound,

    /// <summary>The time to choose has passed; the tokens are gone.</summary>
    Expired,

    /// <summary>Another choice was already made.</summary>
    Used,

    /// <summary>No candidate chosen, or one that was not offered.</summary>
    Invalid,
}

/// <summary>A pending choice (its candidates) or a made one (its accounts), or why neither.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.ConnectionChoice")]
public sealed record ConnectionChoice(
    [property: Id(0)] string Platform,
    [property: Id(1)] IReadOnlyList<ConnectCandidate> Candidates,
    [property: Id(2)] DateTimeOffset ChooseBy,
    [property: Id(3)] IReadOnlyList<ChosenAccount> Accounts,
    [property: Id(4)] ChoiceRefusal Refusal = ChoiceRefusal.None,
    [property: Id(5)] string? Error = null)
{
    public static ConnectionChoice Refused(ChoiceRefusal why, string error) => new("", [], default, [], why, error);
}

/// <summary>An account created (or reconnected) for a chosen candidate.</summary>
[GenerateSerializer, Immutable, Alias("PostNext.ChosenAccount")]
public sealed record ChosenAccount(
    [property: Id(0)] AccountView Account,
    [property: Id(1)] bool Reconnected);
