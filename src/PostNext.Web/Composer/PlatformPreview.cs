using PostNext.Abstractions.Posts;
using PostNext.Api.Contracts;
using PostNext.Content.Rules;

namespace PostNext.Web.Composer;

/// <summary>
/// One platform's preview of the post: its text as that platform will get it, the length the platform counts (X's
/// weighted length, code points, bytes…) against its limit, what follows the post there (an X thread's parts, a first
/// comment) and every content rule it breaks: the very rules the API applies when the post is saved
/// (<see cref="ContentRules"/>), run while the person types.
/// </summary>
public sealed record PlatformPreview(
    string Platform, string Label, string Text, int Length, int? MaxLength, string Counting, IReadOnlyList<FollowUpPreview> FollowUps,
    IReadOnlyList<ContentViolation> Violations)
{
    public static IReadOnlyList<PlatformPreview> For(ComposerForm form, IReadOnlyList<AccountResponse> accounts, PlatformLimitsCatalog catalog)
    {
        var media = form.Media().Select(m => new MediaItem(m.Url ?? "", m.Type == "video" ? MediaType.Video : MediaType.Image)).ToList();
        var content = new PostContent(form.Text, media, form.Title.Length == 0 ? null : form.Title);
        var previews = new List<PlatformPreview>();
        foreach (var account in accounts.Where(a => form.Accounts.Contains(a.Id)))
        {
            var overrides = form.Overrides.TryGetValue(account.Id, out var text) ? new ContentOverrides(text) : null;
            var options = ComposerFollowUps.ToPostOptions(form.OptionsFor(account.Id, account.Platform), account.Platform);
            previews.Add(Build(account.Platform, $"{account.Platform} · @{account.Handle}", content.With(overrides, options), catalog));
        }

        foreach (var platform in form.Checks.Where(p => PostNext.Abstractions.Platforms.PlatformIds.IsKnown(p) && previews.All(x => x.Platform != p)))
        {
            previews.Add(Build(platform, $"{platform} (check only)", content, catalog));
        }

        return previews;
    }

    private static PlatformPreview Build(string platform, string label, PostContent content, PlatformLimitsCatalog catalog)
    {
        var limits = catalog.For(platform);
        var followUps = PostNext.Abstractions.Posts.FollowUps.Of(platform, content);
        return new PlatformPreview(
            platform, label, content.Text, TextLength.Measure(content.Text, limits.TextCounting), limits.MaxTextLength, UnitOf(limits.TextCounting),
            [.. followUps.Select(f => f.Kind == FollowUpKind.Reply
                ? new FollowUpPreview($"Thread part {f.Index + 1} of {followUps.Count + 1}", f.Text, TextLength.Measure(f.Text, limits.TextCounting), limits.MaxTextLength, UnitOf(limits.TextCounting))
                : new FollowUpPreview("First comment", f.Text, TextLength.CodePoints(f.Text), limits.MaxCommentLength, UnitOf(TextCounting.CodePoints)))],
            ContentRules.Validate(platform, content, limits));
    }

    private static string UnitOf(TextCounting counting) => counting switch
    {
        TextCounting.TwitterWeighted => "weighted characters",
        TextCounting.Utf8Bytes => "bytes",
        _ => "characters",
    };
}

/// <summary>One part shown after the post in its preview: a thread part or the first comment, with the length its platform counts.</summary>
public sealed record FollowUpPreview(string Label, string Text, int Length, int? MaxLength, string Counting);
