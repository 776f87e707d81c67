using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Configuration;
using PostNext.ServiceDefaults.Configuration;

namespace PostNext.ServiceDefaults.Security;

/// <summary>The operator key this process accepts: configured, or generated for the embedded development default.</summary>
public sealed class OperatorKey
{
    /// <summary>Shortest operator key accepted from configuration.</summary>
    public const int MinimumLength = 16;

    private readonly byte[] _hash;

    private OperatorKey(string value, bool generated)
    {
        Value = value;
        IsGenerated = generated;
        _hash = SHA256.HashData(Encoding.UTF8.GetBytes(value));
    }

    /// <summary>The key itself; only ever printed when it was generated for development.</summary>
    public string Value { get; }

    /// <summary>True when no key was configured and this one was made up at start-up (embedded mode only).</summary>
    public bool IsGenerated { get; }

    /// <summary>Constant-time comparison of a presented key with this one.</summary>
    public bool Matches(string presented) =>
        CryptographicOperations.FixedTimeEquals(_hash, SHA256.HashData(Encoding.UTF8.GetBytes(presented)));

    /// <summary>Reads <c>PostNext:OperatorKey</c>; cluster mode refuses to start without one.</summary>
    public static OperatorKey FromConfiguration(IConfiguration configuration)
    {
        var configured = configuration[$"{PostNextOptions.SectionName}:{nameof(PostNextOptions.OperatorKey)}"];
        if (!string.IsNullOrWhiteSpace(configured))
        {
            if (configured.Trim().Length < MinimumLength)
            {
                throw new InvalidOperationException(
                    $"PostNext:OperatorKey must be at least {MinimumLength} characters long.");
            }

            return new OperatorKey(configured.Trim(), generated: false);
        }

        if (RunModes.FromConfiguration(configuration) == RunMode.Cluster)
        {
            throw new InvalidOperationException(
                "Cluster mode needs an operator key: set PostNext:OperatorKey (environment variable PostNext__OperatorKey) " +
                $"to a secret of at least {MinimumLength} characters.");
        }

        return new OperatorKey("dev-" + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16)), generated: true);
    }
}
