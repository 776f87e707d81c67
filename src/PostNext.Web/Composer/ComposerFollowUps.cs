using PostNext.Abstractions.Platforms;
using PostNext.Abstractions.Posts;
using PostNext.Api.Contracts;
using PostNext.Api.Http;
using PostNext.Api.Posts;
using PostNext.Content.Addresses;

namespace PostNext.Web.Composer;

/// <summary>
/// What the composer lets a person write after the post, where the platform takes it: an X thread (one text box, each
/// part after the post separated by a line holding only <see cref="Separator"/>) or a first comment (Instagram,
/// Facebook, LinkedIn, YouTube), turned into the target options the API reads (<c>options.x.thread</c>,
/// <c>options.&lt;platform&gt;.firstComment</c>).
/// </summary>
public static class ComposerFollowUps
{
    /// <summary>The line that ends one thread part and starts the next.</summary>
    public const string Separator = "---";

    // Only a YouTube thumbnail's host is checked with it, and the composer sets no thumbnail; the API checks on save.
    private static readonly OutboundAddressPolicy Permissive = new(allowPrivateNetworks: true);

    public static bool TakesThread(string platform) => platform == PlatformIds.X;

    public static bool TakesFirstComment(string platform) =>
        platform is PlatformIds.Instagram or PlatformIds.Facebook or PlatformIds.LinkedIn or PlatformIds.YouTube;

    /// <summary>The thread parts typed in <paramref name="text"/>, in order, each trimmed; blank parts are left out.</summary>
    public static IReadOnlyList<string> Parts(string text)
    {
        var parts = new List<string>();
        var current = new List<string>();
        foreach (var line in text.ReplaceLineEndings("\n").Split('\n'))
        {
            if (line.Trim() == Separator)
            {
                parts.Add(string.Join('\n', current).Trim());
                current.Clear();
            }
            else
            {
                current.Add(line);
            }
        }

        parts.Add(string.Join('\n', current).Trim());
        return parts.Where(p => p.Length > 0).ToList();
    }

    /// <summary>Thread parts as the composer shows them: one block each, separated by <see cref="Separator"/> lines.</summary>
    public static string Join(IEnumerable<string> parts) => string.Join($"\n{Separator}\n", parts);

    /// <summary>The options for a target on <paramref name="platform"/>: its thread or first comment, or null when nothing was written.</summary>
    public static TargetOptionsDto? Options(string platform, string? thread, string? comment)
    {
        if (TakesThread(platform) && Parts(thread ?? "") is { Count: > 0 } parts)
        {
            return new TargetOptionsDto(X: new XOptionsDto([.. parts.Select(p => new ThreadPartDto(p))]));
        }

        if (!TakesFirstComment(platform) || string.IsNullOrWhiteSpace(comment))
        {
            return null;
        }

        return platform switch
        {
            PlatformIds.Instagram => new TargetOptionsDto(Instagram: new InstagramOptionsDto(FirstComment: comment)),
            PlatformIds.Facebook => new TargetOptionsDto(Facebook: new FacebookOptionsDto(FirstComment: comment)),
            PlatformIds.LinkedIn => new TargetOptionsDto(LinkedIn: new LinkedInOptionsDto(FirstComment: comment)),
            _ => new TargetOptionsDto(YouTube: new YouTubeOptionsDto(FirstComment: comment)),
        };
    }

    /// <summary>The thread a saved target has (its parts' text), for the composer's box.</summary>
    public static string ThreadOf(TargetOptionsDto? options) => Join((options?.X?.Thread ?? []).Select(p => p.Text ?? ""));

    /// <summary>The first comment a saved target has, whatever its platform.</summary>
    public static string? FirstCommentOf(TargetOptionsDto? options) =>
        options?.Instagram?.FirstComment ?? options?.Facebook?.FirstComment ?? options?.LinkedIn?.FirstComment ?? options?.YouTube?.FirstComment;

    /// <summary>The options as the content rules read them (the API's own reader; a thread part here has no media).</summary>
    public static PostOptions? ToPostOptions(TargetOptionsDto? options, string platform) =>
        TargetOptionsReader.Read(options, platform, "options", Permissive, new RequestErrors(),
            (media, _) => media?.Select(m => new MediaItem(m.Url ?? "", m.Type == "video" ? MediaType.Video : MediaType.Image)).ToList());
}
