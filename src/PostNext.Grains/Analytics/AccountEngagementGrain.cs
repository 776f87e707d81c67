using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PostNext.Abstractions;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Analytics;
using PostNext.Abstractions.Scheduling;
using PostNext.Abstractions.Workspaces;
using PostNext.Platforms;
using PostNext.Storage.Analytics;
using PostNext.Storage.Calendar;

namespace PostNext.Grains.Analytics;

/// <summary>
/// An account's engagement aggregate. Post collectors report each post's latest reading here; the differences between
/// readings feed the daily series. The audience (followers) is read daily on this grain's own reminder. Reports, best
/// times and best-time reservations are computed from this bounded state.
/// </summary>
public sealed partial class AccountEngagementGrain(
    [PersistentState("account-engagement", StorageNames.Grains)] IPersistentState<AccountEngagementState> state,
    PlatformConnectors connectors,
    IMetricsStore store,
    ICalendarStore calendar,
    AnalyticsClock clock,
    IOptions<AnalyticsOptions> options,
    ILogger<AccountEngagementGrain> logger) : Grain, IAccountEngagementGrain, IRemindable
{
    public const string AudienceReminder = "audience";

    /// <summary>A best-time slot is never handed out closer to now than this.</summary>
    private static readonly TimeSpan ReserveLead = TimeSpan.FromMinutes(1);

    /// <summary>Slots handed out recently, until the publications that took them show in the calendar index.</summary>
    private readonly List<DateTimeOffset> _recentlyReserved = [];

    private bool _profileLoaded;

    private string Id => this.GetPrimaryKeyString();

    private AccountEngagementState S => state.State;

    private AnalyticsOptions Options => options.Value;

    private TimeZoneInfo Zone => LocalTimes.FindZone(S.TimeZone) ?? TimeZoneInfo.Utc;

    public async Task RecordPostAsync(PostReading reading)
    {
        await EnsureProfileAsync();
        if (!S.Posts.TryGetValue(reading.PostId, out var post))
        {
            if (S.Posts.Count >= Options.MaxPosts && S.Posts.Values.Min(p => p.PublishedAt) > reading.PublishedAt)
            {
                return; // older than everything kept: it would be dropped at once
            }

            post = new PostRecord
            {
                PostId = reading.PostId,
                PublishedAt = reading.PublishedAt,
                Kind = reading.Kind,
                Hashtags = [.. reading.Hashtags],
            };
            S.Posts[reading.PostId] = post;
            Day(reading.PublishedAt).PostsPublished++;
            TrimPosts();
        }

        if (reading.Metrics is { } m && (post.LastReadAt is null || m.ReadAt >= post.LastReadAt))
        {
            var day = Day(m.ReadAt);
            day.Likes += m.Likes - post.Likes;
            day.Comments += m.Comments - post.Comments;
            day.Shares += m.Shares - post.Shares;
            day.Saves += (m.Saves ?? 0) - (post.Saves ?? 0);
            day.Impressions += (m.Impressions ?? 0) - (post.Impressions ?? 0);
            day.Views += (m.Views ?? 0) - (post.Views ?? 0);
            (post.Likes, post.Comments, post.Shares, post.Saves, post.Impressions, post.Views) = (m.Likes, m.Comments, m.Shares, m.Saves, m.Impressions, m.Views);
            post.LastReadAt = m.ReadAt;
            post.Followers = S.Followers;
        }

        post.FirstHourLikesPerMinute = reading.FirstHourLikesPerMinute ?? post.FirstHourLikesPerMinute;
        TrimDays();
        await state.WriteStateAsync();

        if (!S.AudienceArmed)
        {
            await this.RegisterOrUpdateReminder(AudienceReminder, Options.AudienceInterval, Options.AudienceInterval);
            S.AudienceArmed = true;
            await state.WriteStateAsync();
            if (S.Followers is null)
            {
                await CollectAudienceAsync();
            }
        }
    }

    public async Task RecordAudienceAsync(AccountMetrics metrics)
    {
        await EnsureProfileAsync();
        await store.AddAccountSnapshotAsync(new AccountSnapshot(S.WorkspaceId, Id, S.Platform, metrics));
        if (S.FollowersReadAt is null || metrics.ReadAt >= S.FollowersReadAt)
        {
            S.Followers = metrics.Followers;
            S.FollowersReadAt = metrics.ReadAt;
        }

        Day(metrics.ReadAt).Followers = metrics.Followers;
        TrimDays();
        await state.WriteStateAsync();
    }

    public async Task<AccountMetrics?> CollectAudienceAsync()
    {
        await EnsureProfileAsync();
        var identity = await GrainFactory.GetGrain<IAccountGrain>(Id).GetPublishingIdentityAsync();
        if (identity is null)
        {
            await DisarmAudienceAsync();
            return null;
        }

        if (identity.Status != AccountStatus.Connected || connectors.Find(identity.Platform) is not { } connector)
        {
            return null;
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            var result = await connector.ReadAccountMetricsAsync(identity, timeout.Token);
            if (result.Value is not { } metrics)
            {
                LogAudienceFailed(Id, result.Error?.Message ?? "no metrics");
                return null;
            }

            await RecordAudienceAsync(metrics);
            return metrics;
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException or NotSupportedException)
        {
            LogAudienceFailed(Id, ex.Message);
            return null;
        }
    }

    public async Task<EngagementFacts> GetFactsAsync(DateTimeOffset from, DateTimeOffset to)
    {
        await EnsureProfileAsync();
        var first = LocalDay(from);
        var last = LocalDay(to.AddTicks(-1));
        var posts = S.Posts.Values
            .Where(p => p.PublishedAt >= from && p.PublishedAt < to)
            .OrderBy(p => p.PublishedAt)
            .Select(ToEngagement)
            .ToList();
        var daily = S.Days
            .Where(d => d.Day >= first.DayNumber && d.Day <= last.DayNumber)
            .Select(d => new DailyEngagement(DateOnly.FromDayNumber(d.Day), d.Likes, d.Comments, d.Shares, d.Saves, d.Impressions, d.Views, d.PostsPublished, d.Followers))
            .ToList();
        var atStart = S.Days.LastOrDefault(d => d.Day < first.DayNumber && d.Followers is not null)?.Followers
                      ?? S.Days.FirstOrDefault(d => d.Day >= first.DayNumber && d.Day <= last.DayNumber && d.Followers is not null)?.Followers;
        return new EngagementFacts(Id, S.Platform, S.TimeZone, S.Followers, atStart, posts, daily);
    }

    public async Task<EngagementReport> GetReportAsync(DateTimeOffset from, DateTimeOffset to)
    {
        var facts = await GetFactsAsync(from, to);
        return EngagementReports.Build(from, to, S.TimeZone, [facts], Options);
    }

    public async Task<BestTimes> GetBestTimesAsync()
    {
        await EnsureProfileAsync();
        return BestTimeFinder.Rank(Id, S.Platform, S.TimeZone, S.Posts.Values.Select(ToEngagement), clock.UtcNow, Options);
    }

    public async Task<DateTimeOffset?> ReserveBestTimeAsync(DateTimeOffset from, DateTimeOffset to)
    {
        var ranking = await GetBestTimesAsync();
        var now = clock.UtcNow;
        var start = from > now + ReserveLead ? from : now + ReserveLead;
        if (start >= to)
        {
            return null;
        }

        var gap = Options.MinimumGap;
        _recentlyReserved.RemoveAll(t => t < now - gap);
        var taken = (await calendar.PendingTimesAsync(S.WorkspaceId, Id, start - gap, to + gap)).Concat(_recentlyReserved).ToList();
        var picked = BestTimeFinder.Pick(ranking, start, to, taken, gap, Options.SlotMinute);
        if (picked is { } at)
        {
            _recentlyReserved.Add(at);
        }

        return picked;
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName == AudienceReminder)
        {
            await CollectAudienceAsync();
        }
    }

    /// <summary>Learns the account's workspace, platform and time zone once per activation (they never change).</summary>
    private async Task EnsureProfileAsync()
    {
        if (_profileLoaded)
        {
            return;
        }

        var account = await GrainFactory.GetGrain<IAccountGrain>(Id).GetAsync();
        if (account is null)
        {
            return;
        }

        var zone = (await GrainFactory.GetGrain<IWorkspaceGrain>(account.WorkspaceId).GetAsync())?.TimeZone ?? "UTC";
        if (S.WorkspaceId != account.WorkspaceId || S.Platform != account.Platform || S.TimeZone != zone)
        {
            (S.WorkspaceId, S.Platform, S.TimeZone) = (account.WorkspaceId, account.Platform, zone);
            await state.WriteStateAsync();
        }

        _profileLoaded = true;
    }

    private PostEngagement ToEngagement(PostRecord p) => new(
        p.PostId, Id, S.Platform, p.PublishedAt, p.Kind, p.Hashtags, p.Likes, p.Comments, p.Shares, p.Saves, p.Impressions, p.Views,
        p.Followers ?? S.Followers, p.FirstHourLikesPerMinute, p.LastReadAt);

    private DateOnly LocalDay(DateTimeOffset at) => DateOnly.FromDateTime(TimeZoneInfo.ConvertTime(at, Zone).DateTime);

    /// <summary>The record of the local day of <paramref name="at"/>, created in order when missing.</summary>
    private DayRecord Day(DateTimeOffset at)
    {
        var number = LocalDay(at).DayNumber;
        var index = S.Days.FindIndex(d => d.Day >= number);
        if (index >= 0 && S.Days[index].Day == number)
        {
            return S.Days[index];
        }

        var day = new DayRecord { Day = number };
        S.Days.Insert(index < 0 ? S.Days.Count : index, day);
        return day;
    }

    private void TrimPosts()
    {
        foreach (var oldest in S.Posts.Values.OrderBy(p => p.PublishedAt).Take(S.Posts.Count - Options.MaxPosts).ToList())
        {
            S.Posts.Remove(oldest.PostId);
        }
    }

    private void TrimDays()
    {
        if (S.Days.Count > Options.MaxDays)
        {
            S.Days.RemoveRange(0, S.Days.Count - Options.MaxDays);
        }
    }

    private async Task DisarmAudienceAsync()
    {
        if (await this.GetReminder(AudienceReminder) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        if (state.RecordExists && S.AudienceArmed)
        {
            S.AudienceArmed = false;
            await state.WriteStateAsync();
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Account {AccountId}: reading the audience failed ({Reason})")]
    private partial void LogAudienceFailed(string accountId, string reason);
}
