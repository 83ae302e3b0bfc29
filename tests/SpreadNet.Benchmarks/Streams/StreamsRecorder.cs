using System.Diagnostics;

namespace SpreadNet.Benchmarks.Streams;

/// <summary>Which part of a run an event belongs to: its latency is recorded per phase.</summary>
public enum BenchPhase
{
    /// <summary>Warm-up or after the window: counted, latency not recorded.</summary>
    Untimed = 0,

    /// <summary>The light fixed load.</summary>
    Latency = 1,

    /// <summary>Producers going flat out.</summary>
    Throughput = 2,
}

/// <summary>
/// What each subscriber received: a count and, per phase, end-to-end latency (the event's
/// <see cref="Stopwatch"/> stamp to the subscriber's handler; silos share the benchmark process,
/// so one clock). One instance is registered in every silo of a run.
/// </summary>
public sealed class StreamsRecorder
{
    private readonly Subscriber[] _subscribers;

    public StreamsRecorder(int subscribers)
    {
        _subscribers = [.. Enumerable.Range(0, subscribers).Select(_ => new Subscriber())];
        AttachedOn = new string?[subscribers];
    }

    public int Subscribers => _subscribers.Length;

    /// <summary>The silo each subscriber was attached on (set by the subscriber).</summary>
    public string?[] AttachedOn { get; }

    public void Record(int subscriber, BenchEvent item)
    {
        long now = Stopwatch.GetTimestamp();
        var s = _subscribers[subscriber];
        Interlocked.Increment(ref s.Count);
        if (item.Phase != BenchPhase.Untimed)
        {
            // One grain activation writes each subscriber's histograms; the lock orders it with reads.
            lock (s)
            {
                s.Histograms[(int)item.Phase].RecordNanos((long)((now - item.SentAt) * (1e9 / Stopwatch.Frequency)));
            }
        }
    }

    public long Count(int subscriber) => Interlocked.Read(ref _subscribers[subscriber].Count);

    public long MinCount() => Enumerable.Range(0, _subscribers.Length).Min(Count);

    /// <summary>Every subscriber's latency of <paramref name="phase"/> in one histogram.</summary>
    internal LatencyHistogram Latency(BenchPhase phase)
    {
        var merged = new LatencyHistogram();
        foreach (var s in _subscribers)
        {
            lock (s)
            {
                merged.Add(s.Histograms[(int)phase]);
            }
        }

        return merged;
    }

    private sealed class Subscriber
    {
        public long Count;

        public readonly LatencyHistogram[] Histograms = [new(), new(), new()];
    }
}
