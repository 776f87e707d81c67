namespace PostNext.Content.Rules;

/// <summary>
/// X's character counting, as twitter-text v3 does it (parseTweet with config v3): the text is NFC-normalized,
/// every URL counts 23, every emoji sequence 2, and every other code point 1 or 2 by the ranges below.
/// </summary>
public static class TwitterText
{
    // twitter-text config/v3.json (https://github.com/twitter/twitter-text/blob/master/config/v3.json).
    // Weights are in hundredths (scale 100): 100 = 1 character, 200 = 2.
    private const int Scale = 100;
    private const int DefaultWeight = 200;
    private const int TransformedUrlLength = 23;
    private const int MaxWeightedTweetLength = 280;

    private static readonly (int Start, int End, int Weight)[] Ranges =
    [
        (0x0000, 0x10FF, 100), // 0–4351: Latin, Greek, Cyrillic, Hebrew, Arabic, Indic, Thai, Georgian…
        (0x2000, 0x200D, 100), // 8192–8205: typographic spaces, ZWSP, ZWNJ, ZWJ
        (0x2010, 0x201F, 100), // 8208–8223: dashes and quotation marks
        (0x2032, 0x2037, 100), // 8242–8247: primes
    ];

    /// <summary>Characters that make a post invalid whatever its length (twitter-text invalidCharsGroup).</summary>
    public const string InvalidCharacters = "\uFFFE\uFEFF\uFFFF";

    /// <summary>
    /// The weighted length X compares against its limit. <paramref name="discountEmoji"/> false counts as twitter-text's
    /// config v2 did (every code point of an emoji sequence on its own); X uses v3, the default.
    /// </summary>
    public static int WeightedLength(string text, bool discountEmoji = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var normalized = TextLength.Nfc(text);
        var urlLengthsByStart = TwitterTextUrls.Find(normalized).ToDictionary(url => url.Start, url => url.Length);

        var weight = 0;
        for (var i = 0; i < normalized.Length;)
        {
            if (urlLengthsByStart.TryGetValue(i, out var urlLength))
            {
                weight += TransformedUrlLength * Scale;
                i += urlLength;
                continue;
            }

            var emojiLength = discountEmoji ? TwitterTextEmoji.MatchLength(normalized, i) : 0;
            if (emojiLength > 0)
            {
                weight += DefaultWeight;
                i += emojiLength;
                continue;
            }

            var codePoint = CodePoint.At(normalized, i);
            weight += WeightOf(codePoint);
            i += CodePoint.Utf16Length(codePoint);
        }

        return weight / Scale;
    }

    /// <summary>Whether X accepts the text: not empty, no invalid characters, at most <paramref name="maxWeighted"/>.</summary>
    public static bool IsValid(string text, int maxWeighted = MaxWeightedTweetLength, bool discountEmoji = true)
    {
        ArgumentNullException.ThrowIfNull(text);
        var length = WeightedLength(text, discountEmoji);
        return length > 0 && length <= maxWeighted && text.AsSpan().IndexOfAny(InvalidCharacters) < 0;
    }

    private static int WeightOf(int codePoint)
    {
        foreach (var (start, end, weight) in Ranges)
        {
            if (codePoint >= start && codePoint <= end)
            {
                return weight;
            }
        }

        return DefaultWeight;
    }
}
