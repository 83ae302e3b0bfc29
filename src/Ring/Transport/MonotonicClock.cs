namespace SpreadNet.Ring.Transport;

/// <summary>Microseconds from a <see cref="TimeProvider"/>'s timestamp, the engine's unit of time.</summary>
internal sealed class MonotonicClock(TimeProvider timeProvider)
{
    private readonly double _microsPerTick = 1_000_000.0 / timeProvider.TimestampFrequency;

    public long NowMicros => (long)(timeProvider.GetTimestamp() * _microsPerTick);
}
