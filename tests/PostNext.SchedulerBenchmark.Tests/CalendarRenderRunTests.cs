using PostNext.SchedulerBenchmark.Calendar;

namespace PostNext.SchedulerBenchmark.Tests;

/// <summary>
/// The calendar render mode on a small count (embedded silo, 60 publications, 3 timed renders): it keeps the mode
/// working. It asserts the month view showed every publication and the figures are ordered, never a speed.
/// </summary>
public sealed class CalendarRenderRunTests(ITestOutputHelper output)
{
    [Fact(Timeout = 5 * 60 * 1000)]
    public async Task The_calendar_mode_renders_the_month_with_every_publication_and_reports_its_times()
    {
        var directory = Path.Combine(Path.GetTempPath(), "postnext-calendar-render-" + Guid.NewGuid().ToString("N")[..8]);
        var parsed = BenchmarkOptions.Parse(["--calendar-render", "--publications", "60", "--renders", "3", "--results", directory], out var error);
        var options = parsed ?? throw new InvalidOperationException(error);

        var result = await CalendarRenderRunner.RunAsync(options, output.WriteLine, CancellationToken.None);

        Assert.Equal(("embedded", 60, 60, 3), (result.Host, result.Publications, result.EntriesRendered, result.Renders));
        Assert.True(result.MinMs > 0 && result.MinMs <= result.P50Ms && result.P50Ms <= result.P95Ms && result.P95Ms <= result.MaxMs,
            $"min {result.MinMs}, p50 {result.P50Ms}, p95 {result.P95Ms}, max {result.MaxMs}");
        Assert.True(result.PageBytes > 0);
        Assert.True(File.Exists(Path.Combine(directory, "calendar-render.json")));
        Directory.Delete(directory, recursive: true);
    }

    [Theory]
    [InlineData("--publications", "0")]
    [InlineData("--renders", "-1")]
    public void Calendar_counts_below_one_are_refused(string option, string value)
    {
        Assert.Null(BenchmarkOptions.Parse(["--calendar-render", option, value], out var error));
        Assert.Contains(option, error, StringComparison.Ordinal);
    }
}
