using PostNext.ServiceDefaults.Health;

namespace PostNext.Silo.Hosting;

/// <summary>Marks the process ready when the silo becomes active and not ready when it starts to stop.</summary>
internal sealed class SiloReadiness(Readiness readiness) : ILifecycleParticipant<ISiloLifecycle>
{
    public void Participate(ISiloLifecycle lifecycle) =>
        lifecycle.Subscribe<SiloReadiness>(
            ServiceLifecycleStage.Active,
            _ =>
            {
                readiness.MarkReady();
                return Task.CompletedTask;
            },
            _ =>
            {
                readiness.MarkNotReady("silo stopping");
                return Task.CompletedTask;
            });
}
