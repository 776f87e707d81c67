using System.Collections.Concurrent;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Orleans.Hosting;
using Orleans.Storage;
using Orleans.TestingHost;
using PostNext.Abstractions;

namespace PostNext.Grains.Tests.Limits;

/// <summary>
/// A one-silo cluster for asking rate-limit grains directly, with the limits of made-up platforms, over in-memory
/// grain storage that counts every write per grain.
/// </summary>
public sealed class RateLimitCluster : IAsyncLifetime
{
    /// <summary>One permit per hour per account: whatever follows a grant waits.</summary>
    public const string OnePerHour = "one-per-hour";

    /// <summary>One permit per second per account: reservations fall due within seconds.</summary>
    public const string OnePerSecond = "one-per-second";

    /// <summary>A large window on the platform app only, none per account.</summary>
    public const string AppOnly = "app-only";

    public static readonly TimeSpan ReleaseSpacing = TimeSpan.FromMilliseconds(500);
    public static readonly TimeSpan ReservationGrace = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan GrantWriteDelay = TimeSpan.FromSeconds(1);
    public const int MaxWaiting = 2;

    private InProcessTestCluster _cluster = null!;

    public IClusterClient Client => _cluster.Client;

    public StorageWrites Writes { get; } = new();

    public static Dictionary<string, string?> Settings => new()
    {
        [$"PostNext:RateLimits:Platforms:{OnePerHour}:Account:posts:Limit"] = "1",
        [$"PostNext:RateLimits:Platforms:{OnePerHour}:Account:posts:Period"] = "01:00:00",
        [$"PostNext:RateLimits:Platforms:{OnePerSecond}:Account:posts:Limit"] = "1",
        [$"PostNext:RateLimits:Platforms:{OnePerSecond}:Account:posts:Period"] = "00:00:01",
        [$"PostNext:RateLimits:Platforms:{AppOnly}:App:calls:Limit"] = "100000",
        [$"PostNext:RateLimits:Platforms:{AppOnly}:App:calls:Period"] = "01:00:00",
        ["PostNext:RateLimits:ReleaseSpacing"] = ReleaseSpacing.ToString(),
        ["PostNext:RateLimits:ReservationGrace"] = ReservationGrace.ToString(),
        ["PostNext:RateLimits:GrantWriteDelay"] = GrantWriteDelay.ToString(),
        ["PostNext:RateLimits:MaxWaiting"] = MaxWaiting.ToString(System.Globalization.CultureInfo.InvariantCulture),
    };

    public async Task InitializeAsync()
    {
        var builder = new InProcessTestClusterBuilder(1);
        builder.Options.ServiceId = Guid.NewGuid().ToString("N");
        builder.Options.ConfigureFileLogging = false;
        builder.ConfigureSilo((_, silo) =>
        {
            silo.Services.AddPostNextGrains(new ConfigurationBuilder().AddInMemoryCollection(Settings).Build());
            silo.AddMemoryGrainStorage("counted-inner").UseInMemoryReminderService();
            silo.Services.AddKeyedSingleton<IGrainStorage>(StorageNames.Grains,
                (services, _) => new CountingGrainStorage(services.GetRequiredKeyedService<IGrainStorage>("counted-inner"), Writes));
        });
        _cluster = builder.Build();
        await _cluster.DeployAsync();
    }

    public async Task DisposeAsync()
    {
        await _cluster.StopAllSilosAsync();
        await _cluster.DisposeAsync();
    }
}

/// <summary>How many times each grain's state was written.</summary>
public sealed class StorageWrites
{
    private readonly ConcurrentDictionary<string, int> _writes = new(StringComparer.Ordinal);

    /// <summary>Writes of the grain with this key so far.</summary>
    public int Of(string grainKey) => _writes.GetValueOrDefault(grainKey);

    internal void Count(GrainId grainId) => _writes.AddOrUpdate(grainId.Key.ToString()!, 1, (_, count) => count + 1);
}

/// <summary>Passes everything to the real storage and counts the writes.</summary>
internal sealed class CountingGrainStorage(IGrainStorage inner, StorageWrites writes) : IGrainStorage
{
    public Task ReadStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ReadStateAsync(stateName, grainId, grainState);

    public Task WriteStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState)
    {
        writes.Count(grainId);
        return inner.WriteStateAsync(stateName, grainId, grainState);
    }

    public Task ClearStateAsync<T>(string stateName, GrainId grainId, IGrainState<T> grainState) =>
        inner.ClearStateAsync(stateName, grainId, grainState);
}
