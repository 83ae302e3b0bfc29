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

/// <summary>
/// Copies for one session that has fallen behind, packed one after another into datagram buffers of
/// the node's pool, each shared by the payloads copied into it as a received datagram is by the
/// payloads sliced from it. A lagging session thus holds about the bytes it has queued (not a
/// datagram per small message), and copying allocates nothing: a copy per message from the shared
/// array pool, rented on the node's thread and returned on the reader's, missed the pool's
/// per-thread caches and allocated an array per message at saturation. Used on the node's thread only.
/// </summary>
internal sealed class PayloadCopier
{
    private PacketLease? _chunk;
    private int _used;

    /// <summary>
    /// Copies <paramref name="payload"/> into the open buffer (a fresh one when it does not fit) and
    /// points <paramref name="lease"/> at it; false when the payload is larger than a buffer.
    /// </summary>
    public bool TryCopy(PacketPool pool, ReadOnlySpan<byte> payload, PayloadLease lease)
    {
        if (payload.Length > pool.BufferSize)
        {
            return false;
        }

        if (_chunk is null || pool.BufferSize - _used < payload.Length)
        {
            // The copier's own reference keeps the buffer open for more copies; the payloads in it
            // hold one each, and the last release returns it to the pool.
            _chunk?.Release();
            _chunk = pool.Lease(pool.Rent(), fromArrayPool: false);
            _used = 0;
        }

        payload.CopyTo(_chunk.Buffer.AsSpan(_used));
        _chunk.AddReference();
        lease.Share(_chunk, _used, payload.Length);
        _used += payload.Length;
        return true;
    }

    /// <summary>Lets the open buffer go back to the pool once its payloads are released (the session caught up or ended).</summary>
    public void Close()
    {
        _chunk?.Release();
        _chunk = null;
        _used = 0;
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
