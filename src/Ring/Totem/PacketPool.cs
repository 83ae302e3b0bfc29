using System.Collections.Concurrent;

namespace SpreadNet.Ring.Totem;

/// <summary>
/// Fixed-size datagram buffers shared by one node's submitters, engine and transport. Thread-safe;
/// keeps at most <c>maxRetained</c> buffers and lets the rest go to the GC.
/// </summary>
public sealed class PacketPool
{
    private const int MaxRetainedLeases = 4096;

    private readonly ConcurrentQueue<byte[]> _free = new();
    private readonly ConcurrentQueue<PacketLease> _freeLeases = new();
    private readonly int _maxRetained;
    private int _retained;

    /// <summary>Creates a pool of buffers of <paramref name="bufferSize"/> bytes.</summary>
    public PacketPool(int bufferSize, int maxRetained)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(bufferSize);
        BufferSize = bufferSize;
        _maxRetained = maxRetained;
    }

    /// <summary>Size of every buffer in bytes.</summary>
    public int BufferSize { get; }

    /// <summary>Takes a buffer.</summary>
    public byte[] Rent()
    {
        if (_free.TryDequeue(out var buffer))
        {
            Interlocked.Decrement(ref _retained);
            return buffer;
        }

        return GC.AllocateUninitializedArray<byte>(BufferSize, pinned: true);
    }

    /// <summary>Gives a buffer back; it must not be used afterwards.</summary>
    public void Return(byte[] buffer)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (buffer.Length != BufferSize)
        {
            return;
        }

        if (Interlocked.Increment(ref _retained) <= _maxRetained)
        {
            _free.Enqueue(buffer);
        }
        else
        {
            Interlocked.Decrement(ref _retained);
        }
    }

    /// <summary>Wraps a buffer in a lease holding one reference; the lease returns it when released.</summary>
    internal PacketLease Lease(byte[] buffer, bool fromArrayPool)
    {
        if (!_freeLeases.TryDequeue(out var lease))
        {
            lease = new PacketLease(this);
        }

        lease.Attach(buffer, fromArrayPool);
        return lease;
    }

    internal void ReturnLease(PacketLease lease)
    {
        if (_freeLeases.Count < MaxRetainedLeases)
        {
            _freeLeases.Enqueue(lease);
        }
    }
}
