using BenchmarkDotNet.Attributes;
using PostNext.Abstractions.Calendar;
using PostNext.Abstractions.Posts;
using PostNext.Storage.Calendar;

namespace PostNext.Benchmarks;

/// <summary>
/// The calendar's hot path in embedded mode: a month-long page out of a workspace with 5,000 scheduled targets, and
/// the upsert every status change makes. Goal: a 100-entry page in well under a millisecond.
/// </summary>
[MemoryDiagnoser]
public class CalendarBenchmarks
{
    private const string Workspace = "ws00000000000000000000";
    private static readonly DateTimeOffset Start = new(2027, 1, 4, 0, 0, 0, TimeSpan.Zero);
    private readonly InMemoryCalendarStore _store = new();
    private long _revision = 1;

    [GlobalSetup]
    public async Task SetupAsync()
    {
        for (var i = 0; i < 5_000; i++)
        {
            await _store.UpsertAsync(Entry(i, 1));
        }
    }

    [Benchmark]
    public async Task<int> PageOfAMonth()
    {
        var page = await _store.QueryAsync(new CalendarQuery(Workspace, Start.AddDays(30), Start.AddDays(60), null, null, null, null, 100));
        return page.Entries.Count;
    }

    [Benchmark]
    public Task UpsertStatusChange() => _store.UpsertAsync(Entry(2_500, ++_revision));

    private static CalendarEntry Entry(int i, long revision) =>
        new(Workspace, $"post{i:D20}", $"acc{i % 5:D20}", "sandbox", PublicationStatus.Scheduled, Start.AddMinutes(i * 20), Start.AddMinutes(i * 20), null, revision);
}
