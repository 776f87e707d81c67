using System.Text;

namespace PostNext.Content.Rules;

/// <summary>Measures text the way a platform counts it.</summary>
public static class TextLength
{
    /// <summary>The length of <paramref name="text"/> under <paramref name="counting"/>.</summary>
    public static int Measure(string text, TextCounting counting)
    {
        ArgumentNullException.ThrowIfNull(text);
        return counting switch
        {
            TextCounting.Utf16 => text.Length,
            TextCounting.CodePoints => CodePoints(text),
            TextCounting.TwitterWeighted => TwitterText.WeightedLength(text),
            TextCounting.Utf8Bytes => Encoding.UTF8.GetByteCount(text),
            _ => throw new ArgumentOutOfRangeException(nameof(counting), counting, "Unknown text counting."),
        };
    }

    /// <summary>Code points of the NFC-normalized text: "é" typed as e + U+0301 is one, an emoji with a skin tone is two.</summary>
    public static int CodePoints(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var count = 0;
        foreach (var _ in Nfc(text).EnumerateRunes())
        {
            count++;
        }

        return count;
    }

    /// <summary>
    /// The NFC form platforms count in. Text normalization refuses (a lone surrogate, a noncharacter such as U+FFFE or
    /// U+FFFF) is left as it is, as twitter-text does.
    /// </summary>
    internal static string Nfc(string text)
    {
        if (!IsWellFormed(text))
        {
            return text;
        }

        try
        {
            return text.Normalize(NormalizationForm.FormC);
        }
        catch (ArgumentException)
        {
            return text;
        }
    }

    private static bool IsWellFormed(string text)
    {
        for (var i = 0; i < text.Length; i++)
        {
            if (!char.IsSurrogate(text[i]))
            {
                continue;
            }

            if (!char.IsSurrogatePair(text, i))
            {
                return false;
            }

            i++;
        }

        return true;
    }
}
