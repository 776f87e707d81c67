using System.Globalization;

namespace PostNext.Chaos.Load;

/// <summary>How a sandbox account of the run misbehaves.</summary>
public enum AccountKind
{
    Plain,
    Slow,
    Transient5xx,
    RateLimited429,
    LostAnswer,
    Mixed,
}

/// <summary>One sandbox account to create: its kind and the <c>sandbox</c> settings that make it so.</summary>
public sealed record PlannedAccount(int Index, AccountKind Kind, object Sandbox)
{
    public string Handle => "chaos" + Index.ToString("D3", CultureInfo.InvariantCulture);
}

/// <summary>One post to create: which account, and how long after the window start it falls due.</summary>
public sealed record PlannedPost(int Index, int Account, TimeSpan DueOffset, bool AtInstant)
{
    /// <summary>The Idempotency-Key of its creation: a retried create (lost answer, 5xx) finds the same post.</summary>
    public string IdempotencyKey(int seed) => string.Create(CultureInfo.InvariantCulture, $"chaos-{seed}-{Index}");
}

/// <summary>The whole load, decided up front from the seed: the same options and seed plan the same run.</summary>
public sealed record LoadPlan(IReadOnlyList<PlannedAccount> Accounts, IReadOnlyList<PlannedPost> Posts, TimeSpan Instant)
{
    public static LoadPlan Create(ChaosOptions options)
    {
        var random = new Random(options.Seed);
        var kinds = Enum.GetValues<AccountKind>();
        var accounts = Enumerable.Range(0, options.Accounts)
            .Select(i => Account(i, kinds[i % kinds.Length], options, random))
            .ToList();

        var instant = options.Window * options.InstantAt;
        var atInstant = (int)Math.Round(options.Posts * options.InstantShare);
        var spread = options.Posts - atInstant;
        var posts = new List<PlannedPost>(options.Posts);
        for (var i = 0; i < options.Posts; i++)
        {
            var onInstant = i < atInstant;
            // The spread posts are evenly spaced over the window (whole milliseconds), the rest share the instant.
            var offset = onInstant
                ? instant
                : TimeSpan.FromMilliseconds(Math.Floor(options.Window.TotalMilliseconds * (i - atInstant) / Math.Max(1, spread)));
            posts.Add(new PlannedPost(i, i % options.Accounts, offset, onInstant));
        }

        // Created in random order, so the instant's posts and each account's posts are interleaved in the intake.
        var shuffled = posts.OrderBy(_ => random.Next()).Select((p, i) => p with { Index = i }).ToList();
        return new LoadPlan(accounts, shuffled, instant);
    }

    private static PlannedAccount Account(int index, AccountKind kind, ChaosOptions options, Random random)
    {
        var rate = options.FaultRate;
        var reset = options.RateLimitResetSeconds;
        object sandbox = kind switch
        {
            AccountKind.Plain => new { },
            AccountKind.Slow => new { latencyMs = random.Next(200, 2000) },
            AccountKind.Transient5xx => new { failureRate = rate },
            AccountKind.RateLimited429 => new { rateLimitRate = rate, rateLimitResetSeconds = reset },
            AccountKind.LostAnswer => new { unknownOutcomeRate = rate },
            _ => new { latencyMs = random.Next(50, 500), failureRate = rate / 3, rateLimitRate = rate / 3, rateLimitResetSeconds = reset, unknownOutcomeRate = rate / 3 },
        };
        return new PlannedAccount(index, kind, sandbox);
    }
}
