using PostNext.SchedulerBenchmark;
using PostNext.SchedulerBenchmark.Calendar;
using PostNext.SchedulerBenchmark.Million;
using PostNext.SchedulerBenchmark.Workers;

// The scheduler benchmark of issue #11: `dotnet run -c Release --project tests/PostNext.SchedulerBenchmark -- --jobs 10000`.
// Exit code 0: the run completed (every job ran once; or the million mode measured); 1: a scheduler lost, duplicated
// or failed jobs (the table says which); 2: bad arguments, or the run itself failed or was interrupted.
switch (args)
{
    case ["worker", ..]:
        return await WorkerHost.RunAsync(args[1..]);
    case [..] when args.Contains("--help") || args.Contains("-h"):
        Console.WriteLine(BenchmarkOptions.Usage);
        return 0;
}

if (BenchmarkOptions.Parse(args, out var error) is not { } options)
{
    Console.Error.WriteLine($"{error}{Environment.NewLine}{Environment.NewLine}{BenchmarkOptions.Usage}");
    return 2;
}

using var stop = new StopSignals();
try
{
    if (options.CalendarRender)
    {
        await CalendarRenderRunner.RunAsync(options, Console.WriteLine, stop.Token);
        return 0;
    }

    if (options.Million)
    {
        await MillionRunner.RunAsync(options, Console.WriteLine, stop.Token);
        return 0;
    }

    var report = await BenchmarkRunner.RunAsync(options, Console.WriteLine, stop.Token);
    return report.Results.All(r => r.Complete) ? 0 : 1;
}
catch (OperationCanceledException) when (stop.Token.IsCancellationRequested)
{
    Console.Error.WriteLine("Interrupted; the silo, the workers and PostgreSQL were stopped.");
    return 2;
}
catch (Exception ex) when (ex is not OperationCanceledException)
{
    Console.Error.WriteLine($"The benchmark failed: {ex}");
    return 2;
}
