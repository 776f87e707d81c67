using System.Text.RegularExpressions;
using PostNext.Abstractions.Posts;

namespace PostNext.Abstractions.Analytics;

/// <summary>What analytics compares posts by: their kind and their hashtags.</summary>
public static partial class PostTraits
{
    /// <summary>Hashtags kept per post.</summary>
    public const int MaxHashtags = 30;

    /// <summary>Text only, one image, one video, or a carousel (two or more media).</summary>
    public static ContentKind KindOf(PostContent content) => content.Media.Count switch
    {
        0 => ContentKind.Text,
        1 when content.Media[0].Type == MediaType.Video => ContentKind.Video,
        1 => ContentKind.Image,
        _ => ContentKind.Carousel,
    };

    /// <summary>The distinct hashtags of a text, lower case, without '#', in order of first use.</summary>
    public static IReadOnlyList<string> HashtagsIn(string? text) => string.IsNullOrEmpty(text)
        ? []
        : Hashtag().Matches(text)
            .Select(m => m.Groups[1].Value.ToLowerInvariant())
            .Distinct(StringComparer.Ordinal)
            .Take(MaxHashtags)
            .ToList();

    // A '#' not preceded by a word character or '&' (so "a#b" and "&#39;" are no hashtags), then letters, digits, '_'
    // with at least one letter.
    [GeneratedRegex(@"(?<![\w&#])#(\w*\p{L}\w*)", RegexOptions.CultureInvariant)]
    private static partial Regex Hashtag();
}
