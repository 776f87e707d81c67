using System.Globalization;
using System.Security.Cryptography;
using System.Text;

namespace PostNext.Grains.Webhooks;

/// <summary>
/// The <c>PostNext-Signature</c> header: <c>t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256&gt;</c>, the HMAC taken with the
/// webhook's secret (its UTF-8 bytes) over <c>"&lt;t&gt;." + raw body</c>. Receivers recompute it and compare in
/// constant time, and refuse an old <c>t</c> to stop replays.
/// </summary>
public static class WebhookSignature
{
    public const string HeaderName = "PostNext-Signature";

    /// <summary>One <c>v1</c> per secret (the current one first): during a rotation's grace period both sign.</summary>
    public static string Create(IReadOnlyList<string> secrets, DateTimeOffset at, ReadOnlySpan<byte> body)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var signatures = new List<string>();
        foreach (var secret in secrets)
        {
            signatures.Add(Create(secret, at, body).Split(",v1=", 2)[1]);
        }

        return $"t={timestamp}," + string.Join(',', signatures.Select(v => "v1=" + v));
    }

    public static string Create(string secret, DateTimeOffset at, ReadOnlySpan<byte> body)
    {
        var timestamp = at.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        var prefix = Encoding.UTF8.GetBytes(timestamp + ".");
        var signed = new byte[prefix.Length + body.Length];
        prefix.CopyTo(signed, 0);
        body.CopyTo(signed.AsSpan(prefix.Length));
        var mac = HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), signed);
        return $"t={timestamp},v1={Convert.ToHexStringLower(mac)}";
    }
}
