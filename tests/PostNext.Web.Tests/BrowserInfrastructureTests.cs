namespace PostNext.Web.Tests;

/// <summary>The browser harness itself: Debian's chromium reaches the embedded host.</summary>
[Collection(WebCollection.Name)]
public sealed class BrowserInfrastructureTests(WebHost host)
{
    [Fact]
    public async Task Chromium_loads_a_page_of_the_embedded_host()
    {
        var page = await host.NewPageAsync();
        var response = await page.GotoAsync("/health/live");
        Assert.NotNull(response);
        Assert.Equal(200, response.Status);
        await page.Context.CloseAsync();
    }
}
