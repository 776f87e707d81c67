using System.Globalization;
using System.Net.Http.Headers;
using System.Text.Json;
using PostNext.Abstractions.Posts;

namespace PostNext.Platforms.Common;

/// <summary>What a response says about rate limits: remaining budget, when it resets, how long to wait.</summary>
public sealed record RateLimitSnapshot(long? Limit, long? Remaining, DateTimeOffset? ResetAt, int? UsagePercent)
{
    /// <summary>When calls may resume: the reset time if the budget is spent (or usage is at 100 %).</summary>
    public DateTimeOffset? BlockedUntil => (Remaining == 0 || UsagePercent >= 100) ? ResetAt : null;

    /// <summary>The limit as an attempt's outcome carries it.</summary>
    public PlatformLimit ToLimit() => new(Limit, Remaining, ResetAt, BlockedUntil);
}

/// <summary>Reads the rate-limit signals the platforms send: Retry-After, X's x-rate-limit-* and 24-hour headers, Meta's usage headers.</summary>
public static class RateLimitHeaders
{
    /// <summary>The tightest limit the headers describe, or null when there is none.</summary>
    public static RateLimitSnapshot? Read(HttpResponseHeaders headers, DateTimeOffset now)
    {
        var snapshots = new List<RateLimitSnapshot>();
        foreach (var prefix in new[] { "x-rate-limit", "x-app-limit-24hour", "x-user-limit-24hour" })
        {
            var limit = Long(headers, prefix + (prefix == "x-rate-limit" ? "-limit" : "-limit"));
            var remaining = Long(headers, prefix + "-remaining");
            var reset = Long(headers, prefix + "-reset");
            if (limit is not null || remaining is not null || reset is not null)
            {
                snapshots.Add(new RateLimitSnapshot(limit, remaining, reset is { } r ? DateTimeOffset.FromUnixTimeSeconds(r) : null, null));
            }
        }

        if (MetaUsage(headers, now) is { } meta)
        {
            snapshots.Add(meta);
        }

        if (RetryAfter(headers, now) is { } retry)
        {
            snapshots.Add(new RateLimitSnapshot(null, 0, retry, null));
        }

        return snapshots
            .OrderByDescending(s => s.BlockedUntil ?? DateTimeOffset.MinValue)
            .ThenBy(s => s.Remaining ?? long.MaxValue)
            .FirstOrDefault();
    }

    /// <summary>Retry-After as seconds or an HTTP date.</summary>
    public static DateTimeOffset? RetryAfter(HttpResponseHeaders headers, DateTimeOffset now) => headers.RetryAfter switch
    {
        { Delta: { } delta } => now + delta,
        { Date: { } date } => date,
        _ => null,
    };

    /// <summary>Meta's X-App-Usage / X-Business-Use-Case-Usage: percentages, and minutes until access is regained.</summary>
    private static RateLimitSnapshot? MetaUsage(HttpResponseHeaders headers, DateTimeOffset now)
    {
        int? usage = null;
        DateTimeOffset? regain = null;
        if (headers.TryGetValues("X-App-Usage", out var app))
        {
            usage = MaxPercent(app.FirstOrDefault());
        }

        if (headers.TryGetValues("X-Business-Use-Case-Usage", out var buc))
        {
            try
            {
                using var doc = JsonDocument.Parse(buc.First());
                foreach (var business in doc.RootElement.EnumerateObject())
                {
                    foreach (var entry in business.Value.EnumerateArray())
                    {
                        usage = Math.Max(usage ?? 0, MaxPercent(entry.GetRawText()) ?? 0);
                        if (entry.TryGetProperty("estimated_time_to_regain_access", out var minutes) && minutes.TryGetInt32(out var m) && m > 0)
                        {
                            var at = now.AddMinutes(m);
                            regain = regain is null || at > regain ? at : regain;
                        }
                    }
                }
            }
            catch (Exception ex) when (ex is JsonException or InvalidOperationException)
            {
                // A malformed header tells us nothing; ignore it.
            }
        }

        if (usage is null && regain is null)
        {
            return null;
        }

        return new RateLimitSnapshot(100, usage is { } u ? Math.Max(0, 100 - u) : null, regain ?? (usage >= 100 ? now.AddHours(1) : null), usage);
    }

    private static int? MaxPercent(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            using var doc = JsonDocument.Parse(json);
            int? max = null;
            foreach (var name in new[] { "call_count", "total_time", "total_cputime", "acc_id_util_pct" })
            {
                if (doc.RootElement.TryGetProperty(name, out var v) && v.TryGetDouble(out var d))
                {
                    max = Math.Max(max ?? 0, (int)Math.Ceiling(d));
                }
            }

            return max;
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static long? Long(HttpResponseHeaders headers, string name) =>
        headers.TryGetValues(name, out var values) && long.TryParse(values.FirstOrDefault(), NumberStyles.Integer, CultureInfo.InvariantCulture, out var v) ? v : null;
}
