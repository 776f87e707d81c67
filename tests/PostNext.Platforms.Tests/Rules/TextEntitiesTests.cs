namespace PostNext.Platforms.Tests.Rules;

public sealed class TextEntitiesTests
{
    [Theory]
    [InlineData("#one #two", 2)]
    [InlineData("#日本 #café #2024 #_x", 4)] // letters of any script, digits, underscores
    [InlineData("C# and F# rock", 0)] // glued to a word
    [InlineData("# alone, #!", 0)] // nothing tag-like follows
    [InlineData("##double", 1)]
    [InlineData("https://example.com/page#section", 0)] // a URL fragment
    [InlineData("example.com/#/route #real", 1)]
    public void Counts_hashtags(string text, int expected) => Assert.Equal(expected, TextEntities.CountHashtags(text));

    [Theory]
    [InlineData("@alice and @bob_2", 2)]
    [InlineData("hello@example.com", 0)] // an e-mail address
    [InlineData("https://medium.com/@alice/post", 0)] // inside a link
    [InlineData("@ noon", 0)]
    public void Counts_mentions(string text, int expected) => Assert.Equal(expected, TextEntities.CountMentions(text));
}
