using PostNext.Abstractions;
using PostNext.Abstractions.Posts;

namespace PostNext.Grains.Posts;

/// <summary>A post and its targets. Publishing itself belongs to one publication grain per target.</summary>
public sealed class PostGrain(
    [PersistentState("post", StorageNames.Grains)] IPersistentState<PostState> state,
    TimeProvider time) : Grain, IPostGrain
{
    private const string Started = "Publishing has already started for this post; it can no longer be edited.";

    private string Id => this.GetPrimaryKeyString();

    private PostState S => state.State;

    private bool Exists => state.RecordExists && !S.Deleted;

    public override async Task OnActivateAsync(CancellationToken cancellationToken)
    {
        if (Exists && !S.Draft && !S.TargetsScheduled)
        {
            await ScheduleTargetsAsync(S.Targets);
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
            TargetsScheduled = command.Draft,
        };
        await state.WriteStateAsync();
        if (!S.Draft)
        {
            await ScheduleTargetsAsync(S.Targets);
        }

        return PostResult.Created(await ViewAsync());
    }

    public async Task<PostView?> GetAsync() => Exists ? await ViewAsync() : null;

    public Task<string?> GetFingerprintAsync() => Task.FromResult(state.RecordExists ? S.Fingerprint : null);

    public async Task<PostResult> UpdateAsync(UpdatePost command)
    {
        if (!Exists)
        {
            return PostResult.NotFound;
        }

        var publications = S.Draft ? [] : await PublicationsAsync(S.Targets);
        if (publications.Any(p => p is { } v && !v.Status.IsPending() && v.Status != PublicationStatus.Canceled))
        {
            return PostResult.Conflict(Started, await ViewAsync());
        }

        if (!S.Draft && publications.Count > 0 && publications.All(p => p?.Status == PublicationStatus.Canceled))
        {
            return PostResult.Conflict("The post is canceled; create a new one instead.", await ViewAsync());
        }

        var content = command.Content ?? S.Content;
        var targets = command.Targets ?? S.Targets;
        var draft = command.Draft ?? S.Draft;

        if (!S.Draft)
        {
            var change = await ApplyToPublicationsAsync(content, targets, draft);
            if (change is not null)
            {
                return PostResult.Conflict(change, await ViewAsync());
            }
        }

        var wasDraft = S.Draft;
        S.Content = content;
        S.Targets = [.. targets];
        S.Draft = draft;
        S.TimeZone = command.TimeZone ?? S.TimeZone;
        S.ScheduleMode = command.ScheduleMode ?? S.ScheduleMode;
        S.UpdatedAt = time.GetUtcNow();
        S.TargetsScheduled = draft || !wasDraft;
        await state.WriteStateAsync();
        if (wasDraft && !draft)
        {
            await ScheduleTargetsAsync(S.Targets);
        }

        return PostResult.Ok(await ViewAsync());
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

        var changes = await Task.WhenAll(S.Targets.Select(t => Publication(t.AccountId).CancelAsync()));
        if (changes.All(c => !c.Applied))
        {
            return PostResult.Conflict("Nothing left to cancel: every target has started publishing or finished.", await ViewAsync());
        }

        return PostResult.Ok(await ViewAsync());
    }

    public async Task<PostResult> PublishNowAsync()
    {
        if (!Exists)
        {
            return PostResult.NotFound;
        }

        if (S.Draft)
        {
            var now = time.GetUtcNow();
            S.Draft = false;
            S.Targets = S.Targets.Select(t => t with { DueAt = now }).ToList();
            S.ScheduleMode = "now";
            S.UpdatedAt = now;
            await state.WriteStateAsync();
            await ScheduleTargetsAsync(S.Targets);
        }

        var changes = await Task.WhenAll(S.Targets.Select(t => Publication(t.AccountId).PublishNowAsync()));
        if (changes.All(c => !c.Applied))
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

        if (!S.Draft)
        {
            var publications = await PublicationsAsync(S.Targets);
            if (publications.Any(p => p is { } v && v.Status != PublicationStatus.Canceled))
            {
                return PostResult.Conflict("Only drafts and canceled posts can be deleted; cancel it first.", await ViewAsync());
            }

            await Task.WhenAll(S.Targets.Select(t => Publication(t.AccountId).DeleteAsync()));
        }

        S.Deleted = true;
        S.UpdatedAt = time.GetUtcNow();
        await state.WriteStateAsync();
        return new PostResult(PostOutcome.Ok, null, null);
    }

    /// <summary>Moves scheduled publications to the new content/targets/time; returns a conflict message if one refused.</summary>
    private async Task<string?> ApplyToPublicationsAsync(PostContent content, IReadOnlyList<TargetSpec> targets, bool draft)
    {
        var removed = draft ? S.Targets : S.Targets.Where(old => targets.All(t => t.AccountId != old.AccountId)).ToList();
        foreach (var target in removed)
        {
            var cancel = await Publication(target.AccountId).CancelAsync();
            if (!cancel.Applied)
            {
                return cancel.Conflict;
            }

            await Publication(target.AccountId).DeleteAsync();
        }

        if (draft)
        {
            return null;
        }

        foreach (var target in targets)
        {
            var existing = S.Targets.FirstOrDefault(t => t.AccountId == target.AccountId);
            if (existing is null)
            {
                await ScheduleTargetsAsync([target], content);
                continue;
            }

            var edit = await Publication(target.AccountId).EditAsync(content.With(target.Overrides), target.DueAt);
            if (!edit.Applied)
            {
                return Started;
            }
        }

        return null;
    }

    private async Task ScheduleTargetsAsync(IReadOnlyList<TargetSpec> targets, PostContent? content = null)
    {
        content ??= S.Content;
        await Task.WhenAll(targets.Select(t => Publication(t.AccountId).ScheduleAsync(new SchedulePublication(
            S.WorkspaceId, Id, t.AccountId, t.Platform, content.With(t.Overrides), t.DueAt ?? time.GetUtcNow(), S.TimeZone))));
        if (!S.TargetsScheduled && ReferenceEquals(targets, S.Targets))
        {
            S.TargetsScheduled = true;
            await state.WriteStateAsync();
        }
    }

    private async Task<PostView> ViewAsync()
    {
        var publications = S.Draft ? S.Targets.Select(_ => (PublicationView?)null).ToList() : await PublicationsAsync(S.Targets);
        var targets = S.Targets
            .Select((t, i) => new PostTargetView(t.AccountId, t.Platform, t.Overrides, publications[i]?.ScheduledAt ?? t.DueAt, publications[i]))
            .ToList();
        var status = S.Draft
            ? PostStatus.Draft
            : PublicationStatuses.Derive(publications.Select(p => p?.Status ?? PublicationStatus.Scheduled).ToList());
        return new PostView(Id, S.WorkspaceId, status, S.Content, targets, S.TimeZone, S.ScheduleMode, S.CreatedAt, S.UpdatedAt);
    }

    private async Task<IReadOnlyList<PublicationView?>> PublicationsAsync(IReadOnlyList<TargetSpec> targets) =>
        await Task.WhenAll(targets.Select(t => Publication(t.AccountId).GetAsync()));

    private IPublicationGrain Publication(string accountId) => GrainFactory.GetGrain<IPublicationGrain>(PublicationKey.For(Id, accountId));
}
