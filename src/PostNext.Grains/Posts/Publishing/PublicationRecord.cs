using System.Globalization;
using Orleans.Serialization;
using Orleans.Storage;
using PostNext.Abstractions.Calendar;
using PostNext.Abstractions.Posts;
using PostNext.Storage.Calendar;

namespace PostNext.Grains.Posts.Publishing;

/// <summary>
/// A publication's state kept in its calendar row: one statement writes the state and the row every calendar query,
/// the sweeper and the due dispatch read. The row's revision is the ETag: a write from a stale activation finds a
/// newer revision and fails with <see cref="InconsistentStateException"/>, exactly as Orleans grain storage would.
/// Publications stored before states moved to the row are read once from Orleans grain storage and move over with
/// their next write. A published publication's row also says when its first metrics reading is due, so the metrics
/// tracking starts with the same write that records the publish.
/// </summary>
public sealed class PublicationRecord(
    string postId,
    string accountId,
    GrainId grainId,
    ICalendarStore calendar,
    Serializer<PublicationState> serializer,
    IGrainStorage legacy,
    TimeSpan? firstReading) : IPersistentState<PublicationState>
{
    public const string LegacyStateName = "publication";

    /// <summary>The revision of the row as stored (0: no row yet).</summary>
    private long _stored;

    public PublicationState State { get; set; } = new();

    public string? Etag => _stored.ToString(CultureInfo.InvariantCulture);

    public bool RecordExists { get; private set; }

    public async Task ReadStateAsync()
    {
        var stored = await calendar.LoadAsync(postId, accountId);
        _stored = stored?.Revision ?? 0;
        if (stored?.State is { } bytes)
        {
            State = serializer.Deserialize(bytes) ?? new PublicationState();
            RecordExists = true;
            return;
        }

        if (stored is not null)
        {
            // A row from before states moved here: the state is still in Orleans grain storage.
            var old = new GrainState<PublicationState>();
            await legacy.ReadStateAsync(LegacyStateName, grainId, old);
            State = old.RecordExists && old.State is { } kept ? kept : new PublicationState();
            RecordExists = old.RecordExists;
            return;
        }

        State = new PublicationState();
        RecordExists = false;
    }

    public async Task WriteStateAsync()
    {
        var s = State;

        // A post out while the rest of its chain waits (a thread reply, a first comment) shows its time and permalink in the row.
        var post = s.PublishedAt is null ? ChainCheckpoints.Post(s.Checkpoints) : null;
        var entry = new CalendarEntry(
            s.WorkspaceId, s.PostId, s.AccountId, s.Platform, s.Status, s.DueAt,
            s.Status == PublicationStatus.Deferred && s.DeferredUntil is { } until ? until : s.DueAt,
            s.PublishedAt ?? post?.PublishedAt, s.Revision, PublicationPolicy.WakeAt(s),
            s.Status == PublicationStatus.Published && s.PublishedAt is { } published ? published + firstReading : null,
            CalendarEntry.Clip(s.Content.Text, CalendarEntry.SnippetLength),
            CalendarEntry.Clip(s.DeferReason, CalendarEntry.MessageLength),
            s.Permalink ?? post?.Permalink,
            s.Error is { } error ? error with { Message = CalendarEntry.Clip(error.Message, CalendarEntry.MessageLength)! } : null);
        if (s.Revision <= _stored)
        {
            throw new InvalidOperationException($"A publication write must carry a revision above the stored {_stored}.");
        }

        if (!await calendar.SaveAsync(entry, serializer.SerializeToArray(s), _stored))
        {
            throw new InconsistentStateException(
                $"Publication {postId}~{accountId} was written by another activation (expected revision {_stored}).", "newer", Etag ?? "");
        }

        _stored = s.Revision;
        RecordExists = true;
    }

    /// <summary>Publications are removed with their calendar row (<see cref="ICalendarStore.RemoveAsync"/>).</summary>
    public Task ClearStateAsync() => throw new NotSupportedException("A publication is deleted with its calendar row.");

    public Task ReadStateAsync(CancellationToken cancellationToken) => ReadStateAsync();

    public Task WriteStateAsync(CancellationToken cancellationToken) => WriteStateAsync();

    public Task ClearStateAsync(CancellationToken cancellationToken) => ClearStateAsync();
}
