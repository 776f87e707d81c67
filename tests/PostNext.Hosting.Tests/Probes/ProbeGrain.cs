using Orleans.Placement;
using PostNext.Abstractions;

namespace PostNext.Hosting.Tests.Probes;

/// <summary>A test grain that exercises the storage and reminder providers and says where it runs.</summary>
[Alias("PostNext.Hosting.Tests.IProbeGrain")]
public interface IProbeGrain : IGrainWithStringKey
{
    [Alias("Increment")]
    Task<int> IncrementAsync();

    [Alias("Get")]
    Task<ProbeSnapshot> GetAsync();

    /// <summary>Registers a reminder that records one tick in state and then unregisters itself.</summary>
    [Alias("ScheduleTick")]
    Task ScheduleTickAsync(TimeSpan dueIn);

    [Alias("WhereAmI")]
    Task<string> WhereAmIAsync();
}

[GenerateSerializer, Alias("PostNext.Hosting.Tests.ProbeSnapshot")]
public sealed record ProbeSnapshot([property: Id(0)] int Count, [property: Id(1)] int Ticks);

[GenerateSerializer, Alias("PostNext.Hosting.Tests.ProbeState")]
public sealed class ProbeState
{
    [Id(0)] public int Count { get; set; }

    [Id(1)] public int Ticks { get; set; }
}

[RandomPlacement]
public sealed class ProbeGrain(
    [PersistentState("probe", StorageNames.Grains)] IPersistentState<ProbeState> state,
    ILocalSiloDetails silo) : Grain, IProbeGrain, IRemindable
{
    public const string ReminderName = "probe-tick";

    public async Task<int> IncrementAsync()
    {
        state.State.Count++;
        await state.WriteStateAsync();
        return state.State.Count;
    }

    public Task<ProbeSnapshot> GetAsync() => Task.FromResult(new ProbeSnapshot(state.State.Count, state.State.Ticks));

    public async Task ScheduleTickAsync(TimeSpan dueIn) =>
        await this.RegisterOrUpdateReminder(ReminderName, dueIn, TimeSpan.FromMinutes(1));

    public Task<string> WhereAmIAsync() => Task.FromResult(silo.SiloAddress.ToParsableString());

    public async Task ReceiveReminder(string reminderName, TickStatus status)
    {
        state.State.Ticks++;
        await state.WriteStateAsync();
        if (await this.GetReminder(reminderName) is { } reminder)
        {
            await this.UnregisterReminder(reminder);
        }
    }
}
