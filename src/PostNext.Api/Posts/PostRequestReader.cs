using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.AspNetCore.Http;
using Orleans;
using PostNext.Abstractions;
using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Analytics;
using PostNext.Abstractions.Posts;
using PostNext.Abstractions.Scheduling;
using PostNext.Abstractions.Workspaces;
using PostNext.Api.Analytics;
using PostNext.Api.Apis;
using PostNext.Api.Contracts;
using PostNext.Api.Http;
using Microsoft.Extensions.Options;
using PostNext.Abstractions.Platforms;
using PostNext.Content.Addresses;
using PostNext.Content.Media;
using PostNext.Content.Options;
using PostNext.Content.Rules;

namespace PostNext.Api.Posts;

/// <summary>
/// Turns a post request into a command: checks its shape, the accounts, the schedule and every target's platform
/// rules, and resolves each target's time (queue slots included). Nothing is stored until all of it passes.
/// </summary>
public sealed partial class PostRequestReader(IGrainFactory grains, PlatformLimitsCatalog limits, TimeProvider time, IOptions<MediaOptions> media, MediaChecker mediaChecker)
{
    public const int MaxTargets = 50;
    public const int MaxMedia = 35;
    public const int MaxTextLength = 100_000;
    public const int MaxMediaUrlLength = 2048;

    private readonly OutboundAddressPolicy _mediaAddresses = new(media.Value.AllowPrivateNetworks);

    public static class Modes
    {
        public const string At = "at";
        public const string Now = "now";
        public const string Queue = "queue";
        public const string BestTime = "best_time";
    }

    /// <summary>The request resolved to targets with times, or the 400/422 answer explaining everything wrong with it.</summary>
    public async Task<(PostContent Content, IReadOnlyList<TargetSpec> Targets, bool Draft, string TimeZone, string Mode, IResult? Error)> ReadAsync(
        WorkspaceView workspace, ContentDto? contentDto, IReadOnlyList<TargetDto>? targetDtos, ScheduleDto? schedule, bool draft,
        IReadOnlyDictionary<string, DateTimeOffset?>? keepTimes = null, string? keepMode = null, string? keepZone = null)
    {
        var errors = new RequestErrors();
        var content = ReadContent(contentDto, errors);
        var targets = ReadTargets(targetDtos, errors);
        var zoneId = schedule?.TimeZone?.Trim() ?? keepZone ?? workspace.TimeZone;
        var zone = LocalTimes.FindZone(zoneId);
        if (zone is null)
        {
            errors.Add("schedule.timeZone", $"'{zoneId}' is not a known IANA time zone.");
        }

        var now = time.GetUtcNow();
        var (mode, at) = ReadSchedule(schedule, zone, now, draft, keepTimes is not null, errors);
        var window = mode == Modes.BestTime ? BestTimeWindow.Read(schedule!.Window, zone, now, errors) : null;
        var accounts = await LoadAccountsAsync(workspace.Id, targets, errors);
        if (errors.Any)
        {
            return (content, [], draft, zoneId, mode ?? "", Problems.Invalid(errors));
        }

        var options = targets.ToDictionary(
            t => t.AccountId,
            t => TargetOptionsReader.Read(t.Options, accounts[t.AccountId].Platform, $"targets[{t.Index}].options", _mediaAddresses, errors,
                (media, field) => ReadMedia(media, field, errors)),
            StringComparer.Ordinal);
        if (errors.Any)
        {
            return (content, [], draft, zoneId, mode ?? "", Problems.Invalid(errors));
        }

        var violations = targets
            .SelectMany(t => Violations(accounts[t.AccountId], content.With(t.Overrides, options[t.AccountId])))
            .Concat(targets.SelectMany(t => OptionRules.CheckAccount(accounts[t.AccountId].Platform, accounts[t.AccountId].ExternalId, options[t.AccountId])
                .Select(v => new ViolationDto(t.AccountId, accounts[t.AccountId].Platform, v.Code, v.Field, v.Message))))
            .ToList();
        if (violations.Count == 0 && !draft)
        {
            // What the platform offers the account now (TikTok's creator_info); checked again right before publishing.
            var (offered, unavailable) = await OfferedViolationsAsync(targets.Select(t => (accounts[t.AccountId], options[t.AccountId])));
            if (unavailable is not null)
            {
                return (content, [], draft, zoneId, mode ?? "", unavailable);
            }

            violations.AddRange(offered);
            if (violations.Count == 0)
            {
                violations = await MediaViolationsAsync(targets.Select(t => (accounts[t.AccountId], content.With(t.Overrides, options[t.AccountId]))).ToList());
            }
        }

        if (violations.Count > 0)
        {
            return (content, [], draft, zoneId, mode ?? "", TypedResults.Problem(
                statusCode: StatusCodes.Status422UnprocessableEntity,
                title: "The post breaks platform rules",
                detail: $"{violations.Count} rule(s) broken; see 'violations' (per target). Nothing was stored.",
                extensions: new Dictionary<string, object?> { ["violations"] = violations }));
        }

        var resolved = new List<TargetSpec>();
        foreach (var target in targets)
        {
            var platform = accounts[target.AccountId].Platform;
            DateTimeOffset? due = mode switch
            {
                Modes.At => at,
                Modes.Now => now,
                Modes.Queue when !draft => await grains.GetGrain<IWorkspaceGrain>(workspace.Id).ReserveQueueSlotAsync(target.AccountId, now),
                Modes.BestTime when !draft => await grains.GetGrain<IAccountEngagementGrain>(target.AccountId).ReserveBestTimeAsync(window!.Value.From, window.Value.To),
                _ => keepTimes?.GetValueOrDefault(target.AccountId),
            };
            if (mode == Modes.Queue && !draft && due is null)
            {
                errors.Add("schedule.mode", $"Account {target.AccountId} has no free queue slot; set its queue with PUT …/accounts/{target.AccountId}/queue.");
            }

            if (mode == Modes.BestTime && !draft && due is null)
            {
                errors.Add("schedule.window", $"Account {target.AccountId} has no free slot in the window (posts of one account stay at least the minimum gap apart).");
            }

            if (due is null && !draft && mode is null)
            {
                errors.Add("schedule", $"Target {target.AccountId} has no time yet: give a schedule.");
            }

            resolved.Add(new TargetSpec(target.AccountId, platform, target.Overrides, due, options[target.AccountId]));
        }

        return errors.Any
            ? (content, [], draft, zoneId, mode ?? "", Problems.Invalid(errors))
            : (content, resolved, draft, zoneId, mode ?? keepMode ?? Modes.At, null);
    }

    /// <summary>
    /// The choices each TikTok target made, against what creator_info offers its account now; or a 503 when TikTok
    /// cannot be asked (nothing is stored unchecked).
    /// </summary>
    private async Task<(List<ViolationDto> Violations, IResult? Unavailable)> OfferedViolationsAsync(IEnumerable<(AccountView Account, PostOptions? Options)> targets)
    {
        var checks = targets
            .Where(t => t.Account.Platform == PlatformIds.TikTok && t.Options?.TikTok is { PrivacyLevel.Length: > 0 })
            .Select(async t => (t.Account, t.Options!.TikTok!, await grains.GetGrain<IPublishingChoicesGrain>(t.Account.Id).ReadAsync()))
            .ToList();
        var violations = new List<ViolationDto>();
        foreach (var (account, tikTok, result) in await Task.WhenAll(checks))
        {
            if (result.Problem is { } problem)
            {
                return ([], TypedResults.Problem(
                    statusCode: StatusCodes.Status503ServiceUnavailable, title: "The platform could not be asked",
                    detail: $"TikTok could not be asked which privacy levels account {account.Id} may use ({problem}). Nothing was stored; try again."));
            }

            if (result.Choices is { } choices)
            {
                violations.AddRange(OptionRules.CheckOffered(tikTok, choices)
                    .Select(v => new ViolationDto(account.Id, account.Platform, v.Code, v.Field, v.Message)));
            }
        }

        return (violations, null);
    }

    private IEnumerable<ViolationDto> Violations(AccountView account, PostContent content) =>
        ContentRules.Validate(account.Platform, content, limits.For(account.Platform))
            .Select(v => new ViolationDto(account.Id, account.Platform, v.Code, v.Field, v.Message));

    // Each file read from its own headers, once per post: a file that cannot be fetched is a violation too (media_unavailable),
    // so a post is accepted only with files that were seen to pass. Drafts are checked when they get a schedule.
    private async Task<List<ViolationDto>> MediaViolationsAsync(List<(AccountView Account, PostContent Content)> targets)
    {
        var inspections = await mediaChecker.InspectAsync(targets.Select(t => (t.Account.Platform, t.Content)), CancellationToken.None);
        return targets
            .SelectMany(t => mediaChecker.Check(t.Account.Platform, t.Content, inspections)
                .Select(v => new ViolationDto(t.Account.Id, t.Account.Platform, v.Code, v.Field, v.Message)))
            .ToList();
    }

    private PostContent ReadContent(ContentDto? dto, RequestErrors errors)
    {
        if (dto is null)
        {
            errors.Add("content", "content is required: {text, media?, title?}.");
            return PostContent.Empty;
        }

        var text = dto.Text ?? "";
        if (text.Length > MaxTextLength)
        {
            errors.Add("content.text", $"The text is longer than {MaxTextLength} characters.");
        }

        return new PostContent(text, ReadMedia(dto.Media, "content.media", errors) ?? [], string.IsNullOrWhiteSpace(dto.Title) ? null : dto.Title);
    }

    private IReadOnlyList<MediaItem>? ReadMedia(IReadOnlyList<MediaDto>? media, string field, RequestErrors errors)
    {
        if (media is null)
        {
            return null;
        }

        if (media.Count > MaxMedia)
        {
            errors.Add(field, $"At most {MaxMedia} media items.");
        }

        var items = new List<MediaItem>();
        for (var i = 0; i < media.Count; i++)
        {
            var m = media[i];
            if (m is null || m.Url is not { Length: <= MaxMediaUrlLength } || !Uri.TryCreate(m.Url, UriKind.Absolute, out var uri) ||
                (uri.Scheme != Uri.UriSchemeHttps && uri.Scheme != Uri.UriSchemeHttp) || uri.UserInfo.Length > 0)
            {
                errors.Add($"{field}[{i}].url", $"An absolute http(s) URL of at most {MaxMediaUrlLength} characters, without credentials, is required.");
                continue;
            }

            if (_mediaAddresses.CheckHost(uri) is { } refused)
            {
                // Names are resolved again on every download; this refuses the obvious at once.
                errors.Add($"{field}[{i}].url", refused);
                continue;
            }

            if (!ApiNames.TryParse<MediaType>(m.Type, out var type))
            {
                errors.Add($"{field}[{i}].type", $"type must be one of: {ApiNames.All<MediaType>()}.");
                continue;
            }

            items.Add(new MediaItem(uri.ToString(), type));
        }

        return items;
    }

    /// <summary>A target as the request gave it: its position, account, overrides and options (read once its platform is known).</summary>
    private sealed record RequestedTarget(int Index, string AccountId, ContentOverrides? Overrides, TargetOptionsDto? Options);

    private List<RequestedTarget> ReadTargets(IReadOnlyList<TargetDto>? dtos, RequestErrors errors)
    {
        var targets = new List<RequestedTarget>();
        if (dtos is null || dtos.Count == 0)
        {
            errors.Add("targets", "At least one target account is required.");
            return targets;
        }

        if (dtos.Count > MaxTargets)
        {
            errors.Add("targets", $"At most {MaxTargets} targets.");
        }

        for (var i = 0; i < dtos.Count; i++)
        {
            var id = dtos[i]?.AccountId?.Trim();
            if (string.IsNullOrEmpty(id))
            {
                errors.Add($"targets[{i}].accountId", "accountId is required.");
                continue;
            }

            if (targets.Any(t => t.AccountId == id))
            {
                errors.Add($"targets[{i}].accountId", "Each account may be targeted once per post.");
                continue;
            }

            var o = dtos[i]!.Overrides;
            var overrides = o is null
                ? null
                : new ContentOverrides(o.Text, ReadMedia(o.Media, $"targets[{i}].overrides.media", errors), o.Title);
            targets.Add(new RequestedTarget(i, id, overrides, dtos[i]!.Options));
        }

        return targets;
    }

    private (string? Mode, DateTimeOffset? At) ReadSchedule(
        ScheduleDto? schedule, TimeZoneInfo? zone, DateTimeOffset now, bool draft, bool isUpdate, RequestErrors errors)
    {
        if (schedule is null)
        {
            if (!draft && !isUpdate)
            {
                errors.Add("schedule", "schedule is required: {\"at\": \"2026-12-01T09:00:00+01:00\"}, {\"mode\": \"now\"} or {\"mode\": \"queue\"}; or send \"draft\": true.");
            }

            return (null, null);
        }

        var mode = schedule.Mode?.Trim().ToLowerInvariant() ?? (schedule.At is null ? null : Modes.At);
        switch (mode)
        {
            case Modes.Now or Modes.Queue or Modes.BestTime when schedule.At is not null:
                errors.Add("schedule.at", $"Give either 'at' or mode '{mode}', not both.");
                return (mode, null);
            case Modes.Now or Modes.Queue or Modes.BestTime:
                return (mode, null);
            case Modes.At:
                break;
            default:
                errors.Add("schedule.mode", "mode must be 'now', 'queue' or 'best_time' (or give 'at').");
                return (null, null);
        }

        if (!TryParseInstant(schedule.At, zone, out var at, out var problem))
        {
            errors.Add("schedule.at", problem);
            return (mode, null);
        }

        if (at <= now)
        {
            errors.Add("schedule.at", $"{at:O} is in the past; use a future time or {{\"mode\": \"now\"}}.");
        }

        return (mode, at.ToUniversalTime());
    }

    /// <summary>An ISO 8601 instant with offset, or a local time read in the schedule's time zone (DST-aware).</summary>
    internal static bool TryParseInstant(string? text, TimeZoneInfo? zone, out DateTimeOffset at, out string problem)
    {
        at = default;
        problem = "at must be an ISO 8601 date-time, e.g. '2026-12-01T09:00:00+01:00' (or a local time with schedule.timeZone).";
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        text = text.Trim();
        if (HasOffset().IsMatch(text))
        {
            return DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out at);
        }

        if (zone is null || !DateTime.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.None, out var local))
        {
            return false;
        }

        if (LocalTimes.IsSkipped(local, zone))
        {
            problem = $"{text} does not exist in {zone.Id} (the clocks skip it for daylight saving time).";
            return false;
        }

        at = LocalTimes.ToInstant(local, zone);
        return true;
    }

    private async Task<Dictionary<string, AccountView>> LoadAccountsAsync(
        string workspaceId, List<RequestedTarget> targets, RequestErrors errors)
    {
        var found = await Task.WhenAll(targets.Select(t => AccountsApi.FindAsync(grains, workspaceId, t.AccountId)));
        var accounts = new Dictionary<string, AccountView>(StringComparer.Ordinal);
        for (var i = 0; i < targets.Count; i++)
        {
            if (found[i] is { } account)
            {
                accounts[account.Id] = account;
            }
            else
            {
                errors.Add($"targets[{i}].accountId", $"No account '{targets[i].AccountId}' in this workspace.");
            }
        }

        return accounts;
    }

    [GeneratedRegex(@"(Z|[+-]\d{2}:?\d{2})$", RegexOptions.IgnoreCase)]
    private static partial Regex HasOffset();
}
