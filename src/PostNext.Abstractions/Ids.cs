using System.Diagnostics.CodeAnalysis;
using System.Security.Cryptography;
using System.Text;

namespace PostNext.Abstractions;

/// <summary>Identifiers: a short type prefix and 20 lowercase hex characters, e.g. <c>ws3f9c…</c>, <c>acc…</c>, <c>post…</c>.</summary>
public static class Ids
{
    public const string Workspace = "ws";
    public const string Account = "acc";
    public const string Post = "post";
    public const string ApiKey = "key";
    public const string User = "usr";
    public const string Invitation = "inv";

    private const int HexLength = 20;

    public static string New(string prefix) => prefix + Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(HexLength / 2));

    /// <summary>A stable id derived from a seed (e.g. workspace + Idempotency-Key), so the same request maps to the same entity.</summary>
    public static string Derived(string prefix, string seed) =>
        prefix + Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(seed)))[..HexLength];

    /// <summary>True for an id of the given prefix (or any known prefix) with the expected shape; guards grain keys built from URLs.</summary>
    public static bool IsValid([NotNullWhen(true)] string? id, string? prefix = null)
    {
        if (id is null)
        {
            return false;
        }

        string[] prefixes = prefix is null ? [Workspace, Account, Post, ApiKey, User, Invitation] : [prefix];
        foreach (var p in prefixes)
        {
            if (id.Length == p.Length + HexLength && id.StartsWith(p, StringComparison.Ordinal) &&
                id.AsSpan(p.Length).ContainsAnyExcept("0123456789abcdef") is false)
            {
                return true;
            }
        }

        return false;
    }
}
