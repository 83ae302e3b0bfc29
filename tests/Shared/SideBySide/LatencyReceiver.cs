using System.Buffers.Binary;
using System.Diagnostics;
using SpreadNet.Ring;
using SpreadNet.Ring.Totem;

namespace SpreadNet.Testing.SideBySide;

/// <summary>Which part of the run a vital message was sent in; the sender writes it into the payload.</summary>
internal enum VitalPhase : byte
{
    Unmeasured = 0,
    Alone = 1,
    UnderBulk = 2,
}

/// <summary>
/// A vital node's delivery handler: submit-to-delivery latency of the measured messages, into
/// preallocated arrays (one per phase) so that recording allocates nothing on the ring's thread.
/// </summary>
internal sealed class LatencyReceiver(int capacityPerPhase) : IDeliveryHandler
{
    private readonly long[][] _ticks = [[], new long[capacityPerPhase], new long[capacityPerPhase]];
    private readonly int[] _counts = new int[3];

    /// <summary>Payload layout: Stopwatch timestamp at submit, then the phase.</summary>
    public static void Stamp(Span<byte> payload, VitalPhase phase)
    {
        payload[8] = (byte)phase;
        BinaryPrimitives.WriteInt64LittleEndian(payload, Stopwatch.GetTimestamp());
    }

    public void OnDelivery(in Delivery delivery)
    {
        long now = Stopwatch.GetTimestamp();
        var payload = delivery.Payload;
        int phase = payload[8];
        if (phase == (int)VitalPhase.Unmeasured || phase >= _ticks.Length)
        {
            return;
        }

        int index = _counts[phase];
        if (index < _ticks[phase].Length)
        {
            _ticks[phase][index] = now - BinaryPrimitives.ReadInt64LittleEndian(payload);
            Volatile.Write(ref _counts[phase], index + 1);
        }
    }

    /// <summary>The samples of <paramref name="phase"/> recorded so far.</summary>
    public ReadOnlySpan<long> Samples(VitalPhase phase) => _ticks[(int)phase].AsSpan(0, Volatile.Read(ref _counts[(int)phase]));
}

/// <summary>
/// A bulk node's delivery handler: counts messages and payload bytes and, while
/// <see cref="Recording"/>, samples how long bulk messages took from first being offered to the
/// node (waiting for room in the send queue included) to delivery here.
/// </summary>
internal sealed class ThroughputCounter(int sampleCapacity) : IDeliveryHandler
{
    private const int SampleEvery = 64;

    private readonly long[] _ticks = new long[sampleCapacity];
    private int _samples;
    private long _messages;
    private long _bytes;
    private volatile bool _recording;

    public long Messages => Volatile.Read(ref _messages);

    public long Bytes => Volatile.Read(ref _bytes);

    public bool Recording
    {
        get => _recording;
        set => _recording = value;
    }

    public ReadOnlySpan<long> Samples => _ticks.AsSpan(0, Volatile.Read(ref _samples));

    public void OnDelivery(in Delivery delivery)
    {
        var payload = delivery.Payload;
        if (_recording && _messages % SampleEvery == 0 && _samples < _ticks.Length && payload.Length >= 8)
        {
            _ticks[_samples] = Stopwatch.GetTimestamp() - BinaryPrimitives.ReadInt64LittleEndian(payload);
            Volatile.Write(ref _samples, _samples + 1);
        }

        Volatile.Write(ref _bytes, _bytes + payload.Length);
        Volatile.Write(ref _messages, _messages + 1);
    }
}
