namespace PostNext.Content.Rules;

/// <summary>Reads code points out of UTF-16 text without allocating.</summary>
internal static class CodePoint
{
    /// <summary>Returned past the end of the text.</summary>
    public const int None = -1;

    /// <summary>The code point at <paramref name="index"/>; a lone surrogate is returned as itself.</summary>
    public static int At(string text, int index)
    {
        if (index < 0 || index >= text.Length)
        {
            return None;
        }

        return char.IsSurrogatePair(text, index) ? char.ConvertToUtf32(text[index], text[index + 1]) : text[index];
    }

    /// <summary>How many UTF-16 code units the code point takes.</summary>
    public static int Utf16Length(int codePoint) => codePoint > 0xFFFF ? 2 : 1;
}
