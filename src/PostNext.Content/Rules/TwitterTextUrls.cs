using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace PostNext.Content.Rules;

/// <summary>
/// Finds links the way twitter-text's extractUrlsWithIndices does: http(s) URLs, and bare domains such as
/// "example.com/path" on a known TLD. Patterns follow js/src/regexp/*.js; t.co slug trimming and the
/// 4,096-character URL cap are left out.
/// </summary>
internal static partial class TwitterTextUrls
{
    private const int MaxDomainLabelLength = 63;

    // Characters that end a domain label: punctuation, spaces, twitter-text's invalid characters, bidi markers.
    private const string Punctuation = @"!'#%&()*+,\\\-./:;<=>?@\[\]^_{|}~$";
    private const string Spaces = @"\x09-\x0D\x20\x85\xA0\u1680\u180E\u2000-\u200A\u2028\u2029\u202F\u205F\u3000";
    private const string Invalid = @"\uFFFE\uFEFF\uFFFF";
    private const string Directional = @"\u202A-\u202E\u061C\u200E\u200F\u2066-\u2069";
    private const string DomainChar = $"[^{Punctuation}{Spaces}{Invalid}{Directional}]";
    private const string Subdomain = $@"(?:(?:{DomainChar}(?:[_-]|{DomainChar})*)?{DomainChar}\.)";
    private const string DomainName = $@"(?:(?:{DomainChar}(?:-|{DomainChar})*)?{DomainChar}\.)";
    private const string TldEnd = "(?=[^0-9a-z@+-]|$)";
    private const string AnyTld = $@"(?:\p{{L}}{{2,}}|xn--[\-0-9a-z]+){TldEnd}";
    private const string KnownTld = $"(?:{TopLevelDomains.Generic}|{TopLevelDomains.CountryCode}|xn--[\\-0-9a-z]+){TldEnd}";

    private const string LatinAccents =
        @"\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u00FF\u0100-\u024F\u0253\u0254\u0256\u0257\u0259\u025B\u0263\u0268"
        + @"\u026F\u0272\u0289\u028B\u02BB\u0300-\u036F\u1E00-\u1EFF";
    private const string Cyrillic = @"\u0400-\u04FF";

    // Paths may hold balanced parentheses but do not end on punctuation, so "see example.com/a." stops before the dot.
    private const string PathChar = $@"[a-z{Cyrillic}0-9!*';:=+,.$/%#\[\]\-\u2013_~@|&{LatinAccents}]";
    private const string BalancedParens = $@"\((?:{PathChar}+|(?:{PathChar}*\({PathChar}+\){PathChar}*))\)";
    private const string PathEnd = $@"(?:[+\-a-z{Cyrillic}0-9=_#/{LatinAccents}]|{BalancedParens})";
    private const string Path = $@"(?:(?:{PathChar}*(?:{BalancedParens}{PathChar}*)*{PathEnd})|(?:@{PathChar}+/))";
    private const string Query = @"\?[a-z0-9!?*'@();:&=+$/%#\[\]\-_.,~|]*[a-z0-9\-_&=#/]";

    // A link may not follow a letter, digit, @, $ or #; a bare domain not a - _ . or / either.
    private const string WithScheme =
        $@"(?<=^|[^a-z0-9@＠$#＃{Invalid}]|[{Directional}])https?://(?<domain>{Subdomain}*{DomainName}{AnyTld})(?::[0-9]+)?(?:/{Path}*)?(?:{Query})?";

    // Without a scheme only an ASCII domain counts, and port, path and query only when a path follows.
    private const string Bare =
        $@"(?<=^|[^a-z0-9@＠$#＃\-_./{Invalid}]|[{Directional}])(?<domain>(?:[\-a-z0-9{LatinAccents}]+\.)+{KnownTld})(?:(?::[0-9]+)?/{Path}*(?:{Query})?)?";

    /// <summary>Every link in <paramref name="text"/>, as UTF-16 start index and length, in order.</summary>
    public static IReadOnlyList<(int Start, int Length)> Find(string text) =>
        text.Contains('.', StringComparison.Ordinal)
            ? [.. Link().Matches(text).Where(m => HasValidLabels(m.Groups["domain"].Value)).Select(m => (m.Index, m.Length))]
            : [];

    [GeneratedRegex($"{WithScheme}|{Bare}", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex Link();

    // twitter-text drops a match whose domain has a label longer than DNS allows once punycode-encoded.
    private static bool HasValidLabels(string domain) => domain.Split('.').All(IsValidLabel);

    private static bool IsValidLabel(string label)
    {
        if (label.Length == 0)
        {
            return false;
        }

        if (Ascii.IsValid(label))
        {
            return label.Length <= MaxDomainLabelLength;
        }

        try
        {
            return new IdnMapping().GetAscii(label).Length <= MaxDomainLabelLength;
        }
        catch (ArgumentException)
        {
            return false; // Not encodable as a DNS label at all.
        }
    }
}
