using System.Security.Cryptography;
using System.Text;

namespace PostNext.Platforms.Common;

/// <summary>PKCE (RFC 7636): a random verifier kept on the server and its S256 challenge sent to the platform.</summary>
public static class Pkce
{
    public static string NewVerifier() => Base64Url(RandomNumberGenerator.GetBytes(32));

    public static string ChallengeS256(string verifier) => Base64Url(SHA256.HashData(Encoding.ASCII.GetBytes(verifier)));

    public static string Base64Url(byte[] bytes) => Convert.ToBase64String(bytes).TrimEnd('=').Replace('+', '-').Replace('/', '_');
}
