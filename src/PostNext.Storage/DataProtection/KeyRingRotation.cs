using System.Xml.Linq;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace PostNext.Storage.DataProtection;

/// <summary>
/// Rotating <c>PostNext:KeyRingSecret</c> without losing tokens: start every silo with the new secret as
/// <c>PostNext:KeyRingSecret</c> and the old one in <c>PostNext:PreviousKeyRingSecrets</c>; at start-up each silo
/// re-encrypts every stored key-ring element that is not yet under the current secret (and format). Once the silos
/// have started that way, the previous secret can be removed. The Data Protection keys themselves do not change, so
/// no token needs re-encrypting.
/// </summary>
public static class KeyRingRotation
{
    /// <summary>The key element re-sealed under the current secret, or null when it already is (or holds nothing of ours).</summary>
    public static XElement? Rewrap(XElement key, KeyRingSecret secret)
    {
        var copy = new XElement(key);
        var changed = false;
        foreach (var sealedSecret in copy.Descendants().Where(IsOurs).ToList())
        {
            var encrypted = sealedSecret.Element("encryptedKey");
            if (encrypted is null)
            {
                continue;
            }

            var (plaintext, current) = KeyRingFormat.Open(encrypted, secret);
            if (!current)
            {
                encrypted.ReplaceWith(KeyRingFormat.Seal(plaintext, secret));
                changed = true;
            }
        }

        return changed ? copy : null;
    }

    private static bool IsOurs(XElement element) =>
        ((string?)element.Attribute("decryptorType"))?.Contains(typeof(KeyRingDecryptor).FullName!, StringComparison.Ordinal) == true;
}

/// <summary>Re-encrypts the stored key ring under the current secret when a silo starts (see <see cref="KeyRingRotation"/>).</summary>
public sealed partial class KeyRingRotationService(PostgresXmlRepository repository, KeyRingSecret secret, ILogger<KeyRingRotationService> logger) : IHostedService
{
    public Task StartAsync(CancellationToken cancellationToken)
    {
        var rewrapped = 0;
        foreach (var (name, element) in repository.GetAllNamedElements())
        {
            if (KeyRingRotation.Rewrap(element, secret) is { } updated)
            {
                repository.ReplaceElement(name, updated);
                rewrapped++;
            }
        }

        if (rewrapped > 0)
        {
            LogRewrapped(rewrapped);
        }

        return Task.CompletedTask;
    }

    public Task StopAsync(CancellationToken cancellationToken) => Task.CompletedTask;

    [LoggerMessage(Level = LogLevel.Information, Message = "Key ring: {Count} element(s) re-encrypted under the current PostNext:KeyRingSecret; a previous secret can be removed once every silo has started with this one")]
    private partial void LogRewrapped(int count);
}
