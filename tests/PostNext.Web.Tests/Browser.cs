namespace PostNext.Web.Tests;

/// <summary>
/// Debian's <c>chromium</c>, launched headless by executable path through Playwright (no browser download of
/// Playwright's own). <c>POSTNEXT_TEST_CHROMIUM</c> names another binary.
/// </summary>
public static class Browser
{
    private static readonly string[] Candidates = ["/usr/lib/chromium/chromium", "/usr/bin/chromium", "/usr/bin/chromium-browser"];

    public static string ExecutablePath() =>
        Environment.GetEnvironmentVariable("POSTNEXT_TEST_CHROMIUM") is { Length: > 0 } configured
            ? configured
            : Candidates.FirstOrDefault(File.Exists)
              ?? throw new InvalidOperationException(
                  "Chromium not found: install the Debian package 'chromium' (apt-get install -y chromium) or set POSTNEXT_TEST_CHROMIUM.");

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = ExecutablePath(),
            Headless = true,
            // The tests run as root in CI, where chromium's sandbox cannot start.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-dev-shm-usage"],
        });
        return (playwright, browser);
    }
}
