using System.Security.Cryptography;
using System.Text;
using System.Xml.Linq;
using PostNext.Storage.DataProtection;

namespace PostNext.Hosting.Tests;

/// <summary>
/// The key ring is encrypted under a key derived from PostNext:KeyRingSecret with a salted, slow KDF, each element
/// saying its format; the secret can be rotated: a previous secret still decrypts and the elements are re-encrypted
/// under the current one, after which the previous secret is no longer needed.
/// </summary>
public sealed class KeyRingEncryptionTests
{
    private static readonly XElement Key = XElement.Parse("<masterKey><value>c2VjcmV0IGtleSBtYXRlcmlhbA==</value></masterKey>");

    [Fact]
    public void Each_element_is_encrypted_with_a_key_from_a_salted_kdf_and_records_its_version()
    {
        var encryptor = new KeyRingEncryptor(new KeyRingSecret("a passphrase of words"));

        var first = encryptor.Encrypt(Key).EncryptedElement;
        var second = encryptor.Encrypt(Key).EncryptedElement;

        Assert.Equal("2", (string?)first.Attribute("version"));
        Assert.Equal("pbkdf2-sha256", (string?)first.Attribute("kdf"));
        Assert.True((int?)first.Attribute("iterations") >= 600_000, first.ToString());
        Assert.NotEqual(first.Element("salt")?.Value, second.Element("salt")?.Value);
        Assert.NotNull(first.Element("salt"));
        Assert.DoesNotContain("c2VjcmV0", first.ToString(), StringComparison.Ordinal);
    }

    [Fact]
    public void A_key_ring_under_a_previous_secret_decrypts_and_is_re_encrypted_under_the_current_one()
    {
        var old = new KeyRingSecret("the-old-key-ring-secret-0001");
        var stored = new[] { Stored(KeyRingFormat.Seal(Key, old)), Stored(LegacySeal(Key, "the-old-key-ring-secret-0001")) };
        var rotating = new KeyRingSecret("the-new-key-ring-secret-0002", ["the-old-key-ring-secret-0001"]);
        var newOnly = new KeyRingSecret("the-new-key-ring-secret-0002");

        // Before the rotation, only the old secret opens them.
        Assert.ThrowsAny<CryptographicException>(() => KeyRingFormat.Open(Inner(stored[0]), newOnly));
        var rewrapped = stored.Select(s => KeyRingRotation.Rewrap(s, rotating)).ToList();

        Assert.All(rewrapped, r => Assert.NotNull(r));
        foreach (var element in rewrapped)
        {
            var (plaintext, current) = KeyRingFormat.Open(Inner(element!), newOnly);
            Assert.True(current);
            Assert.Equal(Key.ToString(), plaintext.ToString());
            Assert.Null(KeyRingRotation.Rewrap(element!, newOnly)); // nothing left to do
        }
    }

    /// <summary>A key as Data Protection stores it: the encrypted secret inside, naming our decryptor.</summary>
    private static XElement Stored(XElement encrypted) =>
        new("key", new XAttribute("id", Guid.NewGuid()),
            new XElement("descriptor",
                new XElement("encryptedSecret", new XAttribute("decryptorType", typeof(KeyRingDecryptor).AssemblyQualifiedName!), encrypted)));

    private static XElement Inner(XElement stored) => stored.Descendants("encryptedKey").Single();

    /// <summary>The format before this change: AES-256-GCM under one unsalted SHA-256 of the secret, no version.</summary>
    private static XElement LegacySeal(XElement element, string secret)
    {
        var plaintext = Encoding.UTF8.GetBytes(element.ToString(SaveOptions.DisableFormatting));
        var nonce = RandomNumberGenerator.GetBytes(12);
        var tag = new byte[16];
        var ciphertext = new byte[plaintext.Length];
        using (var aes = new AesGcm(SHA256.HashData(Encoding.UTF8.GetBytes("PostNext key ring\n" + secret)), tag.Length))
        {
            aes.Encrypt(nonce, plaintext, ciphertext, tag);
        }

        return new XElement("encryptedKey",
            new XElement("nonce", Convert.ToBase64String(nonce)), new XElement("tag", Convert.ToBase64String(tag)), new XElement("value", Convert.ToBase64String(ciphertext)));
    }
}
