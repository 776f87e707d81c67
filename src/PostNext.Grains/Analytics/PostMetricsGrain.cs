using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using PostNext.Abstractions;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Analytics;
using PostNext.Abstractions.Posts;
using PostNext.Platforms;
using PostNext.Platforms.Common;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Serialization;
using Orleans.Storage;
using PostNext.Grains.Posts;
using PostNext.Grains.Scheduling;
using PostNext.Storage.Analytics;
using PostNext.Storage.Calendar;

namespace PostNext.Grains.Analytics;

/// <summary>
/// Reads one published publication's metrics on the decaying schedule. Its state and next reading live in the
/// publication's calendar row (<see cref="TrackingRecord"/>); the due bucket of that time wakes it, so tracking a post
/// costs no reminder and starts with the publish's own write. Every reading is kept in the snapshot store and the latest
/// goes to the account's engagement grain. Readings missed while the cluster was down collapse into one reading on return.
/// </summary>
public sealed partial class PostMetricsGrain(
    ICalendarStore calendar,
    Serializer<PostMetricsState> serializer,
    Serializer<PublicationState> publications,
    IServiceProvider services,
    ArmedBuckets armedBuckets,
    PlatformConnectors connectors,
    IMetricsStore store,
    AnalyticsClock clock,
    IOptions<AnalyticsOptions> options,
    ILogger<PostMetricsGrain> logger) : Grain, IPostMetricsGrain, IRemindable
{
    /// <summary>The reminder of trackings stored before the due buckets drove them: dropped on its next tick.</summary>
    public const string ReminderName = "metrics";

    /// <summary>Text kept with the tracked post (kind and hashtags are taken from the full text first).</summary>
    public const int MaxKeptText = 2_200;

    /// <summary>The reading nearest this mark gives the first-hour velocity…</summary>
    private static readonly TimeSpan FirstHourMark = TimeSpan.FromMinutes(60);

    /// <summary>…if it was taken within this long after publishing.</summary>
    private static readonly TimeSpan FirstHourTolerance = TimeSpan.FromMinutes(75);

    private static readonly TimeSpan MinimumDue = TimeSpan.FromSeconds(1);

    private IReadOnlyList<TimeSpan>? _offsets;

    private IReadOnlyList<TimeSpan> Offsets => _offsets ??= MetricsSchedule.Offsets(options.Value);

    private TrackingRecord state = null!;

    private PostMetricsState S => state.State;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        var key = this.GetPrimaryKeyString();
        var separator = key.IndexOf('~', StringComparison.Ordinal);
        state = new TrackingRecord(key[..separator], key[(separator + 1)..], this.GetGrainId(), calendar, serializer, publications,
            services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Grains), NewState, s => NextReadingAt(s));
        await state.ReadStateAsync();
    }

    public async Task<MetricsProgress> StartAsync(TrackPost command)
    {
        if (state.RecordExists)
        {
            return Progress();
        }

        state.State = NewState(command);
        await state.WriteStateAsync();
        await ArmAsync(); // the account's aggregate hears of the post with its first reading: publishing never waits on it
        return Progress();
    }

    /// <summary>
    /// An activation made before its publication was published (someone asked for the post's metrics while it was
    /// scheduled) read no record; the row may hold one now, so it reads again until it finds it.
    /// </summary>
    private async Task CatchUpAsync()
    {
        if (!state.RecordExists)
        {
            await state.ReadStateAsync();
        }
    }

    public async Task WakeAsync()
    {
        try
        {
            await CollectDueAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogWakeFailed(ex, this.GetPrimaryKeyString()); // the due bucket wakes it again
        }
    }

    private static PostMetricsState NewState(TrackPost command)
    {
        var content = command.Content;
        return new PostMetricsState
        {
            WorkspaceId = command.WorkspaceId,
            PostId = command.PostId,
            AccountId = command.AccountId,
            Platform = command.Platform,
            ExternalId = command.ExternalId,
            PublishedAt = command.PublishedAt.ToUniversalTime(),
            Content = content.Text.Length > MaxKeptText ? content with { Text = content.Text[..MaxKeptText] } : content,
            Kind = PostTraits.KindOf(content),
            Hashtags = [.. PostTraits.HashtagsIn(content.Text)],
        };
    }

    public async Task<MetricsProgress> CollectDueAsync()
    {
        await CatchUpAsync();
        if (!state.RecordExists || S.Finished)
        {
            return Progress();
        }

        var now = clock.UtcNow;
        if (NextReadingAt() is not { } due || now < due)
        {
            return Progress();
        }

        var (metrics, error, giveUp) = await ReadAsync();
        if (metrics is null)
        {
            S.Failures++;
            S.LastError = error;
            S.Finished = giveUp || S.Failures >= options.Value.MaxFailures;
            S.RetryAt = now + options.Value.RetryDelay;
            LogReadingFailed(S.PostId, S.AccountId, S.Failures, error ?? "");
            await state.WriteStateAsync();
            await ArmAsync();
            return Progress();
        }

        S.Failures = 0;
        S.LastError = null;
        S.RetryAt = null;
        S.Readings++;
        S.Latest = metrics;
        NoteFirstHour(metrics);
        while (S.NextIndex < Offsets.Count && S.PublishedAt + Offsets[S.NextIndex] <= now)
        {
            S.NextIndex++;
        }

        S.Finished = S.NextIndex >= Offsets.Count;
        await store.AddPostSnapshotAsync(new PostSnapshot(S.WorkspaceId, S.PostId, S.AccountId, S.Platform, metrics));
        await state.WriteStateAsync();
        await Engagement.RecordPostAsync(Reading());
        await ArmAsync();
        return Progress();
    }

    public async Task<PostMetricsSeries?> GetSeriesAsync()
    {
        await CatchUpAsync();
        if (!state.RecordExists)
        {
            return null;
        }

        var readings = await store.ListPostSnapshotsAsync(S.PostId, S.AccountId, limit: Math.Max(1000, Offsets.Count * 4));
        return new PostMetricsSeries(
            S.PostId, S.AccountId, S.Platform, S.PublishedAt, S.Kind, S.FirstHourLikesPerMinute, Progress(),
            readings.Select(r => r.Metrics).ToList());
    }

    /// <summary>A tracking's reminder from before the due buckets: moves the tracking to its calendar row, then drops the reminder.</summary>
    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != ReminderName)
        {
            return;
        }

        if (state.FromLegacy && !S.Finished)
        {
            await state.WriteStateAsync();
            await ArmAsync();
        }

        if (await this.GetReminder(ReminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }

        await CollectDueAsync();
    }

    private IAccountEngagementGrain Engagement => GrainFactory.GetGrain<IAccountEngagementGrain>(S.AccountId);

    /// <summary>Reads the platform; on failure says why and whether to stop for good (the account is gone).</summary>
    private async Task<(PostMetrics? Metrics, string? Error, bool GiveUp)> ReadAsync()
    {
        var identity = await GrainFactory.GetGrain<IAccountGrain>(S.AccountId).GetPublishingIdentityAsync();
        if (identity is null)
        {
            return (null, "The account was removed.", true);
        }

        if (identity.Status != AccountStatus.Connected || connectors.Find(S.Platform) is not { } connector)
        {
            return (null, $"The account cannot be read ({identity.Status}).", false);
        }

        try
        {
            using var timeout = new CancellationTokenSource(TimeSpan.FromMinutes(1));
            var result = await connector.ReadPostMetricsAsync(new PostMetricsRequest(identity, S.ExternalId, S.PublishedAt, S.Content), timeout.Token);
            return result.Value is { } value
                ? (value, null, false)
                : (null, result.Error?.Message ?? "No metrics.", result.Error?.Category == ErrorCategory.InvalidContent);
        }
        catch (Exception ex) when (ex is HttpRequestException or IOException or OperationCanceledException or PlatformException or NotSupportedException)
        {
            return (null, ex.Message, ex is NotSupportedException);
        }
    }

    /// <summary>Keeps the likes-per-minute of the reading nearest the 60-minute mark within the first 75 minutes.</summary>
    private void NoteFirstHour(PostMetrics metrics)
    {
        var elapsed = metrics.ReadAt - S.PublishedAt;
        if (elapsed <= TimeSpan.Zero || elapsed > FirstHourTolerance)
        {
            return;
        }

        var minutes = elapsed.TotalMinutes;
        if (S.FirstHourMinutes is { } kept && Math.Abs(kept - FirstHourMark.TotalMinutes) <= Math.Abs(minutes - FirstHourMark.TotalMinutes))
        {
            return;
        }

        S.FirstHourMinutes = minutes;
        S.FirstHourLikesPerMinute = metrics.Likes / minutes;
    }

    private DateTimeOffset? NextReadingAt() => NextReadingAt(S);

    private DateTimeOffset? NextReadingAt(PostMetricsState s) =>
        s.Finished || s.NextIndex >= Offsets.Count ? null : s.RetryAt ?? s.PublishedAt + Offsets[s.NextIndex];

    private PostReading Reading() =>
        new(S.PostId, S.PublishedAt, S.Kind, S.Hashtags, S.Latest, S.FirstHourLikesPerMinute);

    private MetricsProgress Progress() => state.RecordExists
        ? new MetricsProgress(true, S.Readings, NextReadingAt(), S.Finished, S.LastError)
        : new MetricsProgress(false, 0, null, false, null);

    /// <summary>Makes sure the due bucket of the next reading is armed (the row already says when it is).</summary>
    private async Task ArmAsync()
    {
        if (NextReadingAt() is { } next)
        {
            await armedBuckets.EnsureArmedAsync(S.PostId, S.AccountId, next);
        }
    }

    [LoggerMessage(Level = LogLevel.Information, Message = "Metrics of {PostId} on {AccountId}: reading failed ({Failures} in a row): {Detail}")]
    private partial void LogReadingFailed(string postId, string accountId, int failures, string detail);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Metrics of {PublicationKey}: a due reading failed; its due bucket wakes it again")]
    private partial void LogWakeFailed(Exception exception, string publicationKey);
}
