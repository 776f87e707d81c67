using Xunit;
using Xunit.Abstractions;

namespace PostNext.Chaos.Tests;

/// <summary>
/// The chaos suite's small form (<see cref="ChaosOptions.Small"/>): three silo processes, the front and a throwaway
/// PostgreSQL; silos SIGKILLed during the window, PostgreSQL restarted in immediate mode, faulty sandbox accounts.
/// The run's narrative and its report go to the test output.
/// </summary>
public sealed class SmallChaosRunTests(ITestOutputHelper output)
{
    [Fact(Timeout = 10 * 60 * 1000)]
    public async Task Silos_dying_mid_publish_lose_nothing_publish_nothing_twice_and_leave_nothing_stuck()
    {
        var report = await ChaosRunner.RunAsync(ChaosOptions.Small(), output.WriteLine, CancellationToken.None);

        Assert.Equal(report.PostsPlanned, report.TargetsCreated);
        Assert.True(report.Lost == 0, $"{report.Lost} targets lost; see the report in the test output");
        Assert.True(report.Duplicates == 0, $"{report.Duplicates} targets published more than once; see the report in the test output");
        Assert.True(report.Stuck == 0, $"{report.Stuck} targets not final after the grace; see the report in the test output");
    }
}
