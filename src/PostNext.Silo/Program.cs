using PostNext.ServiceDefaults.Health;
using PostNext.Silo.Hosting;

switch (args.FirstOrDefault())
{
    case MigrateCommand.Name:
        return await MigrateCommand.RunAsync(args[1..]);
    case HealthProbeCommand.Name:
        return await HealthProbeCommand.RunAsync(args[1..]);
}

var app = SiloHost.Build(SiloHost.CreateBuilder(args));
await app.RunAsync();
return 0;
