using System.Diagnostics;
using System.Globalization;

namespace PostNext.SchedulerBenchmark.Measurement;

/// <summary>Memory and CPU time of a process, from /proc (Linux).</summary>
public sealed record ProcessStats(long RssBytes, long PeakRssBytes, TimeSpan CpuTime)
{
    private static readonly Lazy<long> TicksPerSecond = new(ReadClockTicks);

    public double RssMiB => RssBytes / 1024.0 / 1024.0;

    public double PeakRssMiB => PeakRssBytes / 1024.0 / 1024.0;

    /// <summary>Now: VmRSS and VmHWM (the peak resident set since the process started) and utime + stime; null when it is gone.</summary>
    public static ProcessStats? Read(int processId)
    {
        try
        {
            var status = File.ReadAllLines($"/proc/{processId}/status");
            long Kilobytes(string field) =>
                status.Where(l => l.StartsWith(field + ":", StringComparison.Ordinal))
                    .Select(l => long.Parse(l[(field.Length + 1)..].Trim().Split(' ')[0], CultureInfo.InvariantCulture))
                    .FirstOrDefault() * 1024;

            // /proc/<pid>/stat: the command name (field 2) is in parentheses and may hold spaces; fields 14 and 15
            // (utime, stime, in clock ticks) are the 12th and 13th after the closing one.
            var stat = File.ReadAllText($"/proc/{processId}/stat");
            var fields = stat[(stat.LastIndexOf(')') + 2)..].Split(' ');
            var ticks = long.Parse(fields[11], CultureInfo.InvariantCulture) + long.Parse(fields[12], CultureInfo.InvariantCulture);
            return new ProcessStats(Kilobytes("VmRSS"), Kilobytes("VmHWM"), TimeSpan.FromSeconds(ticks / (double)TicksPerSecond.Value));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private static long ReadClockTicks()
    {
        try
        {
            using var getconf = Process.Start(new ProcessStartInfo("getconf", "CLK_TCK") { RedirectStandardOutput = true, UseShellExecute = false })!;
            var text = getconf.StandardOutput.ReadToEnd().Trim();
            getconf.WaitForExit();
            return long.TryParse(text, CultureInfo.InvariantCulture, out var ticks) && ticks > 0 ? ticks : 100;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return 100;
        }
    }
}
