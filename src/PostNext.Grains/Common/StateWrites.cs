using Microsoft.Extensions.Logging;

namespace PostNext.Grains.Common;

/// <summary>
/// Grain-state writes that never leave memory ahead of storage. A grain changes its state in memory and then writes
/// it; when the write fails (PostgreSQL down, an ETag conflict because another activation wrote first) the in-memory
/// state no longer matches what is stored, and a retried request would answer from memory what storage never
/// recorded. So a failed write reloads the stored state before the error surfaces, and when even that read fails the
/// activation is dropped so the next call starts from storage.
/// </summary>
public static class StateWrites
{
    /// <summary>Writes the state; on failure restores it from storage (or deactivates) and rethrows.</summary>
    public static async Task WriteOrReloadAsync<T>(this IPersistentState<T> state, IGrainBase grain, ILogger? logger = null)
    {
        try
        {
            await state.WriteStateAsync();
        }
        catch (Exception writeError)
        {
            logger?.LogWarning(writeError, "A state write failed for {Grain}; restoring the stored state", grain.GrainContext.GrainId);
            await state.ReloadOrDeactivateAsync(grain, logger);
            throw;
        }
    }

    /// <summary>Drops in-memory changes: reads the stored state again, or deactivates when even that fails.</summary>
    public static async Task ReloadOrDeactivateAsync<T>(this IPersistentState<T> state, IGrainBase grain, ILogger? logger = null)
    {
        try
        {
            await state.ReadStateAsync();
        }
        catch (Exception readError)
        {
            logger?.LogWarning(readError, "Reloading the stored state failed for {Grain}; deactivating", grain.GrainContext.GrainId);
            grain.DeactivateOnIdle();
        }
    }
}
