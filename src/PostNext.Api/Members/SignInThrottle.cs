using System.Collections.Concurrent;
using Microsoft.Extensions.Options;

namespace PostNext.Api.Members;

/// <summary>
/// Brute-force protection for password checks (sign-in, and accepting an invitation into an existing account): failures
/// are counted per email and client address, and per client address over all emails; past
/// <see cref="MemberOptions.MaxFailedSignIns"/> (or the per-address cap) within <see cref="MemberOptions.LockoutWindow"/>
/// the pair (or the address) is refused, right password or not, until the window after the last failure ends. Keyed by
/// address too, so nobody can lock a person out from elsewhere. Counted per process (each front counts its own).
/// </summary>
public sealed class SignInThrottle(IOptions<MemberOptions> options, TimeProvider time)
{
    private const int MaxEntries = 100_000;

    private readonly ConcurrentDictionary<string, Entry> _failures = new(StringComparer.Ordinal);

    /// <summary>How long the caller must wait before trying again, or null when it may try now.</summary>
    public TimeSpan? RetryAfter(string email, string? address)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        TimeSpan? wait = null;
        foreach (var (key, max) in Keys(email, address, settings))
        {
            if (_failures.TryGetValue(key, out var entry) && entry.Count >= max && now < entry.Until)
            {
                var left = entry.Until - now;
                wait = wait is null || left > wait ? left : wait;
            }
        }

        if (wait is null && _failures.Count >= MaxEntries)
        {
            Prune(now);
            if (_failures.Count >= MaxEntries)
            {
                return settings.LockoutWindow; // Full of live failures: an attack is on; refuse rather than forget.
            }
        }

        return wait;
    }

    /// <summary>Counts a wrong password.</summary>
    public void Failed(string email, string? address)
    {
        var settings = options.Value;
        var now = time.GetUtcNow();
        foreach (var (key, _) in Keys(email, address, settings))
        {
            _failures.AddOrUpdate(key,
                _ => new Entry(1, now + settings.LockoutWindow),
                (_, e) => e.Until <= now ? new Entry(1, now + settings.LockoutWindow) : new Entry(e.Count + 1, now + settings.LockoutWindow));
        }
    }

    /// <summary>Forgets the pair's failures after a right password.</summary>
    public void Succeeded(string email, string? address) => _failures.TryRemove(PairKey(email, address), out _);

    private static IEnumerable<(string Key, int Max)> Keys(string email, string? address, MemberOptions settings) =>
        [(PairKey(email, address), settings.MaxFailedSignIns), ("a|" + address, settings.MaxFailedSignInsPerAddress)];

    private static string PairKey(string email, string? address) => $"e|{address}|{email}";

    private void Prune(DateTimeOffset now)
    {
        foreach (var stale in _failures.Where(e => e.Value.Until <= now).Select(e => e.Key).ToList())
        {
            _failures.TryRemove(stale, out _);
        }
    }

    private sealed record Entry(int Count, DateTimeOffset Until);
}
