using Orleans.Concurrency;
using PostNext.Abstractions.Calendar;
using PostNext.Storage.Calendar;

namespace PostNext.Grains.Calendar;

/// <summary>A workspace's calendar: answers range queries from the calendar index; holds no state of its own.</summary>
[Reentrant]
public sealed class CalendarGrain(ICalendarStore store) : Grain, ICalendarGrain
{
    public Task<CalendarPage> QueryAsync(CalendarQuery query)
    {
        if (query.WorkspaceId != this.GetPrimaryKeyString())
        {
            throw new ArgumentException("The query must be for this grain's workspace.", nameof(query));
        }

        return store.QueryAsync(query);
    }
}
