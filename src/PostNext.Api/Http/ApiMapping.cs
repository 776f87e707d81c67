using PostNext.Abstractions.Accounts;
using PostNext.Abstractions.Posts;
using PostNext.Abstractions.Workspaces;
using PostNext.Api.Analytics;
using PostNext.Api.Contracts;
using PostNext.Api.Posts;

namespace PostNext.Api.Http;

/// <summary>From grain views to the JSON the API returns.</summary>
public static class ApiMapping
{
    public static WorkspaceResponse ToResponse(this WorkspaceView w) =>
        new(w.Id, w.Name, w.TimeZone, w.CreatedAt, w.ApiKeys.Select(ToResponse).ToList());

    public static ApiKeyResponse ToResponse(this ApiKeyView k) => new(k.Id, k.Label, k.Prefix, k.CreatedAt, k.RevokedAt, k.Scopes);

    public static AccountResponse ToResponse(this AccountView a) => new(
        a.Id, a.Platform, a.Handle, a.DisplayName, a.ExternalId, ApiNames.Of(a.Status), a.CreatedAt,
        a.Sandbox is { } s ? new SandboxSettings(s.LatencyMs, s.FailureRate, s.UnknownOutcomeRate, s.Followers, SandboxAudienceText.Day(s.PeakDay), s.PeakHour, s.TimeZone,
            s.RateLimitRate, s.RateLimitResetSeconds) : null,
        a.TokenExpiresAt, a.StatusReason);

    public static PostResponse ToResponse(this PostView p) => new(
        p.Id, ApiNames.Of(p.Status), ToDto(p.Content), p.Targets.Select(ToResponse).ToList(), p.TimeZone, p.ScheduleMode,
        p.CreatedAt, p.UpdatedAt);

    public static ContentDto ToDto(this PostContent c) => new(c.Text, c.Title, c.Media.Select(ToDto).ToList());

    private static PostTargetResponse ToResponse(PostTargetView t)
    {
        var p = t.Publication;
        return new PostTargetResponse(
            t.AccountId, t.Platform, p is null ? "draft" : ApiNames.Of(p.Status), t.ScheduledAt, p?.DeferredUntil, p?.DeferReason,
            p?.ExternalId, p?.Permalink, p?.PublishedAt, p?.Error is { } e ? new ErrorDto(ApiNames.Of(e.Category), e.Message) : null,
            p?.Late ?? false, p?.Attempts ?? 0,
            t.Overrides is { } o ? new OverridesDto(o.Text, o.Title, o.Media?.Select(ToDto).ToList()) : null,
            TargetOptionsReader.ToDto(t.Options),
            p?.Parts?.Select(part => new PublicationPartDto(part.Index, part.Kind, part.Status, part.ExternalId, part.Permalink, part.Error)).ToList());
    }

    private static MediaDto ToDto(MediaItem m) => new(m.Url, ApiNames.Of(m.Type));
}
