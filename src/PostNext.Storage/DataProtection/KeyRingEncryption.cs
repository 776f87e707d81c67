using System.Collections.Concurrent;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using Microsoft.AspNetCore.DataProtection.XmlEncryption;

namespace PostNext.Storage.DataProtection;

/// <summary>
/// Encrypts the Data Protection key ring itself, so a database dump holds neither tokens nor the keys that decrypt
/// them: AES-256-GCM under a key derived from <c>PostNext:KeyRingSecret</c> with PBKDF2-HMAC-SHA256 (a passphrase is
/// allowed) and a random salt stored with each element, which also records the format version and iteration count.
/// </summary>
public sealed class KeyRingEncryptor(KeyRingSecret secret) : IXmlEncryptor
{
    public EncryptedXmlInfo Encrypt(XElement plaintextElement) =>
        new(KeyRingFormat.Seal(plaintextElement, secret), typeof(KeyRingDecryptor));
}

/// <summary>Decrypts key-ring elements written by <see cref="KeyRingEncryptor"/> under the current or a previous secret (and the unsalted v1 format).</summary>
public sealed class KeyRingDecryptor(IServiceProvider services) : IXmlDecryptor
{
    public XElement Decrypt(XElement encryptedElement)
    {
        var secret = (KeyRingSecret?)services.GetService(typeof(KeyRingSecret))
            ?? throw new InvalidOperationException("The key ring is encrypted: configure PostNext:KeyRingSecret (the same value on every silo).");
        return KeyRingFormat.Open(encryptedElement, secret).Plaintext;
    }
}

/// <summary>
/// The configured key-ring secrets: the current one (every new element is encrypted with it) and, while a rotation
/// is under way, the previous ones (<c>PostNext:PreviousKeyRingSecrets</c>), which still decrypt.
/// </summary>
public sealed class KeyRingSecret(string current, IReadOnlyList<string>? previous = null)
{
    public const int MinimumLength = 16;

    public string Current { get; } = current;

    public IReadOnlyList<string> Previous { get; } = previous?.Where(p => !string.IsNullOrWhiteSpace(p) && p != current).Select(p => p.Trim()).ToList() ?? [];

    /// <summary>Current first.</summary>
    public IEnumerable<string> All => Previous.Prepend(Current);
}

/// <summary>The encrypted element: <c>&lt;encryptedKey version="2" kdf="pbkdf2-sha256" iterations="…"&gt;&lt;salt/&gt;&lt;nonce/&gt;&lt;tag/&gt;&lt;value/&gt;</c>.</summary>
public static class KeyRingFormat
{
    public const int Version = 2;
    public const string Kdf = "pbkdf2-sha256";

    /// <summary>PBKDF2-HMAC-SHA256 iterations for new elements (OWASP's recommendation for SHA-256).</summary>
    public const int Iterations = 600_000;

    private const int SaltBytes = 16;
    private static readonly byte[] AssociatedData = Encoding.UTF8.GetBytes("PostNext key ring v2");

    /// <summary>Derived keys by (secret, salt, iterations): PBKDF2 is slow on purpose, and an element is opened more than once.</summary>
    private static readonly ConcurrentDictionary<string, byte[]> DerivedKeys = new(StringComparer.Ordinal);

    public static XElement Seal(XElement plaintextElement, KeyRingSecret secret)
    {
        var plaintext = Encoding.UTF8.GetBytes(plaintextElement.ToString(SaveOptions.DisableFormatting));
        var salt = RandomNumberGenerator.GetBytes(SaltBytes);
        var nonce = RandomNumberGenerator.GetBytes(AesGcm.NonceByteSizes.MaxSize);
        var tag = new byte[AesGcm.TagByteSizes.MaxSize];
        var ciphertext = new byte[plaintext.Length];
        using (var aes = new AesGcm(Derive(secret.Current, salt, Iterations), tag.Length))
        {
            aes.Encrypt(nonce, plaintext, ciphertext, tag, AssociatedData);
        }

        return new XElement("encryptedKey",
            new XAttribute("version", Version),
            new XAttribute("kdf", Kdf),
            new XAttribute("iterations", Iterations),
            new XComment(" Encrypted with PostNext:KeyRingSecret (PBKDF2-HMAC-SHA256, AES-256-GCM). "),
            new XElement("salt", Convert.ToBase64String(salt)),
            new XElement("nonce", Convert.ToBase64String(nonce)),
            new XElement("tag", Convert.ToBase64String(tag)),
            new XElement("value", Convert.ToBase64String(ciphertext)));
    }

    /// <summary>The plaintext, and whether it was sealed with the current secret in the current format (else it should be re-sealed).</summary>
    public static (XElement Plaintext, bool Current) Open(XElement encrypted, KeyRingSecret secret)
    {
        var version = (int?)encrypted.Attribute("version") ?? 1;
        var nonce = Convert.FromBase64String(encrypted.Element("nonce")!.Value);
        var tag = Convert.FromBase64String(encrypted.Element("tag")!.Value);
        var ciphertext = Convert.FromBase64String(encrypted.Element("value")!.Value);
        var first = true;
        foreach (var candidate in secret.All)
        {
            var (key, aad) = version switch
            {
                1 => (SHA256.HashData(Encoding.UTF8.GetBytes("PostNext key ring\n" + candidate)), (byte[]?)null),
                2 when (string?)encrypted.Attribute("kdf") == Kdf => (
                    Derive(candidate, Convert.FromBase64String(encrypted.Element("salt")!.Value), (int)encrypted.Attribute("iterations")!), AssociatedData),
                _ => throw new CryptographicException($"Key-ring element format version {version} is not known to this version of PostNext."),
            };
            var plaintext = new byte[ciphertext.Length];
            try
            {
                using var aes = new AesGcm(key, tag.Length);
                aes.Decrypt(nonce, ciphertext, tag, plaintext, aad);
                return (XElement.Parse(Encoding.UTF8.GetString(plaintext)), first && version == Version);
            }
            catch (AuthenticationTagMismatchException)
            {
                first = false; // Not this secret: try the previous ones.
            }
        }

        throw new CryptographicException(
            "A key-ring element does not decrypt with PostNext:KeyRingSecret or any of PostNext:PreviousKeyRingSecrets; configure the secret it was written with.");
    }

    private static byte[] Derive(string secret, byte[] salt, int iterations) =>
        DerivedKeys.GetOrAdd(
            $"{Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(secret)))}|{Convert.ToHexString(salt)}|{iterations.ToString(CultureInfo.InvariantCulture)}",
            _ => Rfc2898DeriveBytes.Pbkdf2(secret, salt, iterations, HashAlgorithmName.SHA256, 32));
}
