using PostNext.Abstractions.Scheduling;
using PostNext.Abstractions.Workspaces;
using PostNext.Grains.Scheduling;

namespace PostNext.Grains.Tests.Scheduling;

/// <summary>Queue slots are local wall-clock times: they stay put across DST changes, and skipped or repeated hours resolve predictably.</summary>
public sealed class QueueSlotsTests
{
    private static readonly TimeZoneInfo Paris = TimeZoneInfo.FindSystemTimeZoneById("Europe/Paris");
    private static readonly TimeZoneInfo NewYork = TimeZoneInfo.FindSystemTimeZoneById("America/New_York");

    [Fact]
    public void A_0930_slot_is_0930_local_on_both_sides_of_the_spring_change()
    {
        // Paris moves from +01:00 to +02:00 on Sunday 2027-03-28.
        IReadOnlyList<QueueSlot> slots = [new(DayOfWeek.Saturday, new TimeOnly(9, 30)), new(DayOfWeek.Monday, new TimeOnly(9, 30))];
        var after = new DateTimeOffset(2027, 3, 26, 12, 0, 0, TimeSpan.Zero);

        var saturday = QueueSlots.NextFree(slots, Paris, after, after.AddDays(14), new HashSet<DateTimeOffset>())!.Value;
        var monday = QueueSlots.NextFree(slots, Paris, saturday, after.AddDays(14), new HashSet<DateTimeOffset>())!.Value;

        Assert.Equal(new DateTimeOffset(2027, 3, 27, 8, 30, 0, TimeSpan.Zero), saturday); // 09:30 at +01:00
        Assert.Equal(new DateTimeOffset(2027, 3, 29, 7, 30, 0, TimeSpan.Zero), monday);   // 09:30 at +02:00
    }

    [Fact]
    public void Taken_slots_are_skipped_to_the_next_free_one()
    {
        IReadOnlyList<QueueSlot> slots = [new(DayOfWeek.Tuesday, new TimeOnly(18, 0))];
        var after = new DateTimeOffset(2027, 6, 1, 0, 0, 0, TimeSpan.Zero); // a Tuesday
        var first = new DateTimeOffset(2027, 6, 1, 22, 0, 0, TimeSpan.Zero); // 18:00 EDT

        var next = QueueSlots.NextFree(slots, NewYork, after, after.AddDays(30), new HashSet<DateTimeOffset> { first });

        Assert.Equal(first.AddDays(7), next);
    }

    [Fact]
    public void No_slots_or_none_free_in_the_lookahead_gives_nothing()
    {
        var after = new DateTimeOffset(2027, 6, 1, 0, 0, 0, TimeSpan.Zero);
        Assert.Null(QueueSlots.NextFree([], Paris, after, after.AddDays(30), new HashSet<DateTimeOffset>()));
        IReadOnlyList<QueueSlot> slots = [new(DayOfWeek.Tuesday, new TimeOnly(18, 0))];
        Assert.Null(QueueSlots.NextFree(slots, Paris, after.AddHours(20), after.AddDays(6), new HashSet<DateTimeOffset>()));
    }

    [Fact]
    public void A_time_skipped_by_spring_forward_moves_forward_by_the_gap()
    {
        var instant = LocalTimes.ToInstant(new DateTime(2027, 3, 28, 2, 30, 0), Paris);
        Assert.Equal(new DateTimeOffset(2027, 3, 28, 1, 30, 0, TimeSpan.Zero), instant.ToUniversalTime()); // 03:30 CEST
        Assert.True(LocalTimes.IsSkipped(new DateTime(2027, 3, 28, 2, 30, 0), Paris));
    }

    [Fact]
    public void A_time_repeated_by_fall_back_takes_its_first_occurrence()
    {
        // New York repeats 01:00–02:00 on 2027-11-07; the first 01:30 is EDT (-04:00).
        var instant = LocalTimes.ToInstant(new DateTime(2027, 11, 7, 1, 30, 0), NewYork);
        Assert.Equal(new DateTimeOffset(2027, 11, 7, 5, 30, 0, TimeSpan.Zero), instant.ToUniversalTime());
    }

    [Fact]
    public void Unknown_zones_are_not_found()
    {
        Assert.Null(LocalTimes.FindZone("Mars/Olympus"));
        Assert.NotNull(LocalTimes.FindZone("Asia/Kolkata"));
    }
}
