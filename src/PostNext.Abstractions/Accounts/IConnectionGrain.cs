namespace PostNext.Abstractions.Accounts;

/// <summary>
/// One OAuth connection attempt, keyed by its <c>state</c>: single-use, bound to a workspace and platform, short-lived.
/// It keeps the PKCE verifier (which never leaves the server) and, on the callback, creates or reconnects the account.
/// </summary>
[Alias("PostNext.IConnectionGrain")]
public interface IConnectionGrain : IGrainWithStringKey
{
    /// <summary>Starts the attempt and returns the platform's authorization URL.</summary>
    [Alias("Start")]
    Task<ConnectionStart> StartAsync(string workspaceId, string platform, Uri redirectUri);

    /// <summary>Completes the attempt with the callback's code: exchanges it, then creates or reconnects the account.</summary>
    [Alias("Complete")]
    Task<ConnectionResult> CompleteAsync(string platform, string code);
}

[GenerateSerializer, Immutable, Alias("PostNext.ConnectionStart")]
public sealed record ConnectionStart(
    [property: Id(0)] Uri? AuthorizeUrl,
    [property: Id(1)] DateTimeOffset ExpiresAt,
    [property: Id(2)] string? Error);

[GenerateSerializer, Immutable, Alias("PostNext.ConnectionResult")]
public sealed record ConnectionResult(
    [property: Id(0)] AccountView? Account,
    [property: Id(1)] bool Reconnected,
    [property: Id(2)] string? Error,
    [property: Id(3)] bool Refused);
