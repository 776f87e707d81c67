using PostNext.Abstractions;
using PostNext.Abstractions.Calendar;
using PostNext.Abstractions.Posts;
using PostNext.Storage.Calendar;

namespace PostNext.Grains.Tests.Calendar;

/// <summary>
/// What a calendar shows of a publication (text, deferral reason, permalink, error) is written with its row and read
/// back by the range query, in the in-memory twin and in PostgreSQL; a later write replaces it.
/// </summary>
public abstract class CalendarDetailsStoreContract
{
    private static readonly DateTimeOffset Due = new(2030, 3, 1, 9, 0, 0, TimeSpan.Zero);

    protected abstract Task<ICalendarStore> CreateStoreAsync();

    [Fact]
    public async Task A_range_query_returns_each_entrys_details_as_last_written()
    {
        var store = await CreateStoreAsync();
        var ws = Ids.New(Ids.Workspace);
        var (deferred, failed, published) = (Ids.New(Ids.Post), Ids.New(Ids.Post), Ids.New(Ids.Post));
        var account = Ids.New(Ids.Account);
        Assert.True(await store.SaveAsync(Entry(ws, deferred, account, 1, PublicationStatus.Deferred) with { Snippet = "Waits", DeferReason = "Rate limited until 10:00" }, [1], 0));
        Assert.True(await store.SaveAsync(Entry(ws, failed, account, 1, PublicationStatus.Failed) with
        {
            Snippet = "Broken", Error = new PublicationError(ErrorCategory.InvalidContent, "Too long"),
        }, [1], 0));
        Assert.True(await store.SaveAsync(Entry(ws, published, account, 1, PublicationStatus.Scheduled) with { Snippet = "Goes out" }, [1], 0));
        Assert.True(await store.SaveAsync(Entry(ws, published, account, 2, PublicationStatus.Published) with
        {
            Snippet = "Goes out", Permalink = "https://example.com/p/1", PublishedAt = Due,
        }, [2], 1));

        var page = await store.QueryAsync(new CalendarQuery(ws, Due.AddDays(-1), Due.AddDays(1), null, null, null, null, 10));
        var byPost = page.Entries.ToDictionary(e => e.PostId);

        Assert.Equal(("Waits", "Rate limited until 10:00", (string?)null, (PublicationError?)null),
            (byPost[deferred].Snippet, byPost[deferred].DeferReason, byPost[deferred].Permalink, byPost[deferred].Error));
        Assert.Equal(("Broken", new PublicationError(ErrorCategory.InvalidContent, "Too long")), (byPost[failed].Snippet, byPost[failed].Error));
        Assert.Equal(("Goes out", "https://example.com/p/1", PublicationStatus.Published), (byPost[published].Snippet, byPost[published].Permalink, byPost[published].Status));
    }

    [Fact]
    public void Clipping_keeps_short_text_and_cuts_long_text_without_splitting_a_surrogate_pair()
    {
        Assert.Null(CalendarEntry.Clip(null, 5));
        Assert.Equal("short", CalendarEntry.Clip("short", 5));
        Assert.Equal("abcde…", CalendarEntry.Clip("abcdefgh", 5));
        Assert.Equal("abcd…", CalendarEntry.Clip("abcd😀efgh", 5));
    }

    private static CalendarEntry Entry(string ws, string post, string account, long revision, PublicationStatus status) =>
        new(ws, post, account, "sandbox", status, Due, Due, null, revision);
}

public sealed class InMemoryCalendarDetailsStoreTests : CalendarDetailsStoreContract
{
    protected override Task<ICalendarStore> CreateStoreAsync() => Task.FromResult<ICalendarStore>(new InMemoryCalendarStore());
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresCalendarDetailsStoreTests(PostgresFixture postgres) : CalendarDetailsStoreContract, IAsyncDisposable
{
    private readonly MigratedDatabase _database = new(postgres);

    protected override async Task<ICalendarStore> CreateStoreAsync() => await _database.StoreOnNewDatabaseAsync(d => new PostgresCalendarStore(d));

    public ValueTask DisposeAsync() => _database.DisposeAsync();
}
