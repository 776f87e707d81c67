using PostNext.Front;
using PostNext.ServiceDefaults.Health;

if (args.FirstOrDefault() == HealthProbeCommand.Name)
{
    return await HealthProbeCommand.RunAsync(args[1..]);
}

var app = FrontHost.Build(FrontHost.CreateBuilder(args));
await app.RunAsync();
return 0;
