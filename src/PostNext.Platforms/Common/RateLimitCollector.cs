using System.Net.Http.Headers;
using PostNext.Abstractions.Posts;

namespace PostNext.Platforms.Common;

/// <summary>
/// Collects what the platform's responses say about rate limits during one publish or follow-up: the connector base
/// records the headers of every response it sends for that request (<see cref="PublishRequest.Limits"/>,
/// <see cref="FollowUpRequest.Limits"/>), and the attempt's outcome carries the tightest of them
/// (<see cref="PublishOutcome.Limit"/>). So a success that spends the last of a budget (x-rate-limit-remaining: 0,
/// Meta usage at 100 %) tightens the account's limit as much as a 429 does.
/// </summary>
public sealed class RateLimitCollector
{
    private readonly Lock _gate = new();
    private PlatformLimit? _tightest;

    /// <summary>The tightest limit recorded so far, or null when no response reported one.</summary>
    public PlatformLimit? Tightest
    {
        get
        {
            lock (_gate)
            {
                return _tightest;
            }
        }
    }

    /// <summary>Records the limit a response's headers describe, if any.</summary>
    public void Record(HttpResponseHeaders headers, DateTimeOffset now)
    {
        if (RateLimitHeaders.Read(headers, now) is { } snapshot)
        {
            Record(snapshot.ToLimit());
        }
    }

    private void Record(PlatformLimit limit)
    {
        lock (_gate)
        {
            _tightest = PlatformLimit.Tighter(_tightest, limit);
        }
    }
}
