namespace PostNext.Platforms.Tests.Rules;

/// <summary>
/// Expected values are worked out by hand from twitter-text v3 (config/v3.json): NFC first, then a URL is 23,
/// an emoji sequence 2, a code point in U+0000–10FF, 2000–200D, 2010–201F or 2032–2037 is 1, any other code point 2.
/// Cases marked "conformance" are taken from twitter-text's conformance/validate.yml.
/// </summary>
public sealed class TwitterTextTests
{
    [Theory]
    [InlineData("", 0)]
    [InlineData("hello", 5)]
    [InlineData("日本語", 6)] // three CJK ideographs, 2 each
    [InlineData("\u10FF", 1)] // the last code point of the 0–10FF range
    [InlineData("\u1100", 2)] // HANGUL CHOSEONG KIYEOK, one past it
    [InlineData("\u2014", 1)] // em dash, inside 2010–201F
    [InlineData("\u2032", 1)] // prime, inside 2032–2037
    [InlineData("\u2026", 2)] // ellipsis, between the ranges
    [InlineData("a\u200Db", 3)] // a ZWJ between letters is no emoji: U+200D weighs 1
    public void Counts_each_code_point_by_its_range(string text, int expected) =>
        Assert.Equal(expected, TwitterText.WeightedLength(text));

    [Theory]
    [InlineData("e\u0301", 1)] // e + COMBINING ACUTE composes to U+00E9
    [InlineData("A\u0301B", 2)] // conformance "'Á' is normalized into 1 char"
    [InlineData("q\u0303", 2)] // no precomposed q-tilde: q (1) + U+0303 (1, inside 0–10FF)
    [InlineData("\u1100\u1161", 2)] // two Hangul jamo (2 + 2 apart) compose to U+AC00, one syllable of weight 2
    [InlineData("A\uFB2C", 4)] // conformance: U+FB2C is excluded from composition, NFC splits it into 3 code points of weight 1
    public void Counts_the_NFC_form_so_composed_marks_count_once_and_others_on_their_own(string text, int expected) =>
        Assert.Equal(expected, TwitterText.WeightedLength(text));

    [Theory]
    [InlineData("https://example.com/a-very-long-path", 23)]
    [InlineData("http://test.co", 23)] // conformance
    [InlineData("Hi http://test.co", 26)] // conformance: 3 + 23
    [InlineData("HTTPS://www.ExaMPLE.COM/index.html", 23)]
    [InlineData("https://example.com/a-very-long-path.", 24)] // a path does not end on '.', which counts 1
    [InlineData("(https://en.wikipedia.org/wiki/Foo_(bar))", 25)] // balanced parentheses stay in the path; the outer ones count 1 each
    [InlineData("example.com", 23)] // conformance: bare domain on a gTLD
    [InlineData("www.example.com", 23)]
    [InlineData("foo.co.jp", 23)] // conformance: bare domain on a ccTLD
    [InlineData("example.com/path/to/resource?search=foo&lang=en", 23)]
    [InlineData("Read https://example.com/x and example.org/y", 56)] // 5 + 23 + 5 + 23
    [InlineData("file.txt", 8)] // "txt" is no TLD: plain text
    [InlineData("user@example.com", 16)] // a domain right after '@' is an e-mail address, not a link
    [InlineData("randomurlrandomurlrandomurlrandomurlrandomurlrandomurlrandomurls.com", 68)] // conformance: a 64-character label is no domain
    [InlineData("\u2066\u202Ahttp://foobar.\u067E\u0627\u06A9\u0633\u062A\u0627\u0646/\u202C\u2069", 31)] // conformance: four bidi marks (2 each) + a link on پاکستان
    public void Counts_every_link_as_23(string text, int expected) =>
        Assert.Equal(expected, TwitterText.WeightedLength(text));

    [Fact]
    public void Counts_ten_links_as_ten_times_23_plus_the_spaces() // conformance "10 url string, no overflow"
    {
        var text = string.Concat(Enumerable.Repeat("https://www.twitter.com/aloha ", 10));

        Assert.Equal(240, TwitterText.WeightedLength(text));
    }

    [Fact]
    public void Counts_an_internationalized_domain_as_a_link_only_while_its_punycode_label_fits_in_63_characters() // conformance
    {
        var sentence = string.Concat(Enumerable.Repeat("あいうえおかきくけこ", 12)); // 120 kana = 240
        var kana50 = string.Concat(Enumerable.Repeat("あいうえおかきくけこ", 5));

        // 52 kana encode to a label that fits: 240 + 1 + 23.
        Assert.Equal(264, TwitterText.WeightedLength($"{sentence} http://{kana50}あい.com"));
        // 53 kana do not: no link, so 240 + 1 + "http://" 7 + 53 × 2 + ".com" 4.
        Assert.Equal(358, TwitterText.WeightedLength($"{sentence} http://{kana50}あいう.com"));
    }

    [Theory]
    [InlineData("👨‍👩‍👧‍👦", 2)] // man ZWJ woman ZWJ girl ZWJ boy: one family
    [InlineData("👍🏽", 2)] // thumbs up + medium skin tone
    [InlineData("🏽", 2)] // a skin tone on its own is an astral code point
    [InlineData("🇯🇵", 2)] // two regional indicators: one flag
    [InlineData("🇯🇵🇺🇸", 4)] // two flags
    [InlineData("🏴󠁧󠁢󠁳󠁣󠁴󠁿", 2)] // black flag + tag letters "gbsct" + cancel tag: Scotland
    [InlineData("🏳️‍🌈", 2)] // white flag, U+FE0F, ZWJ, rainbow
    [InlineData("❤️", 2)] // U+2764 + U+FE0F
    [InlineData("❤", 2)] // U+2764 alone is outside every weight-1 range
    [InlineData("☺︎", 4)] // U+263A + U+FE0E asks for text: no emoji, so 2 + 2
    [InlineData("#️⃣", 2)] // keycap: '#' (1 alone) + U+FE0F + U+20E3
    [InlineData("1⃣", 2)] // conformance: keycap without U+FE0F
    [InlineData("©", 1)] // text by default, inside 0–10FF
    [InlineData("©️", 2)] // with U+FE0F it is an emoji
    [InlineData("H🐱☺👨‍👩‍👧‍👦", 7)] // conformance: 1 + 2 + 2 + 2
    [InlineData("🙋🏽👨‍🎤", 4)] // conformance: skin-toned emoji + ZWJ sequence
    [InlineData("Unicode 10.0 emoji: 🤪; 🧕; 🧕🏾; 🏴󠁧󠁢󠁥󠁮󠁧󠁿", 34)] // conformance: 20 + 4 × 2 + 3 × "; "
    public void Counts_every_emoji_sequence_as_2(string text, int expected) =>
        Assert.Equal(expected, TwitterText.WeightedLength(text));

    [Fact]
    public void Counts_links_emoji_and_CJK_together()
    {
        // 日本語 (6) + space (1) + link (23) + space (1) + flag (2)
        Assert.Equal(33, TwitterText.WeightedLength("日本語 https://example.com/a-very-long-path 🇯🇵"));
    }

    [Fact]
    public void Accepts_280_ASCII_characters_and_refuses_281()
    {
        Assert.True(TwitterText.IsValid(new string('a', 280)));
        Assert.False(TwitterText.IsValid(new string('a', 281)));
    }

    [Fact]
    public void Accepts_140_CJK_characters_and_refuses_141()
    {
        Assert.True(TwitterText.IsValid(new string('日', 140)));
        Assert.False(TwitterText.IsValid(new string('日', 141)));
    }

    [Fact]
    public void Accepts_text_exactly_at_the_limit_with_a_link_and_an_emoji()
    {
        const string link = " https://example.com/a/path/much/longer/than/twenty-three/characters"; // 1 + 23
        var text = new string('a', 254) + link + "👍🏽"; // 254 + 24 + 2 = 280

        Assert.Equal(280, TwitterText.WeightedLength(text));
        Assert.True(TwitterText.IsValid(text));
        Assert.False(TwitterText.IsValid("a" + text));
    }

    [Fact]
    public void Accepts_140_family_emoji() // conformance: 140 × 2 = 280 although the text is 1,540 UTF-16 units
    {
        var text = string.Concat(Enumerable.Repeat("👨‍👩‍👧‍👦", 140));

        Assert.True(TwitterText.IsValid(text));
        Assert.False(TwitterText.IsValid(text + "a"));
    }

    [Fact]
    public void Refuses_empty_text_and_text_with_invalid_characters()
    {
        Assert.False(TwitterText.IsValid(""));
        Assert.False(TwitterText.IsValid("hello\uFEFF"));
        Assert.Equal(7, TwitterText.WeightedLength("hello\uFEFF")); // still counted: U+FEFF weighs 2
    }

    [Fact]
    public void Honors_a_larger_limit_for_long_posts()
    {
        Assert.True(TwitterText.IsValid(new string('a', 25_000), maxWeighted: 25_000));
        Assert.False(TwitterText.IsValid(new string('a', 25_001), maxWeighted: 25_000));
    }

    [Fact]
    public void Counts_a_lone_surrogate_instead_of_failing_to_normalize()
    {
        Assert.Equal(3, TwitterText.WeightedLength("a\uD83D")); // 1 + 2 (a surrogate is no weight-1 code point)
    }
}
