using Npgsql;
using Microsoft.Extensions.Logging.Abstractions;
using PostNext.Abstractions;
using PostNext.Abstractions.Calendar;
using PostNext.Abstractions.Posts;
using PostNext.Storage.Calendar;
using PostNext.Storage.Migrations;

namespace PostNext.Grains.Tests.Scheduling;

/// <summary>
/// The due index read by the due buckets, against the in-memory twin and the PostgreSQL table: thousands of
/// publications due at one instant share one time, so a page must continue after the last key of the one before it
/// (a plain "soonest first, at most N" returns the same first page again and the rest is never loaded ahead of time).
/// </summary>
public abstract class DueIndexStoreContract
{
    private static readonly DateTimeOffset Instant = new(2030, 1, 1, 9, 0, 0, TimeSpan.Zero);

    protected abstract Task<ICalendarStore> CreateStoreAsync();

    [Fact]
    public async Task Publications_due_at_one_instant_are_read_page_after_page_each_once_soonest_first()
    {
        var store = await CreateStoreAsync();
        var ws = Ids.New(Ids.Workspace);
        const short shard = 3;
        var atInstant = Keys(shard, 23).ToList();
        var later = Keys(shard, 4).ToList();
        var saved = await Task.WhenAll(atInstant.Select(k => Entry(ws, k.Post, k.Account, Instant))
            .Concat(later.Select(k => Entry(ws, k.Post, k.Account, Instant.AddSeconds(5))))
            .Select(e => store.SaveAsync(e, [1, 2, 3], expectedRevision: 0)));
        Assert.All(saved, Assert.True);

        var read = new List<DueEntry>();
        DueEntry? after = null;
        for (var page = 0; page < 10; page++)
        {
            var due = await store.DueAsync(shard, null, Instant.AddSeconds(10), 5, after);
            read.AddRange(due);
            if (due.Count < 5)
            {
                break;
            }

            after = due[^1];
        }

        Assert.Equal(27, read.Count);
        Assert.Equal(27, read.Select(d => (d.PostId, d.AccountId)).Distinct().Count());
        Assert.Equal(atInstant.Concat(later).ToHashSet(), read.Select(d => (d.PostId, d.AccountId)).ToHashSet());
        Assert.All(read.Take(23), d => Assert.Equal(Instant, d.WakeAt));
        Assert.All(read.Skip(23), d => Assert.Equal(Instant.AddSeconds(5), d.WakeAt));

        // Without a cursor, the first page; and nothing of another shard or beyond the bound.
        Assert.Equal(read.Take(5), await store.DueAsync(shard, null, Instant.AddSeconds(10), 5));
        Assert.Equal(23, (await store.DueAsync(shard, null, Instant.AddSeconds(1), 100)).Count);
        Assert.Empty(await store.DueAsync((short)(shard + 1), null, Instant.AddSeconds(10), 100));
    }

    /// <summary>Post and account ids whose publications fall in the given due shard.</summary>
    private static IEnumerable<(string Post, string Account)> Keys(short shard, int count) =>
        Enumerable.Range(0, int.MaxValue)
            .Select(_ => (Post: Ids.New(Ids.Post), Account: Ids.New(Ids.Account)))
            .Where(k => DueShards.Of(k.Post, k.Account) == shard)
            .Take(count);

    private static CalendarEntry Entry(string ws, string post, string account, DateTimeOffset due) =>
        new(ws, post, account, "sandbox", PublicationStatus.Scheduled, due, due, null, 1, WakeAt: due);
}

public sealed class InMemoryDueIndexStoreTests : DueIndexStoreContract
{
    protected override Task<ICalendarStore> CreateStoreAsync() => Task.FromResult<ICalendarStore>(new InMemoryCalendarStore());
}

[Collection(PostgresCollection.Name)]
public sealed class PostgresDueIndexStoreTests(PostgresFixture postgres) : DueIndexStoreContract, IAsyncDisposable
{
    private NpgsqlDataSource? _dataSource;
    private PostgresCalendarStore? _store;

    protected override async Task<ICalendarStore> CreateStoreAsync()
    {
        _dataSource = NpgsqlDataSource.Create(await postgres.CreateDatabaseAsync());
        await new SchemaMigrator(_dataSource, NullLogger<SchemaMigrator>.Instance).ApplyAsync();
        return _store = new PostgresCalendarStore(_dataSource);
    }

    public async ValueTask DisposeAsync()
    {
        if (_store is not null)
        {
            await _store.DisposeAsync();
        }

        if (_dataSource is not null)
        {
            await _dataSource.DisposeAsync();
        }
    }
}
