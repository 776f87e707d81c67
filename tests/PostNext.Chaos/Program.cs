using System.Runtime.InteropServices;
using PostNext.Chaos;

// The chaos suite of issue #10, one command: `dotnet run -c Release --project tests/PostNext.Chaos` (the full run).
// Exit code 0: every goal met; 1: a goal missed (the report says which); 2: the run itself failed or was interrupted.
if (args.Contains("--help") || args.Contains("-h"))
{
    Console.WriteLine(ChaosOptions.Usage);
    return 0;
}

var options = ChaosOptions.Parse(args, out var error);
if (options is null)
{
    Console.Error.WriteLine(error);
    Console.Error.WriteLine(ChaosOptions.Usage);
    return 2;
}

using var interrupted = new CancellationTokenSource();
void Interrupt(PosixSignalContext context)
{
    // Stop the run, not this process: the finally blocks stop the silos, the front and PostgreSQL first.
    context.Cancel = true;
    interrupted.Cancel();
}

using var sigint = PosixSignalRegistration.Create(PosixSignal.SIGINT, Interrupt);
using var sigterm = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Interrupt);
using var sighup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, Interrupt);
try
{
    var report = await ChaosRunner.RunAsync(options, Console.WriteLine, interrupted.Token);
    return report.Passed ? 0 : 1;
}
catch (OperationCanceledException) when (interrupted.IsCancellationRequested)
{
    return 2;
}
catch (Exception ex)
{
    Console.Error.WriteLine($"The chaos run failed: {ex.Message}");
    return 2;
}
