using System.Diagnostics.Metrics;

namespace SpreadNet.Ring.IntegrationTests;

/// <summary>
/// Listens to the SpreadNet.Ring meters of one ring name and collects their observable instruments
/// on demand, as an exporter would: each measurement keyed by instrument, node and extra tag.
/// </summary>
internal sealed class MetricsSnapshot : IDisposable
{
    private readonly MeterListener _listener = new();
    private readonly Lock _lock = new();
    private readonly Dictionary<string, Instrument> _instruments = [];
    private readonly HashSet<string> _completed = [];
    private readonly Dictionary<(string Instrument, string Node, string Extra), long> _values = [];

    public MetricsSnapshot(string ringName)
    {
        _listener.InstrumentPublished = (instrument, listener) =>
        {
            if (instrument.Meter.Name == RingMetrics.MeterName && instrument.Meter.Tags?.Contains(new(RingMetrics.RingNameTag, ringName)) == true)
            {
                lock (_lock)
                {
                    _instruments[instrument.Name] = instrument;
                }

                listener.EnableMeasurementEvents(instrument);
            }
        };
        _listener.MeasurementsCompleted = (instrument, _) =>
        {
            lock (_lock)
            {
                _completed.Add(instrument.Name);
            }
        };
        _listener.SetMeasurementEventCallback<long>(OnMeasurement);
        _listener.Start();
    }

    public IReadOnlyDictionary<string, Instrument> Instruments
    {
        get
        {
            lock (_lock)
            {
                return new Dictionary<string, Instrument>(_instruments);
            }
        }
    }

    /// <summary>Instruments whose meter was disposed.</summary>
    public IReadOnlySet<string> Completed
    {
        get
        {
            lock (_lock)
            {
                return new HashSet<string>(_completed);
            }
        }
    }

    /// <summary>Calls every observable instrument and returns what they reported this time.</summary>
    public IReadOnlyDictionary<(string Instrument, string Node, string Extra), long> Collect()
    {
        lock (_lock)
        {
            _values.Clear();
        }

        _listener.RecordObservableInstruments();
        lock (_lock)
        {
            return new Dictionary<(string, string, string), long>(_values);
        }
    }

    public void Dispose() => _listener.Dispose();

    private void OnMeasurement(Instrument instrument, long value, ReadOnlySpan<KeyValuePair<string, object?>> tags, object? state)
    {
        string node = string.Empty;
        string extra = string.Empty;
        foreach (var tag in tags)
        {
            if (tag.Key == RingMetrics.NodeTag)
            {
                node = (string)tag.Value!;
            }
            else if (tag.Key != RingMetrics.RingNameTag)
            {
                extra = $"{tag.Key}={tag.Value}";
            }
        }

        lock (_lock)
        {
            _values[(instrument.Name, node, extra)] = value;
        }
    }
}
