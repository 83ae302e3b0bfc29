using System.Diagnostics;
using SpreadNet.Ring;
using SpreadNet.Ring.Totem;

namespace SpreadNet.Benchmarks;

/// <summary>
/// What one node delivered: counts deliveries, folds the delivered order into a hash, and records
/// submit-to-delivery latency of this node's own timestamped messages submitted inside the
/// measurement window. Fed either by the node's thread (raw API: it is the node's
/// <see cref="IDeliveryHandler"/>) or by the node's session reader (<see cref="Record"/>); one
/// writer either way. Never allocates.
/// </summary>
internal sealed class DeliveryProbe(int index) : IDeliveryHandler
{
    private const ulong FnvOffset = 14695981039346656037;
    private const ulong FnvPrime = 1099511628211;

    private readonly LatencyHistogram[] _histograms = [new(), new()];
    private long _delivered;
    private long _bytes;
    private ulong _orderHash = FnvOffset;
    private long _windowFrom = long.MaxValue;
    private long _windowUntil = long.MaxValue;

    public int Index { get; } = index;

    public long Delivered => Volatile.Read(ref _delivered);

    public long Bytes => Volatile.Read(ref _bytes);

    /// <summary>Fingerprint of the delivered order; equal at every node once they delivered the same messages.</summary>
    public ulong OrderHash => Volatile.Read(ref _orderHash);

    public LatencyHistogram Histogram(Phase phase) => _histograms[(int)phase];

    /// <summary>Records latency of own messages submitted between the two Stopwatch timestamps.</summary>
    public void SetWindow(long from, long until)
    {
        Volatile.Write(ref _windowFrom, from);
        Volatile.Write(ref _windowUntil, until);
    }

    public void OnDelivery(in Delivery delivery) => Record(delivery.Payload);

    public void Record(ReadOnlySpan<byte> payload)
    {
        if (payload.Length >= Payload.HeaderSize)
        {
            _orderHash = (_orderHash ^ Payload.Identity(payload)) * FnvPrime;
            long sent = Payload.Timestamp(payload);
            if (sent != 0 && sent >= Volatile.Read(ref _windowFrom) && sent < Volatile.Read(ref _windowUntil) && Payload.Sender(payload) == Index)
            {
                long elapsed = Stopwatch.GetTimestamp() - sent;
                _histograms[(byte)Payload.PhaseOf(payload) & 1].RecordNanos((long)(elapsed * Payload.NanosPerTick));
            }
        }

        Volatile.Write(ref _bytes, _bytes + payload.Length);
        Volatile.Write(ref _delivered, _delivered + 1);
    }
}
