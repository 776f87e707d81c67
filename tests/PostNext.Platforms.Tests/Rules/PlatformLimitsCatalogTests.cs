using Microsoft.Extensions.Configuration;

namespace PostNext.Platforms.Tests.Rules;

public sealed class PlatformLimitsCatalogTests
{
    [Fact]
    public void Has_defaults_for_every_platform()
    {
        var catalog = PlatformLimitsCatalog.Defaults();

        Assert.All(PlatformIds.All, id => Assert.NotNull(catalog.For(id)));
    }

    [Fact]
    public void Refuses_an_unknown_platform()
    {
        Assert.Throws<ArgumentException>(() => PlatformLimitsCatalog.Defaults().For("myspace"));
        Assert.Throws<ArgumentException>(() => PlatformLimitsCatalog.DefaultsFor("myspace"));
    }

    [Fact]
    public void Counts_X_the_twitter_text_way_and_the_others_in_characters()
    {
        var catalog = PlatformLimitsCatalog.Defaults();

        Assert.Equal(TextCounting.TwitterWeighted, catalog.For(PlatformIds.X).TextCounting);
        Assert.All(
            PlatformIds.All.Where(id => id != PlatformIds.X),
            id => Assert.Equal(TextCounting.CodePoints, catalog.For(id).TextCounting));
    }

    [Fact]
    public void A_configured_field_overrides_only_that_field()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["PostNext:Platforms:x:Limits:MaxTextLength"] = "25000",
            })
            .Build();

        var catalog = PlatformLimitsCatalog.FromConfiguration(configuration);
        var x = catalog.For(PlatformIds.X);

        Assert.Equal(25_000, x.MaxTextLength);
        Assert.Equal(TextCounting.TwitterWeighted, x.TextCounting);
        Assert.Equal(4, x.MaxImages);
        Assert.Equal(1, x.MaxVideos);
        Assert.False(x.AllowMixedMedia);
        Assert.Equal(3_000, catalog.For(PlatformIds.LinkedIn).MaxTextLength);
        Assert.Empty(ContentRules.Validate(PlatformIds.X, new PostContent(new string('a', 25_000), []), x));
    }

    [Fact]
    public void Binds_enums_and_flags_by_name()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?>
            {
                ["PostNext:Platforms:tiktok:Limits:MaxTextLength"] = "2000",
                ["PostNext:Platforms:tiktok:Limits:TextCounting"] = "Utf16",
                ["PostNext:Platforms:tiktok:Limits:AllowMixedMedia"] = "true",
                ["PostNext:Platforms:tiktok:Limits:RequiredMedia"] = "Video",
            })
            .Build();

        var tiktok = PlatformLimitsCatalog.FromConfiguration(configuration).For(PlatformIds.TikTok);

        Assert.Equal(2_000, tiktok.MaxTextLength);
        Assert.Equal(TextCounting.Utf16, tiktok.TextCounting);
        Assert.True(tiktok.AllowMixedMedia);
        Assert.Equal(MediaRequirement.Video, tiktok.RequiredMedia);
        Assert.Equal(35, tiktok.MaxImages);
    }

    [Fact]
    public void Configuring_one_catalog_leaves_the_defaults_untouched()
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(new Dictionary<string, string?> { ["PostNext:Platforms:x:Limits:MaxImages"] = "2" })
            .Build();

        _ = PlatformLimitsCatalog.FromConfiguration(configuration);

        Assert.Equal(4, PlatformLimitsCatalog.Defaults().For(PlatformIds.X).MaxImages);
    }

    [Fact]
    public void Names_the_configuration_section_of_a_platform() =>
        Assert.Equal("PostNext:Platforms:youtube:Limits", PlatformLimitsCatalog.SectionFor(PlatformIds.YouTube));
}
