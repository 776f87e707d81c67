using System.Text;

namespace PostNext.Platforms.LinkedIn;

/// <summary>
/// LinkedIn's "little" text format for a post's commentary: its reserved characters must be backslash-escaped to be
/// read as plain text, or the text is cut or mis-parsed (a stray "(" or "_" ends the post there).
/// </summary>
public static class LittleText
{
    /// <summary>The characters the little grammar reserves (mentions, hashtag templates, markup).</summary>
    public const string Reserved = @"\|{}@[]()<>#*_~";

    /// <summary>The text with every reserved character escaped, so LinkedIn shows it exactly as written.</summary>
    public static string Escape(string text)
    {
        var escaped = new StringBuilder(text.Length + 16);
        foreach (var c in text)
        {
            if (Reserved.Contains(c, StringComparison.Ordinal))
            {
                escaped.Append('\\');
            }

            escaped.Append(c);
        }

        return escaped.ToString();
    }
}
