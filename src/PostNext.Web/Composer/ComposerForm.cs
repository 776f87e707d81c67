using Microsoft.AspNetCore.Http;
using PostNext.Api.Contracts;

namespace PostNext.Web.Composer;

/// <summary>
/// What the composer's form holds, read from the posted fields and turned into the API's own post request (the API
/// decides whether it is valid). Field names: text, title, images, videos (one URL a line), accounts (checked ids),
/// override-{accountId}, thread-{accountId} (an X account's thread parts, see <see cref="ComposerFollowUps"/>),
/// comment-{accountId} (a first comment), options-{accountId} (hidden: the options the target was saved with), check (extra platforms to preview), mode (at, queue, best_time, now, draft), at, from, to.
/// </summary>
public sealed record ComposerForm(
    string Text, string Title, string Images, string Videos, IReadOnlyList<string> Accounts, IReadOnlyDictionary<string, string> Overrides,
    IReadOnlyDictionary<string, string> Threads, IReadOnlyDictionary<string, string> FirstComments, IReadOnlyDictionary<string, string> KeptOptions,
    IReadOnlyList<string> Checks, string Mode, string At, string From, string To)
{
    public static readonly ComposerForm Empty = new(
        "", "", "", "", [], new Dictionary<string, string>(), new Dictionary<string, string>(), new Dictionary<string, string>(), new Dictionary<string, string>(),
        [], "at", "", "", "");

    public static ComposerForm Read(IFormCollection form) => new(
        form["text"].ToString(), form["title"].ToString(), form["images"].ToString(), form["videos"].ToString(),
        form["accounts"].Where(a => !string.IsNullOrEmpty(a)).Select(a => a!).Distinct().ToList(),
        PerAccount(form, "override-"), PerAccount(form, "thread-"), PerAccount(form, "comment-"), PerAccount(form, "options-"),
        form["check"].Where(c => !string.IsNullOrEmpty(c)).Select(c => c!).Distinct().ToList(),
        form["mode"].ToString() is { Length: > 0 } mode ? mode : "at",
        form["at"].ToString(), form["from"].ToString(), form["to"].ToString());

    /// <summary>The post's own content (images first, then videos, in the order given).</summary>
    public ContentDto Content() => new(Text, Title.Length == 0 ? null : Title, Media());

    public IReadOnlyList<MediaDto> Media() =>
        [.. Lines(Images).Select(u => new MediaDto(u, "image")), .. Lines(Videos).Select(u => new MediaDto(u, "video"))];

    /// <summary>Each chosen account with its text override and what follows the post there (<paramref name="platformOf"/> an account's platform).</summary>
    public IReadOnlyList<TargetDto> Targets(Func<string, string?> platformOf) => Accounts
        .Select(a => new TargetDto(a, Overrides.TryGetValue(a, out var text) ? new OverridesDto(text, null, null) : null, OptionsFor(a, platformOf(a))))
        .ToList();

    /// <summary>The thread or first comment written for <paramref name="account"/> on <paramref name="platform"/>, as the API's target options.</summary>
    public TargetOptionsDto? OptionsFor(string account, string? platform) => platform is null
        ? null
        : ComposerFollowUps.Options(
            platform, ComposerFollowUps.Kept(KeptOptions.GetValueOrDefault(account)), Threads.GetValueOrDefault(account), FirstComments.GetValueOrDefault(account));

    public bool Draft => Mode == "draft";

    /// <summary>The schedule as the API reads it: local times in the workspace's zone, or a mode.</summary>
    public ScheduleDto? Schedule(string timeZone) => Mode switch
    {
        "draft" => null,
        "now" or "queue" => new ScheduleDto(null, Mode, timeZone),
        "best_time" => new ScheduleDto(null, Mode, timeZone, new BestTimeWindowDto(Local(From), Local(To))),
        _ => new ScheduleDto(Local(At), null, timeZone),
    };

    public CreatePostRequest ToCreate(string timeZone, Func<string, string?> platformOf) =>
        new(Content(), Targets(platformOf), Schedule(timeZone), Draft ? true : null);

    public UpdatePostRequest ToUpdate(string timeZone, Func<string, string?> platformOf) => new(Content(), Targets(platformOf), Schedule(timeZone), Draft);

    /// <summary>A datetime-local value (2026-12-01T09:00) as the API's local time; empty stays empty (the API says what is missing).</summary>
    private static string? Local(string value) => value.Length == 0 ? null : value.Length == 16 ? value + ":00" : value;

    private static Dictionary<string, string> PerAccount(IFormCollection form, string prefix) => form.Keys
        .Where(k => k.StartsWith(prefix, StringComparison.Ordinal) && form[k].ToString().Length > 0)
        .ToDictionary(k => k[prefix.Length..], k => form[k].ToString(), StringComparer.Ordinal);

    private static IEnumerable<string> Lines(string text) =>
        text.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
