using PostNext.Abstractions;

namespace PostNext.Platforms.Common;

/// <summary>
/// Tokens for one account. Secrets stay in <see cref="Secret"/> so they never reach a log. <see cref="GrantOwner"/>:
/// the platform's id of the person whose consent the tokens carry, where one consent backs several accounts (a Facebook
/// user and their Pages); null when the platform's tokens name the grant themselves.
/// </summary>
public sealed record TokenSet(Secret AccessToken, Secret? RefreshToken, DateTimeOffset? ExpiresAt, IReadOnlyList<string>? Scopes = null, string? GrantOwner = null);

/// <summary>What a person needs to start connecting: where to send them, the state to bind, and the PKCE challenge.</summary>
public sealed record AuthorizeRequest(string State, Uri RedirectUri, string? CodeChallenge);

/// <summary>The callback's code with what the server kept: the redirect URI and the PKCE verifier.</summary>
public sealed record CodeExchange(string Code, Uri RedirectUri, string? CodeVerifier);

/// <summary>
/// A connected account as the platform describes it, with its tokens, and what kind of account it is (see
/// <see cref="PostNext.Abstractions.Accounts.ConnectCandidateKinds"/>): a profile, a Facebook Page, a LinkedIn member or organization.
/// </summary>
public sealed record ConnectedAccount(string ExternalId, string Handle, string? DisplayName, TokenSet Tokens, string Kind = PostNext.Abstractions.Accounts.ConnectCandidateKinds.Profile);

/// <summary>A refresh's result: new tokens, or a classified failure (auth = refresh failed for good).</summary>
public sealed record TokenRefresh(TokenSet? Tokens, PlatformError? Error)
{
    public static TokenRefresh Ok(TokenSet tokens) => new(tokens, null);

    public static TokenRefresh Failed(PlatformError error) => new(null, error);
}
