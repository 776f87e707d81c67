using System.Security.Cryptography;
using System.Text;
using Microsoft.AspNetCore.Identity;
using PostNext.Storage.Members;

namespace PostNext.Api.Members;

/// <summary>Emails as sign-in names, password rules, and ASP.NET Core Identity's password hashing (PBKDF2, versioned format).</summary>
public sealed class Passwords
{
    public const int MinLength = 10;
    public const int MaxLength = 256;
    public const int MaxEmailLength = 254;

    private readonly PasswordHasher<UserAccount> _hasher = new();

    // Verified when the email has no account, so an unknown email takes as long to refuse as a wrong password.
    private readonly string _decoy;

    public Passwords() => _decoy = _hasher.HashPassword(Decoy, Convert.ToHexString(RandomNumberGenerator.GetBytes(16)));

    private static UserAccount Decoy { get; } = new("usr", "", "", DateTimeOffset.UnixEpoch);

    /// <summary>The sign-in name: trimmed and lower-case; null when it is not an email address.</summary>
    public static string? NormalizeEmail(string? email)
    {
        var trimmed = email?.Trim().ToLowerInvariant();
        if (string.IsNullOrEmpty(trimmed) || trimmed.Length > MaxEmailLength || trimmed.Any(char.IsWhiteSpace) || trimmed.Any(char.IsControl))
        {
            return null;
        }

        var at = trimmed.IndexOf('@', StringComparison.Ordinal);
        return at > 0 && at == trimmed.LastIndexOf('@') && at < trimmed.Length - 1 ? trimmed : null;
    }

    /// <summary>What is wrong with a new password, or null when it is acceptable.</summary>
    public static string? Problem(string? password) => password switch
    {
        null or "" => "A password is required.",
        { Length: < MinLength } => $"A password has at least {MinLength} characters.",
        { Length: > MaxLength } => $"A password has at most {MaxLength} characters.",
        _ when string.IsNullOrWhiteSpace(password) => "A password cannot be only spaces.",
        _ => null,
    };

    public string Hash(string password) => _hasher.HashPassword(Decoy, password);

    /// <summary>True when <paramref name="password"/> is the account's; an absent account costs the same time and is false.</summary>
    public bool Verify(UserAccount? user, string password)
    {
        if (password.Length > MaxLength)
        {
            return false;
        }

        var result = _hasher.VerifyHashedPassword(Decoy, user?.PasswordHash ?? _decoy, password);
        return user is not null && result != PasswordVerificationResult.Failed;
    }

    /// <summary>An invitation token's stored form: its SHA-256 (the token itself is never stored).</summary>
    public static byte[] TokenHash(string token) => SHA256.HashData(Encoding.UTF8.GetBytes(token));

    /// <summary>A new invitation token: 256 random bits, URL-safe.</summary>
    public static string NewToken() => Base64Url(RandomNumberGenerator.GetBytes(32));

    private static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
