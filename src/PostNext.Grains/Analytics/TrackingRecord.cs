using System.Globalization;
using Orleans.Serialization;
using Orleans.Storage;
using PostNext.Abstractions.Analytics;
using PostNext.Abstractions.Posts;
using PostNext.Grains.Posts;
using PostNext.Storage.Calendar;

namespace PostNext.Grains.Analytics;

/// <summary>
/// A publication's metrics tracking kept in its calendar row, beside the publication: the state, and when the next
/// reading is due (read by the due buckets, so no reminder per post). The publication's own write that records the
/// publish sets the first reading; until the tracking's first write the state is made from the published publication.
/// Trackings stored in Orleans grain storage before this (their row has neither a state nor a reading time) are read
/// from there once and move over with their next write. The tracking revision is the ETag.
/// </summary>
public sealed class TrackingRecord(
    string postId,
    string accountId,
    GrainId grainId,
    ICalendarStore calendar,
    Serializer<PostMetricsState> serializer,
    Serializer<PublicationState> publications,
    IGrainStorage legacy,
    Func<TrackPost, PostMetricsState> start,
    Func<PostMetricsState, DateTimeOffset?> nextReading) : IPersistentState<PostMetricsState>
{
    public const string LegacyStateName = "post-metrics";

    private long _stored;

    public PostMetricsState State { get; set; } = new();

    public string? Etag => _stored.ToString(CultureInfo.InvariantCulture);

    public bool RecordExists { get; private set; }

    /// <summary>True when the state came from Orleans grain storage: its old reminder is still registered.</summary>
    public bool FromLegacy { get; private set; }

    public async Task ReadStateAsync()
    {
        var stored = await calendar.LoadTrackingAsync(postId, accountId);
        _stored = stored?.Revision ?? 0;
        FromLegacy = false;
        if (stored?.State is { } bytes)
        {
            State = serializer.Deserialize(bytes) ?? new PostMetricsState();
            RecordExists = true;
            return;
        }

        if (stored is { NextAt: not null, PublicationState: { } publication }
            && publications.Deserialize(publication) is { Status: PublicationStatus.Published, PublishedAt: { } publishedAt } p)
        {
            // Published since tracking moved here: the first reading starts from the publication.
            State = start(new TrackPost(p.WorkspaceId, p.PostId, p.AccountId, p.Platform, p.ExternalId ?? "", publishedAt, p.Content));
            RecordExists = true;
            return;
        }

        var old = new GrainState<PostMetricsState>();
        await legacy.ReadStateAsync(LegacyStateName, grainId, old);
        State = old.RecordExists && old.State is { } kept ? kept : new PostMetricsState();
        RecordExists = old.RecordExists;
        FromLegacy = old.RecordExists;
    }

    public async Task WriteStateAsync()
    {
        var s = State;
        var entry = new TrackingEntry(s.WorkspaceId, s.PostId, s.AccountId, s.Platform, s.PublishedAt, nextReading(s), _stored + 1);
        if (!await calendar.SaveTrackingAsync(entry, serializer.SerializeToArray(s), _stored))
        {
            throw new InconsistentStateException(
                $"The metrics tracking of {postId}~{accountId} was written by another activation (expected revision {_stored}).", "newer", Etag ?? "");
        }

        _stored = entry.Revision;
        RecordExists = true;
    }

    public Task ClearStateAsync() => throw new NotSupportedException("A tracking ends with its calendar row.");

    public Task ReadStateAsync(CancellationToken cancellationToken) => ReadStateAsync();

    public Task WriteStateAsync(CancellationToken cancellationToken) => WriteStateAsync();

    public Task ClearStateAsync(CancellationToken cancellationToken) => ClearStateAsync();
}
