using PostNext.Abstractions.Platforms;
using PostNext.Abstractions.Posts;

namespace PostNext.Grains.Limits;

/// <summary>
/// The documented platform limits as configured windows, under <c>PostNext:RateLimits</c>: per platform, windows that
/// apply to each account and windows shared by the whole platform app. Numbers are configuration, not constants
/// (see ../shared/reference/platforms.md §8); set a window's Limit to 0 to remove it.
/// </summary>
public sealed class RateLimitOptions
{
    public const string SectionName = "PostNext:RateLimits";

    /// <summary>Limits per platform id.</summary>
    public Dictionary<string, PlatformLimitWindows> Platforms { get; set; } = Defaults();

    /// <summary>Least time between two deferred publications released from one scope, so a cleared limit is not hit by a burst.</summary>
    public TimeSpan ReleaseSpacing { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>Most publications one scope keeps waiting with a reserved time (bounds the grain state).</summary>
    public int MaxWaiting { get; set; } = 20_000;

    /// <summary>
    /// How long after its reserved time a waiting publication may still claim it. A reservation left unclaimed longer
    /// (its publication was canceled, deleted or failed, went out another way, or its grain died) is dropped, so it
    /// neither holds capacity nor counts as waiting. Keep it well above how late a deferred publication can wake (a
    /// lost timer is caught within the scheduling reminder period, or the sweeper's period plus grace); one that comes
    /// later still joins the line again in the order of its original time.
    /// </summary>
    public TimeSpan ReservationGrace { get; set; } = TimeSpan.FromMinutes(10);

    /// <summary>
    /// Longest time granted permits are counted only in memory before one write stores them all (and any other change
    /// not stored yet). Reserved times and blocks are stored before they are answered. A silo crash forgets the permits
    /// of this last stretch; zero writes every permit before granting it.
    /// </summary>
    public TimeSpan GrantWriteDelay { get; set; } = TimeSpan.FromSeconds(2);

    public PlatformLimitWindows For(string platform) => Platforms.GetValueOrDefault(platform) ?? new PlatformLimitWindows();

    public static Dictionary<string, PlatformLimitWindows> Defaults() => new(StringComparer.Ordinal)
    {
        // Instagram: 100 API-published posts per account per rolling 24 h (content_publishing_limit).
        [PlatformIds.Instagram] = new() { Account = { ["posts-24h"] = new(100, TimeSpan.FromHours(24)) } },
        // TikTok: 6 post inits per minute per user token.
        [PlatformIds.TikTok] = new() { Account = { ["inits-1m"] = new(6, TimeSpan.FromMinutes(1)) } },
        // X: POST /2/tweets 100 per 15 min per user, 10,000 per 24 h per app.
        [PlatformIds.X] = new()
        {
            Account = { ["tweets-15m"] = new(100, TimeSpan.FromMinutes(15)) },
            App = { ["tweets-24h"] = new(10_000, TimeSpan.FromHours(24)) },
        },
        // LinkedIn: about 150 member posts per day.
        [PlatformIds.LinkedIn] = new() { Account = { ["posts-24h"] = new(150, TimeSpan.FromHours(24)) } },
        // Facebook Pages: a conservative budget for everything a Page publishes, and the Reels Publishing API's own limit
        // of 30 API-published reels per Page in a moving 24 h, which reels take from as well.
        [PlatformIds.Facebook] = new() { Account = { ["posts-24h"] = new(50, TimeSpan.FromHours(24)) } },
        [PlatformIds.Facebook + "." + PostTypes.Reel] = new() { Account = { ["reels-24h"] = new(30, TimeSpan.FromHours(24)) } },
        // YouTube: videos.insert is quota-bound per project (about 100 uploads per day).
        [PlatformIds.YouTube] = new() { App = { ["uploads-24h"] = new(100, TimeSpan.FromHours(24)) } },
        [PlatformIds.Sandbox] = new(),
    };
}

/// <summary>The windows of one platform.</summary>
public sealed class PlatformLimitWindows
{
    /// <summary>Windows applying to each account separately.</summary>
    public Dictionary<string, LimitWindow> Account { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Windows shared by every account of the platform app.</summary>
    public Dictionary<string, LimitWindow> App { get; set; } = new(StringComparer.Ordinal);

    /// <summary>Whether any app window limits anything (a window with no limit or no period is ignored).</summary>
    public bool LimitsApp => App.Values.Any(w => w.Limit > 0 && w.Period > TimeSpan.Zero);

    /// <summary>Whether any account window limits anything.</summary>
    public bool LimitsAccount => Account.Values.Any(w => w.Limit > 0 && w.Period > TimeSpan.Zero);
}

/// <summary>At most <see cref="Limit"/> publishes in any rolling <see cref="Period"/>.</summary>
public sealed class LimitWindow
{
    public LimitWindow()
    {
    }

    public LimitWindow(int limit, TimeSpan period)
    {
        Limit = limit;
        Period = period;
    }

    public int Limit { get; set; }

    public TimeSpan Period { get; set; }
}
