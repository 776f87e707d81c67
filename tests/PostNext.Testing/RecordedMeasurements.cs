using System.Collections.Concurrent;
using System.Diagnostics.Metrics;

namespace PostNext.Testing;

/// <summary>One measurement an instrument recorded: its value and tags.</summary>
public sealed record Measurement(string Instrument, double Value, IReadOnlyDictionary<string, string?> Tags)
{
    /// <summary>Whether every given tag has the given value.</summary>
    public bool Has(params (string Key, string Value)[] tags) =>
        tags.All(t => Tags.TryGetValue(t.Key, out var value) && value == t.Value);
}

/// <summary>
/// Listens, with <see cref="MeterListener"/>, to every instrument of one meter (by name) and keeps what they record
/// from now on, so a test reads what an instrument recorded on the real path. Meters are process-wide: a test using it
/// runs where no other test records at the same time (a collection without parallelization).
/// </summary>
public sealed class RecordedMeasurements : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly ConcurrentQueue<Measurement> _measurements = new();

    public RecordedMeasurements(string meterName)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == meterName)
            {
                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.SetMeasurementEventCallback<long>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<double>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.SetMeasurementEventCallback<int>((instrument, value, tags, _) => Add(instrument, value, tags));
        _listener.Start();
    }

    /// <summary>Asks every observable instrument (gauges) for its current value now, as a scrape does.</summary>
    public void Collect() => _listener.RecordObservableInstruments();

    /// <summary>Everything recorded so far.</summary>
    public IReadOnlyList<Measurement> All => [.. _measurements];

    /// <summary>The measurements of one instrument that carry the given tags.</summary>
    public IReadOnlyList<Measurement> Of(string instrument, params (string Key, string Value)[] tags) =>
        [.. _measurements.Where(m => m.Instrument == instrument && m.Has(tags))];

    /// <summary>Waits until one instrument recorded at least <paramref name="count"/> measurements with the given tags; returns them.</summary>
    public async Task<IReadOnlyList<Measurement>> WaitForAsync(string instrument, TimeSpan timeout, int count, params (string Key, string Value)[] tags)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            var found = Of(instrument, tags);
            if (found.Count >= count)
            {
                return found;
            }

            if (DateTime.UtcNow > deadline)
            {
                var seen = string.Join("; ", All.Where(m => m.Instrument == instrument)
                    .Select(m => string.Join(",", m.Tags.OrderBy(t => t.Key).Select(t => $"{t.Key}={t.Value}"))).Distinct());
                throw new TimeoutException(
                    $"{instrument} recorded {found.Count} of {count} measurements with {string.Join(",", tags.Select(t => $"{t.Key}={t.Value}"))} in {timeout}; it recorded: [{seen}]");
            }

            await Task.Delay(100);
        }
    }

    private void Add<T>(Instrument instrument, T value, ReadOnlySpan<KeyValuePair<string, object?>> tags)
        where T : struct
    {
        var copy = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (var tag in tags)
        {
            copy[tag.Key] = tag.Value?.ToString();
        }

        _measurements.Enqueue(new Measurement(instrument.Name, Convert.ToDouble(value, System.Globalization.CultureInfo.InvariantCulture), copy));
    }

    public void Dispose() => _listener.Dispose();
}
