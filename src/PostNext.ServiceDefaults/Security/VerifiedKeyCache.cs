using System.Collections.Concurrent;
using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Options;

namespace PostNext.ServiceDefaults.Security;

/// <summary>Workspace-key checks under <c>PostNext:ApiKeys</c>.</summary>
public sealed class ApiKeyOptions
{
    public const string SectionName = "PostNext:ApiKeys";

    /// <summary>Longest <see cref="CacheFor"/> accepted: a revocation must take effect within it.</summary>
    public static readonly TimeSpan MaxCacheFor = TimeSpan.FromMinutes(5);

    /// <summary>
    /// How long each process trusts a key it verified, without asking its workspace again. A revocation takes effect
    /// everywhere within this time (at once on the process that revoked it). Zero turns the cache off.
    /// </summary>
    public TimeSpan CacheFor { get; set; } = TimeSpan.FromSeconds(5);

    /// <summary>Most keys one process keeps verified at once.</summary>
    public int CacheSize { get; set; } = 10_000;

    public IEnumerable<string> Problems()
    {
        if (CacheFor < TimeSpan.Zero || CacheFor > MaxCacheFor)
        {
            yield return $"{SectionName}:CacheFor must be between 0 and {MaxCacheFor} (a revocation takes effect within it).";
        }

        if (CacheSize < 1)
        {
            yield return $"{SectionName}:CacheSize must be at least 1.";
        }
    }
}

/// <summary>
/// Workspace keys this process verified recently, so requests do not queue on the workspace grain. Only positive
/// answers are kept, keyed by the SHA-256 of the presented key (never the key), for <see cref="ApiKeyOptions.CacheFor"/>,
/// at most <see cref="ApiKeyOptions.CacheSize"/> of them.
/// </summary>
public sealed class VerifiedKeyCache(IOptions<ApiKeyOptions> options, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private ApiKeyOptions Settings => options.Value;

    /// <summary>The cached verification of this key, or null when there is none (or it is older than the bound).</summary>
    public WorkspaceKeyMatch? Find(string presentedKey)
    {
        if (Settings.CacheFor <= TimeSpan.Zero || !_entries.TryGetValue(Fingerprint(presentedKey), out var entry))
        {
            return null;
        }

        return time.GetUtcNow() < entry.Until ? entry.Match : null;
    }

    /// <summary>Remembers a key the workspace just verified.</summary>
    public void Add(string presentedKey, WorkspaceKeyMatch match)
    {
        var settings = Settings;
        if (settings.CacheFor <= TimeSpan.Zero)
        {
            return;
        }

        var now = time.GetUtcNow();
        if (_entries.Count >= settings.CacheSize)
        {
            foreach (var stale in _entries.Where(e => e.Value.Until <= now).Select(e => e.Key).ToList())
            {
                _entries.TryRemove(stale, out _);
            }

            if (_entries.Count >= settings.CacheSize)
            {
                return; // Full of live entries: verify through the workspace until some expire.
            }
        }

        _entries[Fingerprint(presentedKey)] = new Entry(match, now + settings.CacheFor);
    }

    /// <summary>Forgets a key at once (it was revoked through this process).</summary>
    public void Forget(string workspaceId, string keyId)
    {
        foreach (var entry in _entries.Where(e => e.Value.Match.KeyId == keyId && e.Value.Match.WorkspaceId == workspaceId).ToList())
        {
            _entries.TryRemove(entry);
        }
    }

    private static string Fingerprint(string presentedKey) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(presentedKey)));

    private sealed record Entry(WorkspaceKeyMatch Match, DateTimeOffset Until);
}
