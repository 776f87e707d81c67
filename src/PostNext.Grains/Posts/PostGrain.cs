using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Orleans.Serialization;
using Orleans.Storage;
using PostNext.Abstractions;
using PostNext.Abstractions.Posts;
using PostNext.Grains.Common;
using PostNext.Grains.Scheduling;
using PostNext.Storage.Posts;

namespace PostNext.Grains.Posts;

/// <summary>
/// A post and its targets. Publishing itself belongs to one publication grain per target. A change that touches the
/// publications is stored as a <see cref="PostFanOut"/> in the same write as the post change, then applied (every step
/// safe to repeat) and cleared. When applying fails the request fails and the fan-out stays stored: the next
/// activation, the next change of the post, or a reminder armed only after such a failure applies it again.
/// The post's state and its entry in the posts list are one row of the post store, written in one statement
/// (<see cref="PostRecord"/>).
/// </summary>
public sealed partial class PostGrain(
    IPostStore store,
    Serializer<PostState> serializer,
    IServiceProvider services,
    IOptions<SchedulingOptions> options,
    TimeProvider time,
    ILogger<PostGrain> logger) : Grain, IPostGrain, IRemindable
{
    /// <summary>Armed only when a fan-out failed; each tick applies it again until it is done.</summary>
    public const string RepairReminder = "fan-out-repair";

    private const string Started = "Publishing has already started for this post; it can no longer be edited.";

    private const string StartedMeanwhile =
        "Publishing started for a target while the post was being changed; that target keeps what it is published with, the others were changed.";

    private const string NothingToCancel = "Nothing left to cancel: every target has started publishing or finished.";

    private string Id => this.GetPrimaryKeyString();

    /// <summary>The state, kept in the post's row of the post store (loaded on activation).</summary>
    private PostRecord state = null!;

    private PostState S => state.State;

    private bool Exists => state.RecordExists && !S.Deleted;

    /// <summary>A fan-out of schedules was applied and cleared in memory but is still stored (see <see cref="RunFanOutAsync"/>).</summary>
    private bool _appliedStillStored;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        state = new PostRecord(Id, this.GetGrainId(), store, serializer, services.GetRequiredKeyedService<IGrainStorage>(StorageNames.Grains));
        await state.ReadStateAsync();
        if (!state.RecordExists)
        {
            return;
        }

        if (state.FromGrainStorage)
        {
            await MoveToRowAsync();
        }

        if (!S.Deleted && !S.Draft && !S.TargetsScheduled && S.FanOut is null)
        {
            S.FanOut = PostFanOut.Scheduling(S.Targets); // saved by an earlier version before its publications were scheduled
        }

        if (S.FanOut is not null)
        {
            try
            {
                // A fan-out of schedules is normally still stored after it was applied: repeating it changes nothing,
                // and a repair reminder (armed only after a failure) disarms itself on its next tick.
                await ApplyFanOutAsync(repairing: !S.FanOut.IsScheduleOnly, deactivateOnFailure: false);
            }
            catch (Exception ex) when (ex is not OutOfMemoryException)
            {
                // Logged and left to the repair reminder; reads still answer, and any change retries the fan-out first.
            }
        }
    }

    public async Task<PostResult> CreateAsync(CreatePost command)
    {
        if (state.RecordExists)
        {
            if (S.Fingerprint != command.Fingerprint)
            {
                return PostResult.Conflict("This Idempotency-Key was already used with a different request.");
            }

            if (S.Deleted)
            {
                return PostResult.Conflict("The post created with this Idempotency-Key has been deleted.");
            }

            await CompletePendingAsync();
            return PostResult.Ok(await ViewAsync());
        }

        var now = time.GetUtcNow();
        state.State = new PostState
        {
            WorkspaceId = command.WorkspaceId,
            Content = command.Content,
            Targets = [.. command.Targets],
            Draft = command.Draft,
            TimeZone = command.TimeZone,
            ScheduleMode = command.ScheduleMode,
            Fingerprint = command.Fingerprint,
            CreatedAt = now,
            UpdatedAt = now,
            TargetsScheduled = true,
            FanOut = command.Draft ? null : PostFanOut.Scheduling(command.Targets),
        };
        var applied = await SaveAndFanOutAsync();
        var view = await ViewAsync(applied.Scheduled);
        DropUnlessDueSoon(now);
        return PostResult.Created(view);
    }

    /// <summary>
    /// A post just created for later (or as a draft) gives its activation back, as its publications do: nothing runs in
    /// it until someone reads or changes it, and a million posts planned over a month then hold no memory. One due
    /// within <see cref="PublicationGrain.KeepActiveWithin"/> stays, to be looked at while it publishes.
    /// </summary>
    private void DropUnlessDueSoon(DateTimeOffset now)
    {
        if (S.FanOut is null && (S.Draft || S.Targets.All(t => t.DueAt is { } due && due - now > PublicationGrain.KeepActiveWithin)))
        {
            DeactivateOnIdle();
        }
    }

    public async Task<PostView?> GetAsync() => Exists ? await ViewAsync() : null;

    public Task<string?> GetFingerprintAsync() => Task.FromResult(state.RecordExists ? S.Fingerprint : null);

    public async Task<PostResult> UpdateAsync(UpdatePost command)
    {
        if (!Exists)
        {
            return PostResult.NotFound;
        }

        await CompletePendingAsync();
        var publications = S.Draft ? [] : await PublicationsAsync(S.Targets);
        if (publications.Any(p => p is { } v && !v.Status.IsPending() && v.Status != PublicationStatus.Canceled))
        {
            return PostResult.Conflict(Started, await ViewAsync());
        }

        if (!S.Draft && publications.Count > 0 && publications.All(p => p?.Status == PublicationStatus.Canceled))
        {
            return PostResult.Conflict("The post is canceled; create a new one instead.", await ViewAsync());
        }

        var targets = command.Targets ?? S.Targets;
        var draft = command.Draft ?? S.Draft;
        S.FanOut = PostFanOut.ForUpdate(S.Targets, S.Draft, targets, draft);
        S.Content = command.Content ?? S.Content;
        S.Targets = [.. targets];
        S.Draft = draft;
        S.TimeZone = command.TimeZone ?? S.TimeZone;
        S.ScheduleMode = command.ScheduleMode ?? S.ScheduleMode;
        S.UpdatedAt = time.GetUtcNow();
        var applied = await SaveAndFanOutAsync();
        return applied.Refused > 0 ? PostResult.Conflict(StartedMeanwhile, await ViewAsync()) : PostResult.Ok(await ViewAsync());
    }

    public async Task<PostResult> CancelAsync()
    {
        if (!Exists)
        {
            return PostResult.NotFound;
        }

        if (S.Draft)
        {
            return PostResult.Conflict("A draft is not scheduled; delete it instead.", await ViewAsync());
        }

        var repairing = S.FanOut is not null;
        if (!repairing && (await PublicationsAsync(S.Targets)).All(p => p is { } v && !v.Status.IsPending() && v.Status != PublicationStatus.Canceled))
        {
            return PostResult.Conflict(NothingToCancel, await ViewAsync());
        }

        // Replaces an unfinished fan-out: a target whose publication does not exist yet is never scheduled.
        S.Canceled = true;
        S.FanOut = PostFanOut.Canceling(S.FanOut);
        var applied = await SaveAndFanOutAsync(repairing);
        return applied.Canceled == 0 ? PostResult.Conflict(NothingToCancel, await ViewAsync()) : PostResult.Ok(await ViewAsync());
    }

    public async Task<PostResult> PublishNowAsync()
    {
        if (!Exists)
        {
            return PostResult.NotFound;
        }

        await CompletePendingAsync();
        if (_appliedStillStored)
        {
            // Publishing now moves the targets' times: a stored fan-out repeated later must not move them back.
            await SaveAndFanOutAsync();
        }

        var wasDraft = S.Draft;
        if (wasDraft)
        {
            var now = time.GetUtcNow();
            S.Draft = false;
            S.Targets = S.Targets.Select(t => t with { DueAt = now }).ToList();
            S.ScheduleMode = "now";
            S.UpdatedAt = now;
            S.FanOut = PostFanOut.Scheduling(S.Targets);
            await SaveAndFanOutAsync();
        }

        // A target scheduled just now is due and starts on its own; asking it to start now only saves its timer's moment.
        var changes = await Task.WhenAll(S.Targets.Select(t => Publication(t.AccountId).PublishNowAsync()));
        if (!wasDraft && changes.All(c => !c.Applied))
        {
            return PostResult.Conflict("Nothing left to publish: every target has started publishing, finished or was canceled.", await ViewAsync());
        }

        return PostResult.Ok(await ViewAsync());
    }

    public async Task<PostResult> DeleteAsync()
    {
        if (!Exists)
        {
            return PostResult.NotFound;
        }

        await CompletePendingAsync();
        if (!S.Draft && (await PublicationsAsync(S.Targets)).Any(p => p is { } v && v.Status != PublicationStatus.Canceled))
        {
            return PostResult.Conflict("Only drafts and canceled posts can be deleted; cancel it first.", await ViewAsync());
        }

        S.Deleted = true;
        S.UpdatedAt = time.GetUtcNow();
        S.FanOut = S.Draft ? null : PostFanOut.Removing(S.Targets);
        await SaveAndFanOutAsync();
        return new PostResult(PostOutcome.Ok, null, null);
    }

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        if (reminderName != RepairReminder)
        {
            return;
        }

        if (!state.RecordExists || S.FanOut is null)
        {
            await DisarmRepairAsync();
            return;
        }

        await ApplyFanOutAsync(repairing: true);
    }

    /// <summary>Writes the post with its fan-out (a failed write changes nothing anywhere), then applies the fan-out.</summary>
    private async Task<FanOutResult> SaveAndFanOutAsync(bool repairing = false)
    {
        _appliedStillStored = false;
        await WriteAsync();
        return S.FanOut is null ? default : await ApplyFanOutAsync(repairing);
    }

    /// <summary>Writes the post with its entry in the posts list (one statement).</summary>
    private Task WriteAsync() => state.WriteOrReloadAsync(this, logger);

    /// <summary>
    /// A post stored before states moved to the post store is written there as soon as it is read, so it is listed
    /// with what it holds. A failure is logged: the post still answers from grain storage and moves with its next write.
    /// </summary>
    private async Task MoveToRowAsync()
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogMoveFailed(ex, Id);
        }
    }

    /// <summary>Finishes a fan-out left by an earlier failure before the post changes again; throws when it still fails.</summary>
    private async Task CompletePendingAsync()
    {
        if (S.FanOut is not null)
        {
            await ApplyFanOutAsync(repairing: true);
        }
    }

    /// <summary>
    /// Applies the stored fan-out and clears it. On failure it stays stored, the repair reminder is armed and the
    /// activation is dropped (so the next call starts from storage and repairs), and the exception surfaces.
    /// </summary>
    private async Task<FanOutResult> ApplyFanOutAsync(bool repairing, bool deactivateOnFailure = true)
    {
        FanOutResult result;
        try
        {
            result = await RunFanOutAsync(S.FanOut!);
        }
        catch (Exception ex)
        {
            LogFanOutFailed(ex, Id);
            await ArmRepairAsync();
            if (deactivateOnFailure)
            {
                DeactivateOnIdle();
            }

            throw;
        }

        if (repairing)
        {
            await DisarmRepairAsync();
        }

        return result;
    }

    private async Task<FanOutResult> RunFanOutAsync(PostFanOut fanOut)
    {
        var removed = await Task.WhenAll(fanOut.Remove.Select(RemoveAsync));
        var scheduled = await Task.WhenAll(fanOut.Schedule.Select(t => Publication(t.AccountId).ScheduleAsync(ScheduleCommand(t))));
        var edited = await Task.WhenAll(fanOut.Edit.Select(EditAsync));
        var canceled = fanOut.CancelAll ? await Task.WhenAll(S.Targets.Select(t => CancelAsync(t.AccountId))) : [];

        // A removed target that had already started cannot be stopped: it stays listed rather than publish unseen.
        var started = fanOut.Remove.Where((t, i) => !removed[i] && S.Targets.All(kept => kept.AccountId != t.AccountId));
        S.Targets = [.. S.Targets, .. started];
        S.FanOut = null;
        S.TargetsScheduled = true;
        if (fanOut.IsScheduleOnly)
        {
            // Only schedules, which are safe to repeat (a publication already scheduled just so ignores them): the
            // stored fan-out is cleared by the post's next write, and until then each activation repeats it. Creating a
            // post is one write.
            _appliedStillStored = true;
        }
        else
        {
            await WriteAsync();
        }

        return new FanOutResult(removed.Count(r => !r) + edited.Count(e => !e), canceled.Count(c => c), scheduled);
    }

    /// <summary>Cancels and deletes one target's publication; false when it had already started.</summary>
    private async Task<bool> RemoveAsync(TargetSpec target)
    {
        if (!await CancelAsync(target.AccountId))
        {
            return false;
        }

        await Publication(target.AccountId).DeleteAsync();
        return true;
    }

    /// <summary>Moves a pending publication to the post's content and the target's time (schedules it if it never existed); false when it had already started.</summary>
    private async Task<bool> EditAsync(TargetSpec target)
    {
        var edit = await Publication(target.AccountId).EditAsync(S.Content.With(target.Overrides, target.Options), target.DueAt);
        if (edit.Publication is null)
        {
            await Publication(target.AccountId).ScheduleAsync(ScheduleCommand(target));
            return true;
        }

        return edit.Applied;
    }

    /// <summary>True when the target's publication is canceled now or never existed; false when it had already started.</summary>
    private async Task<bool> CancelAsync(string accountId)
    {
        var cancel = await Publication(accountId).CancelAsync();
        return cancel.Applied || cancel.Publication is null;
    }

    private SchedulePublication ScheduleCommand(TargetSpec target) => new(
        S.WorkspaceId, Id, target.AccountId, target.Platform, S.Content.With(target.Overrides, target.Options), target.DueAt ?? time.GetUtcNow(), S.TimeZone);

    private async Task ArmRepairAsync()
    {
        try
        {
            await this.RegisterOrUpdateReminder(RepairReminder, options.Value.ReminderPeriod, options.Value.ReminderPeriod);
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogRepairReminderFailed(ex, Id); // the next activation or change of the post still repairs it
        }
    }

    private async Task DisarmRepairAsync()
    {
        try
        {
            if (await this.GetReminder(RepairReminder) is { } reminder)
            {
                await this.UnregisterReminder(reminder);
            }
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            LogRepairReminderFailed(ex, Id); // a tick that finds nothing pending unregisters it
        }
    }

    /// <param name="known">Publication views just returned by the publications themselves (not asked for again).</param>
    private async Task<PostView> ViewAsync(IReadOnlyList<PublicationView>? known = null)
    {
        var publications = S.Draft ? S.Targets.Select(_ => (PublicationView?)null).ToList() : await PublicationsAsync(S.Targets, known);
        var targets = S.Targets
            .Select((t, i) => new PostTargetView(t.AccountId, t.Platform, t.Overrides, publications[i]?.ScheduledAt ?? t.DueAt, publications[i], t.Options))
            .ToList();
        var status = PublicationStatuses.Of(S.Draft, canceled: false, publications.Select(p => p?.Status.CountedAs(p.Parts is [{ Status: "published" }, ..])).ToList());
        return new PostView(Id, S.WorkspaceId, status, S.Content, targets, S.TimeZone, S.ScheduleMode, S.CreatedAt, S.UpdatedAt);
    }

    /// <summary>Each target's publication; in a canceled post, one that was never created shows as canceled.</summary>
    private async Task<IReadOnlyList<PublicationView?>> PublicationsAsync(IReadOnlyList<TargetSpec> targets, IReadOnlyList<PublicationView>? known = null)
    {
        var views = await Task.WhenAll(targets.Select(t =>
            known?.FirstOrDefault(v => v.AccountId == t.AccountId) is { } view
                ? Task.FromResult<PublicationView?>(view)
                : Publication(t.AccountId).GetAsync()));
        return S.Canceled ? views.Select((v, i) => v ?? NeverScheduled(targets[i])).ToList() : views;
    }

    private PublicationView NeverScheduled(TargetSpec target) => new(
        Id, target.AccountId, target.Platform, PublicationStatus.Canceled, target.DueAt ?? S.UpdatedAt, null, null, null, null, null, null,
        false, 0, S.Content.With(target.Overrides, target.Options), S.TimeZone);

    private IPublicationGrain Publication(string accountId) => GrainFactory.GetGrain<IPublicationGrain>(PublicationKey.For(Id, accountId));

    /// <summary>Targets that refused a change because publishing had started, and targets canceled (or never created) by a cancel.</summary>
    private readonly record struct FanOutResult(int Refused, int Canceled, IReadOnlyList<PublicationView>? Scheduled = null);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Post {PostId}: applying its change to the publications failed; the change stays recorded and is applied again")]
    private partial void LogFanOutFailed(Exception exception, string postId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Post {PostId}: stored before posts moved to their own rows, it could not be moved yet; it moves with its next write")]
    private partial void LogMoveFailed(Exception exception, string postId);

    [LoggerMessage(Level = LogLevel.Warning, Message = "Post {PostId}: the fan-out repair reminder could not be armed or removed")]
    private partial void LogRepairReminderFailed(Exception exception, string postId);
}
