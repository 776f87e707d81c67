namespace PostNext.Platforms.Tests.Rules;

public sealed class TextLengthTests
{
    [Theory]
    [InlineData("abc", TextCounting.Utf16, 3)]
    [InlineData("😀", TextCounting.Utf16, 2)] // one surrogate pair
    [InlineData("😀", TextCounting.CodePoints, 1)]
    [InlineData("e\u0301", TextCounting.CodePoints, 1)] // NFC composes é
    [InlineData("e\u0301", TextCounting.Utf16, 2)] // as typed
    [InlineData("q\u0303", TextCounting.CodePoints, 2)] // nothing to compose with
    [InlineData("👍🏽", TextCounting.CodePoints, 2)] // emoji + skin tone
    [InlineData("é", TextCounting.Utf8Bytes, 2)]
    [InlineData("日", TextCounting.Utf8Bytes, 3)]
    [InlineData("😀", TextCounting.Utf8Bytes, 4)]
    [InlineData("日本語", TextCounting.TwitterWeighted, 6)]
    public void Measures_text_as_configured(string text, TextCounting counting, int expected) =>
        Assert.Equal(expected, TextLength.Measure(text, counting));

    [Fact]
    public void Counts_a_lone_surrogate_as_one_code_point() => Assert.Equal(2, TextLength.CodePoints("a\uD800"));
}
