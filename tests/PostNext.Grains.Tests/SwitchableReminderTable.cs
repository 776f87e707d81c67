using System.Collections.Concurrent;

namespace PostNext.Grains.Tests;

/// <summary>
/// An in-memory reminder table that counts its writes and whose writes can be refused, as a silo sees it while its reminder service cannot reach
/// the table or is still starting ("Reminder Service is still initializing"): registering or removing a reminder fails.
/// </summary>
public sealed class SwitchableReminderTable : IReminderTable
{
    private readonly ConcurrentDictionary<(GrainId Grain, string Name), ReminderEntry> _rows = new();

    /// <summary>While true, every upsert and removal throws.</summary>
    public volatile bool Refusing;

    /// <summary>Registrations refused so far.</summary>
    public int Refused;

    /// <summary>Rows written (registered or updated) so far.</summary>
    public int Upserts;

    public Task<ReminderTableData> ReadRows(GrainId grainId) =>
        Task.FromResult(new ReminderTableData(_rows.Values.Where(r => r.GrainId == grainId).ToList()));

    public Task<ReminderTableData> ReadRows(uint begin, uint end) =>
        Task.FromResult(new ReminderTableData(_rows.Values.Where(r => InRange(r.GrainId.GetUniformHashCode(), begin, end)).ToList()));

    public Task<ReminderEntry?> ReadRow(GrainId grainId, string reminderName) =>
        Task.FromResult(_rows.TryGetValue((grainId, reminderName), out var row) ? row : null);

    public Task<string?> UpsertRow(ReminderEntry entry)
    {
        Refuse();
        Interlocked.Increment(ref Upserts);
        entry.ETag = Guid.NewGuid().ToString("N");
        _rows[(entry.GrainId, entry.ReminderName)] = entry;
        return Task.FromResult<string?>(entry.ETag);
    }

    public Task<bool> RemoveRow(GrainId grainId, string reminderName, string eTag)
    {
        Refuse();
        return Task.FromResult(_rows.TryGetValue((grainId, reminderName), out var row) && row.ETag == eTag && _rows.TryRemove((grainId, reminderName), out _));
    }

    public Task TestOnlyClearTable()
    {
        _rows.Clear();
        return Task.CompletedTask;
    }

    private void Refuse()
    {
        if (Refusing)
        {
            Interlocked.Increment(ref Refused);
            throw new InvalidOperationException("The reminder table is unavailable (test switch).");
        }
    }

    /// <summary>The ring's range (begin, end], wrapping past the top when begin ≥ end.</summary>
    private static bool InRange(uint hash, uint begin, uint end) =>
        begin < end ? hash > begin && hash <= end : hash > begin || hash <= end;
}
