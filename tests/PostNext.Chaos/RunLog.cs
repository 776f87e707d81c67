using System.Diagnostics;
using System.Globalization;

namespace PostNext.Chaos;

/// <summary>The run's narrative: each line stamped with the time since the run began, to the console (or a test's output) and to chaos.log.</summary>
public sealed class RunLog : IDisposable
{
    private readonly Stopwatch _clock = Stopwatch.StartNew();
    private readonly Action<string> _sink;
    private readonly Lock _gate = new();
    private StreamWriter? _file;

    public RunLog(Action<string> sink) => _sink = sink;

    /// <summary>Also write every line to <paramref name="path"/> from now on.</summary>
    public void WriteTo(string path)
    {
        lock (_gate)
        {
            _file = new StreamWriter(path, append: true) { AutoFlush = true };
        }
    }

    public void Line(string message)
    {
        var line = string.Create(CultureInfo.InvariantCulture, $"[{_clock.Elapsed:mm\\:ss\\.f}] {message}");
        lock (_gate)
        {
            _sink(line);
            _file?.WriteLine(line);
        }
    }

    public void Dispose()
    {
        lock (_gate)
        {
            _file?.Dispose();
            _file = null;
        }
    }
}
