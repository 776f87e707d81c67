using System.Globalization;

namespace PostNext.Content.Rules;

/// <summary>
/// Finds the emoji sequences twitter-text v3 counts as one unit of weight 2. twitter-text recognizes them with
/// twemoji's list of known emoji, so only sequences on that list join: a family, a flag, a skin-toned gesture, a keycap.
/// Anything else counts code point by code point — a ZWJ between two emoji that form no known sequence (1, between two
/// 2s), a skin tone after an emoji that takes none, two regional indicators that are no country.
/// </summary>
/// <remarks>
/// The list, <c>TwitterTextEmojiSequences.txt</c> (one sequence per line, code points in hex), holds every emoji of
/// Unicode's emoji data (with its skin-tone and presentation-selector variants) of two or more code points that
/// twemoji-parser 11.0.2, which twitter-text 3.1 uses, matches as one emoji. A single code point needs no list: it
/// weighs 2 by its range anyway, except ©, ® and the keycap bases, which twitter-text counts as text when alone.
/// </remarks>
internal static class TwitterTextEmoji
{
    private static readonly Lazy<Node> Sequences = new(Load);

    /// <summary>UTF-16 length of the longest known emoji sequence that starts at <paramref name="index"/>, or 0 when none does.</summary>
    public static int MatchLength(string text, int index)
    {
        var node = Sequences.Value;
        var longest = 0;
        for (var i = index; i < text.Length;)
        {
            var codePoint = CodePoint.At(text, i);
            if (node.Next is null || !node.Next.TryGetValue(codePoint, out var next))
            {
                break;
            }

            node = next;
            i += CodePoint.Utf16Length(codePoint);
            if (node.IsEnd)
            {
                longest = i - index;
            }
        }

        return longest;
    }

    private static Node Load()
    {
        var root = new Node();
        using var stream = typeof(TwitterTextEmoji).Assembly.GetManifestResourceStream("PostNext.Content.Rules.TwitterTextEmojiSequences.txt")
                           ?? throw new InvalidOperationException("The emoji sequence list is missing from the assembly.");
        using var reader = new StreamReader(stream);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0)
            {
                continue;
            }

            var node = root;
            foreach (var hex in line.Split(' ', StringSplitOptions.RemoveEmptyEntries))
            {
                var codePoint = int.Parse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture);
                node.Next ??= [];
                if (!node.Next.TryGetValue(codePoint, out var next))
                {
                    next = new Node();
                    node.Next[codePoint] = next;
                }

                node = next;
            }

            node.IsEnd = true;
        }

        return root;
    }

    private sealed class Node
    {
        public Dictionary<int, Node>? Next { get; set; }

        public bool IsEnd { get; set; }
    }
}
