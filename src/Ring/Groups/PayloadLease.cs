using System.Buffers;
using System.Collections.Concurrent;
using SpreadNet.Ring.Totem;

namespace SpreadNet.Ring.Groups;

/// <summary>
/// One recipient's hold on one delivered payload: a slice of a shared receive buffer, or (for a
/// session that has fallen behind) a private copy. Pooled; a generation number makes a second
/// release, or a use after release, harmless or loud instead of corrupting a recycled lease.
/// </summary>
internal sealed class PayloadLease
{
    private readonly PayloadLeasePool _pool;
    private PacketLease? _packet;
    private byte[]? _copy;
    private int _offset;
    private int _length;
    private int _generation;

    public PayloadLease(PayloadLeasePool pool) => _pool = pool;

    public int Generation => Volatile.Read(ref _generation);

    public int Length => _length;

    public void Share(PacketLease packet, int offset, int length)
    {
        _packet = packet;
        _copy = null;
        _offset = offset;
        _length = length;
    }

    public void Copy(ReadOnlySpan<byte> payload)
    {
        _packet = null;
        _copy = ArrayPool<byte>.Shared.Rent(Math.Max(payload.Length, 1));
        payload.CopyTo(_copy);
        _offset = 0;
        _length = payload.Length;
    }

    public ReadOnlyMemory<byte> Memory(int generation)
    {
        var buffer = (object?)_copy ?? _packet;
        if (Volatile.Read(ref _generation) != generation || buffer is null)
        {
            throw new ObjectDisposedException(nameof(RingMessage), "The message was disposed: its payload went back to the pool. Copy what you keep before disposing.");
        }

        return (_copy ?? _packet!.Buffer).AsMemory(_offset, _length);
    }

    public void Release(int generation)
    {
        if (Interlocked.CompareExchange(ref _generation, generation + 1, generation) != generation)
        {
            return;
        }

        if (_copy is { } copy)
        {
            _copy = null;
            ArrayPool<byte>.Shared.Return(copy);
        }

        var packet = _packet;
        _packet = null;
        packet?.Release();
        _pool.Return(this);
    }
}

/// <summary>The payload leases of one ring node.</summary>
internal sealed class PayloadLeasePool
{
    private const int MaxRetained = 65_536;
    private readonly ConcurrentQueue<PayloadLease> _free = new();

    public PayloadLease Rent() => _free.TryDequeue(out var lease) ? lease : new PayloadLease(this);

    public void Return(PayloadLease lease)
    {
        if (_free.Count < MaxRetained)
        {
            _free.Enqueue(lease);
        }
    }
}
