using System.Text.Json;
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

    private static readonly JsonSerializerOptions KeptJson = new(JsonSerializerDefaults.Web);

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

    /// <summary>
    /// The options for a target on <paramref name="platform"/>: those it was saved with (<paramref name="kept"/>, which
    /// the composer does not edit otherwise), its thread (a part keeps the media of the saved part in its place) and its
    /// first comment as written; null when there are none.
    /// </summary>
    public static TargetOptionsDto? Options(string platform, TargetOptionsDto? kept, string? thread, string? comment)
    {
        var options = kept ?? new TargetOptionsDto();
        var text = string.IsNullOrWhiteSpace(comment) ? null : comment;
        if (TakesThread(platform))
        {
            var parts = Parts(thread ?? "");
            options = options with
            {
                X = parts.Count == 0 ? null : new XOptionsDto([.. parts.Select((p, i) => new ThreadPartDto(p, kept?.X?.Thread?.ElementAtOrDefault(i)?.Media))]),
            };
        }
        else if (TakesFirstComment(platform))
        {
            options = platform switch
            {
                PlatformIds.Instagram => options with { Instagram = (options.Instagram ?? new InstagramOptionsDto()) with { FirstComment = text } },
                PlatformIds.Facebook => options with { Facebook = (options.Facebook ?? new FacebookOptionsDto()) with { FirstComment = text } },
                PlatformIds.LinkedIn => options with { LinkedIn = (options.LinkedIn ?? new LinkedInOptionsDto()) with { FirstComment = text } },
                _ => options with { YouTube = (options.YouTube ?? new YouTubeOptionsDto()) with { FirstComment = text } },
            };
        }

        return options == new TargetOptionsDto() ? null : options;
    }

    /// <summary>A saved target's options as the composer keeps them in the form, unchanged, until the post is saved again.</summary>
    public static string Keep(TargetOptionsDto options) => JsonSerializer.Serialize(options, KeptJson);

    /// <summary>The options the form kept, or null when there are none or they cannot be read (the API checks whatever is sent).</summary>
    public static TargetOptionsDto? Kept(string? json)
    {
        if (string.IsNullOrEmpty(json))
        {
            return null;
        }

        try
        {
            return JsonSerializer.Deserialize<TargetOptionsDto>(json, KeptJson);
        }
        catch (JsonException)
        {
            return null;
        }
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
