using PostNext.Abstractions.Posts;
using PostNext.Api.Contracts;
using PostNext.Content.Rules;

namespace PostNext.Web.Composer;

/// <summary>
/// One platform's preview of the post: its text as that platform will get it, the length the platform counts (X's
/// weighted length, code points, bytes…) against its limit, and every content rule it breaks: the very rules the API
/// applies when the post is saved (<see cref="ContentRules"/>), run while the person types.
/// </summary>
public sealed record PlatformPreview(string Platform, string Label, string Text, int Length, int? MaxLength, string Counting, IReadOnlyList<ContentViolation> Violations)
{
    public static IReadOnlyList<PlatformPreview> For(ComposerForm form, IReadOnlyList<AccountResponse> accounts, PlatformLimitsCatalog catalog)
    {
        var media = form.Media().Select(m => new MediaItem(m.Url ?? "", m.Type == "video" ? MediaType.Video : MediaType.Image)).ToList();
        var content = new PostContent(form.Text, media, form.Title.Length == 0 ? null : form.Title);
        var previews = new List<PlatformPreview>();
        foreach (var account in accounts.Where(a => form.Accounts.Contains(a.Id)))
        {
            var own = form.Overrides.TryGetValue(account.Id, out var text) ? content.With(new ContentOverrides(text)) : content;
            previews.Add(Build(account.Platform, $"{account.Platform} · @{account.Handle}", own, catalog));
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
        return new PlatformPreview(
            platform, label, content.Text, TextLength.Measure(content.Text, limits.TextCounting), limits.MaxTextLength,
            limits.TextCounting switch
            {
                TextCounting.TwitterWeighted => "weighted characters",
                TextCounting.Utf8Bytes => "bytes",
                _ => "characters",
            },
            ContentRules.Validate(platform, content, limits));
    }
}
