namespace PostNext.Platforms.Rules;

/// <summary>
/// Finds the emoji sequences twitter-text v3 counts as one unit of weight 2 (it parses them with twemoji's regex):
/// keycaps, flags, subdivision flags, a pictograph with its presentation selector or skin tone, and ZWJ chains of those.
/// </summary>
/// <remarks>
/// An approximation of twemoji's list of known sequences: any ZWJ chain of pictographs counts as one emoji here,
/// while twemoji only joins the ones Unicode recommends (the others would count 2 + 1 per ZWJ + 2 there).
/// Only emoji that start below U+10FF (©, ®, keycaps) or that absorb modifiers change the count; every other
/// pictograph weighs 2 on its own anyway.
/// </remarks>
internal static class TwitterTextEmoji
{
    private const int ZeroWidthJoiner = 0x200D;
    private const int TextPresentation = 0xFE0E;
    private const int EmojiPresentation = 0xFE0F;
    private const int CombiningKeycap = 0x20E3;
    private const int CancelTag = 0xE007F;

    /// <summary>UTF-16 length of the emoji sequence that starts at <paramref name="index"/>, or 0 when none does.</summary>
    public static int MatchLength(string text, int index)
    {
        var first = CodePoint.At(text, index);
        if (IsKeycapBase(first))
        {
            return KeycapLength(text, index);
        }

        if (IsRegionalIndicator(first))
        {
            // A pair is a flag; a lone indicator is still matched as an emoji.
            return IsRegionalIndicator(CodePoint.At(text, index + 2)) ? 4 : 2;
        }

        if (NeedsEmojiPresentation(first))
        {
            return CodePoint.At(text, index + 1) == EmojiPresentation ? 2 : 0;
        }

        return IsPictograph(first) ? ZwjSequenceLength(text, index) : 0;
    }

    // [#*0-9] U+FE0F? U+20E3
    private static int KeycapLength(string text, int index)
    {
        var next = index + 1;
        if (CodePoint.At(text, next) == EmojiPresentation)
        {
            next++;
        }

        return CodePoint.At(text, next) == CombiningKeycap ? next + 1 - index : 0;
    }

    private static int ZwjSequenceLength(string text, int index)
    {
        var end = ElementEnd(text, index);
        if (end < 0)
        {
            return 0;
        }

        while (CodePoint.At(text, end) == ZeroWidthJoiner && IsPictograph(CodePoint.At(text, end + 1)))
        {
            var next = ElementEnd(text, end + 1);
            if (next < 0)
            {
                break;
            }

            end = next;
        }

        return end - index;
    }

    // One pictograph with its U+FE0F, skin tone or tag sequence; -1 when U+FE0E asks for the text form instead.
    private static int ElementEnd(string text, int index)
    {
        var end = index + CodePoint.Utf16Length(CodePoint.At(text, index));
        var next = CodePoint.At(text, end);
        if (next == TextPresentation)
        {
            return -1;
        }

        if (next == EmojiPresentation || IsSkinTone(next))
        {
            return end + CodePoint.Utf16Length(next);
        }

        while (IsTag(next))
        {
            end += 2;
            if (next == CancelTag)
            {
                break;
            }

            next = CodePoint.At(text, end);
        }

        return end;
    }

    private static bool IsKeycapBase(int c) => c is '#' or '*' or (>= '0' and <= '9');

    private static bool IsRegionalIndicator(int c) => c is >= 0x1F1E6 and <= 0x1F1FF;

    private static bool IsSkinTone(int c) => c is >= 0x1F3FB and <= 0x1F3FF;

    private static bool IsTag(int c) => c is >= 0xE0020 and <= CancelTag;

    // ©, ®, ™ and ♟ are text by default: twemoji only takes them as emoji when U+FE0F follows.
    private static bool NeedsEmojiPresentation(int c) => c is 0x00A9 or 0x00AE or 0x2122 or 0x265F;

    // Unicode's Extended_Pictographic, coarsened to blocks (the precise list only matters for what follows a pictograph).
    // Flags and skin tones are not bases: they are handled above or absorbed by the pictograph before them.
    private static bool IsPictograph(int c) =>
        IsPictographicBlock(c) && !IsRegionalIndicator(c) && !IsSkinTone(c);

    private static bool IsPictographicBlock(int c) => c is
        0x203C or 0x2049 or 0x2139 or (>= 0x2194 and <= 0x2199) or 0x21A9 or 0x21AA or 0x231A or 0x231B
        or 0x2328 or 0x2388 or 0x23CF or (>= 0x23E9 and <= 0x23F3) or (>= 0x23F8 and <= 0x23FA) or 0x24C2
        or 0x25AA or 0x25AB or 0x25B6 or 0x25C0 or (>= 0x25FB and <= 0x25FE) or (>= 0x2600 and <= 0x27BF)
        or 0x2934 or 0x2935 or (>= 0x2B05 and <= 0x2B07) or 0x2B1B or 0x2B1C or 0x2B50 or 0x2B55
        or 0x3030 or 0x303D or 0x3297 or 0x3299 or (>= 0x1F000 and <= 0x1FAFF) or (>= 0x1FC00 and <= 0x1FFFD);
}
