namespace PostNext.Grains.Common;

/// <summary>
/// One call in flight, shared by every caller that comes while it runs: for interleaving grain methods that would
/// otherwise each do the same write (a reminder registration). Once it ends (well or not) the next caller starts anew,
/// so a failure is tried again. Used from grain turns only (one thread at a time).
/// </summary>
public sealed class SharedCall
{
    private Task? _running;

    public async Task RunAsync(Func<Task> start)
    {
        var running = _running ??= start();
        try
        {
            await running;
        }
        finally
        {
            if (ReferenceEquals(_running, running))
            {
                _running = null;
            }
        }
    }
}
