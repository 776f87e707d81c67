using System.Runtime.InteropServices;

namespace PostNext.SchedulerBenchmark;

/// <summary>
/// SIGINT and SIGTERM cancel <see cref="Token"/> instead of ending the process, so the run unwinds and stops what it
/// started (the silo, the workers, PostgreSQL) before it exits.
/// </summary>
public sealed class StopSignals : IDisposable
{
    private readonly CancellationTokenSource _stop = new();
    private readonly PosixSignalRegistration[] _registrations;

    public StopSignals() =>
        _registrations = [.. new[] { PosixSignal.SIGINT, PosixSignal.SIGTERM }.Select(signal => PosixSignalRegistration.Create(signal, context =>
        {
            context.Cancel = true;
            _stop.Cancel();
        }))];

    public CancellationToken Token => _stop.Token;

    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }

        _stop.Dispose();
    }
}
