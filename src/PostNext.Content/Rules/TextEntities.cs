using System.Buffers;
using System.Globalization;
using System.Text;

namespace PostNext.Content.Rules;

/// <summary>Counts hashtags and @mentions in post text; a '#' or '@' inside a link (a URL fragment, medium.com/@user) is neither.</summary>
public static class TextEntities
{
    /// <summary>'#' followed by a letter, digit or underscore, not glued to a preceding word ("C#" is not a hashtag).</summary>
    public static int CountHashtags(string text) => CountTagged(text, '#');

    /// <summary>'@' followed by a letter, digit or underscore, not glued to a preceding word (an e-mail address is not a mention).</summary>
    public static int CountMentions(string text) => CountTagged(text, '@');

    private static int CountTagged(string text, char sigil)
    {
        ArgumentNullException.ThrowIfNull(text);
        var links = TwitterTextUrls.Find(text);
        var count = 0;
        for (var i = text.IndexOf(sigil, StringComparison.Ordinal); i >= 0; i = text.IndexOf(sigil, i + 1))
        {
            if (!IsWordBefore(text, i) && IsWordAt(text, i + 1) && !IsInsideAny(links, i))
            {
                count++;
            }
        }

        return count;
    }

    private static bool IsInsideAny(IReadOnlyList<(int Start, int Length)> links, int index) =>
        links.Any(link => index >= link.Start && index < link.Start + link.Length);

    private static bool IsWordAt(string text, int index) =>
        index < text.Length && Rune.TryGetRuneAt(text, index, out var rune) && IsWord(rune);

    private static bool IsWordBefore(string text, int index) =>
        index > 0 && Rune.DecodeLastFromUtf16(text.AsSpan(0, index), out var rune, out _) == OperationStatus.Done
        && IsWord(rune);

    // Letters and marks of any script, digits, and connectors such as '_'.
    private static bool IsWord(Rune rune) => Rune.GetUnicodeCategory(rune) switch
    {
        UnicodeCategory.UppercaseLetter or UnicodeCategory.LowercaseLetter or UnicodeCategory.TitlecaseLetter
            or UnicodeCategory.ModifierLetter or UnicodeCategory.OtherLetter => true,
        UnicodeCategory.NonSpacingMark or UnicodeCategory.SpacingCombiningMark or UnicodeCategory.EnclosingMark => true,
        UnicodeCategory.DecimalDigitNumber or UnicodeCategory.ConnectorPunctuation => true,
        _ => false,
    };
}
