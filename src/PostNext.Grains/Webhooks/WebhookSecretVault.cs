using System.Security.Cryptography;
using Microsoft.AspNetCore.DataProtection;
using Secret = PostNext.Abstractions.Secret;

namespace PostNext.Grains.Webhooks;

/// <summary>Encrypts webhook signing secrets for storage and decrypts them to sign, with one Data Protection purpose; makes new ones.</summary>
public sealed class WebhookSecretVault(IDataProtectionProvider provider)
{
    /// <summary>Generated secrets start with this, so they are easy to recognise in a receiver's configuration.</summary>
    public const string GeneratedPrefix = "whsec_";

    private readonly IDataProtector _protector = provider.CreateProtector("PostNext.WebhookSecrets.v1");

    /// <summary>A new secret: the prefix and 32 random bytes, base64url.</summary>
    public static Secret Generate() =>
        new(GeneratedPrefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_'));

    public string Protect(Secret secret) => _protector.Protect(secret.Reveal());

    public Secret Unprotect(string protectedSecret) => new(_protector.Unprotect(protectedSecret));
}
