using Microsoft.AspNetCore.DataProtection;
using Secret = PostNext.Abstractions.Secret;
using PostNext.Abstractions.Accounts;

namespace PostNext.Grains.Accounts;

/// <summary>Encrypts account tokens for storage and decrypts them for a platform call, with one Data Protection purpose.</summary>
public sealed class TokenVault(IDataProtectionProvider provider)
{
    private readonly IDataProtector _protector = provider.CreateProtector("PostNext.AccountTokens.v1");

    public StoredTokens Protect(AccountTokens tokens, StoredTokens? previous, DateTimeOffset now) => new()
    {
        ProtectedAccessToken = _protector.Protect(tokens.AccessToken.Reveal()),
        // A platform that sends no new refresh token keeps the one we have: it is never lost.
        ProtectedRefreshToken = tokens.RefreshToken is { } refresh ? _protector.Protect(refresh.Reveal()) : previous?.ProtectedRefreshToken,
        ExpiresAt = tokens.ExpiresAt,
        Scopes = [.. tokens.Scopes ?? previous?.Scopes ?? []],
        UpdatedAt = now,
        GrantOwner = tokens.GrantOwner ?? previous?.GrantOwner,
    };

    public AccountTokens Unprotect(StoredTokens stored) => new(
        new Secret(_protector.Unprotect(stored.ProtectedAccessToken)),
        stored.ProtectedRefreshToken is { } refresh ? new Secret(_protector.Unprotect(refresh)) : null,
        stored.ExpiresAt,
        stored.Scopes,
        stored.GrantOwner);
}
