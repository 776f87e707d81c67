using System.Collections.Concurrent;
using Microsoft.Extensions.DependencyInjection;
using Orleans;
using PostNext.Silo.Hosting;

namespace PostNext.Api.Tests.Security;

/// <summary>An embedded host with its own settings that counts the grain calls it serves, by interface and method.</summary>
public sealed class SecurityHost : IAsyncDisposable
{
    public const string OperatorKey = "security-tests-operator-key";

    private readonly RunningHost _host;

    private SecurityHost(RunningHost host, GrainCallCounter calls)
    {
        _host = host;
        Calls = calls;
        Api = new ApiClient(host.Http, OperatorKey);
    }

    public ApiClient Api { get; }

    public GrainCallCounter Calls { get; }

    public IGrainFactory Grains => _host.Services.GetRequiredService<IGrainFactory>();

    public static async Task<SecurityHost> StartAsync(params string[] settings)
    {
        var calls = new GrainCallCounter();
        var builder = SiloHost.CreateBuilder(
        [
            "--urls=http://127.0.0.1:0",
            $"--PostNext:OperatorKey={OperatorKey}",
            $"--PostNext:Cluster:SiloPort={FreePort.Next()}",
            $"--PostNext:Cluster:GatewayPort={FreePort.Next()}",
            "--Logging:LogLevel:Default=Warning",
            .. settings,
        ]);
        builder.Services.AddSingleton<IIncomingGrainCallFilter>(calls);
        return new SecurityHost(await RunningHost.StartAsync(SiloHost.Build(builder)), calls);
    }

    public ValueTask DisposeAsync() => _host.DisposeAsync();
}

/// <summary>Counts incoming grain calls as "Interface.Method" (e.g. "IWorkspaceGrain.CheckApiKeyAsync").</summary>
public sealed class GrainCallCounter : IIncomingGrainCallFilter
{
    private readonly ConcurrentDictionary<string, int> _counts = new(StringComparer.Ordinal);

    public int this[string call] => _counts.GetValueOrDefault(call);

    public void Reset() => _counts.Clear();

    public Task Invoke(IIncomingGrainCallContext context)
    {
        _counts.AddOrUpdate($"{context.InterfaceMethod.DeclaringType?.Name}.{context.InterfaceMethod.Name}", 1, (_, n) => n + 1);
        return context.Invoke();
    }
}
