namespace SpreadNet.Ring.Totem;

/// <summary>
/// The data packets of one ring that a node holds, indexed by sequence number in a power-of-two
/// ring of slots: from just above what every member has (freed) up to the receive window.
/// Owns the buffers it holds and returns them to the pool when freed.
/// </summary>
internal sealed class PacketStore
{
    private readonly byte[]?[] _buffers;
    private readonly PacketLease?[] _leases;
    private readonly int[] _lengths;
    private readonly long _mask;
    private readonly PacketPool _pool;

    public PacketStore(int capacity, PacketPool pool)
    {
        if (capacity <= 0 || (capacity & (capacity - 1)) != 0)
        {
            throw new ArgumentOutOfRangeException(nameof(capacity), capacity, "Capacity must be a power of two.");
        }

        _buffers = new byte[]?[capacity];
        _leases = new PacketLease?[capacity];
        _lengths = new int[capacity];
        _mask = capacity - 1;
        _pool = pool;
    }

    public int Capacity => _buffers.Length;

    /// <summary>Every packet up to here has been freed (or never existed).</summary>
    public long FreedUpTo { get; private set; }

    /// <summary>Whether <paramref name="seq"/> lies inside the window this store can hold.</summary>
    public bool InWindow(long seq) => seq > FreedUpTo && seq <= FreedUpTo + _buffers.Length;

    public bool Contains(long seq) => InWindow(seq) && _buffers[seq & _mask] is not null;

    /// <summary>Stores a packet, taking ownership of its buffer. False if outside the window or already held.</summary>
    public bool TryAdd(long seq, byte[] buffer, int length)
    {
        if (!InWindow(seq))
        {
            return false;
        }

        long slot = seq & _mask;
        if (_buffers[slot] is not null)
        {
            return false;
        }

        _buffers[slot] = buffer;
        _lengths[slot] = length;
        return true;
    }

    public bool TryGet(long seq, out ReadOnlySpan<byte> datagram)
    {
        if (InWindow(seq) && _buffers[seq & _mask] is { } buffer)
        {
            datagram = buffer.AsSpan(0, _lengths[seq & _mask]);
            return true;
        }

        datagram = default;
        return false;
    }

    /// <summary>
    /// The lease of a stored packet, created at the first request: while a payload handed out from
    /// it is held, freeing the packet only drops the store's reference.
    /// </summary>
    public PacketLease LeaseOf(long seq)
    {
        long slot = seq & _mask;
        var buffer = InWindow(seq) ? _buffers[slot] : null;
        if (buffer is null)
        {
            throw new InvalidOperationException($"Packet {seq} is not stored.");
        }

        return _leases[slot] ??= _pool.Lease(buffer, fromArrayPool: false);
    }

    /// <summary>The buffer holding <paramref name="seq"/> and the packet's length in it.</summary>
    public bool TryGetBuffer(long seq, out byte[] buffer, out int length)
    {
        if (InWindow(seq) && _buffers[seq & _mask] is { } held)
        {
            buffer = held;
            length = _lengths[seq & _mask];
            return true;
        }

        buffer = [];
        length = 0;
        return false;
    }

    /// <summary>Frees every packet up to <paramref name="seq"/>, returning buffers to the pool.</summary>
    public void FreeUpTo(long seq)
    {
        while (FreedUpTo < seq)
        {
            long next = FreedUpTo + 1;
            Free(next & _mask);
            FreedUpTo = next;
        }
    }

    private void Free(long slot)
    {
        if (_leases[slot] is { } lease)
        {
            lease.Release();
            _leases[slot] = null;
        }
        else if (_buffers[slot] is { } buffer)
        {
            _pool.Return(buffer);
        }

        _buffers[slot] = null;
    }

    /// <summary>Frees everything and starts a new sequence space after <paramref name="seq"/>.</summary>
    public void Reset(long seq)
    {
        for (int i = 0; i < _buffers.Length; i++)
        {
            Free(i);
        }

        FreedUpTo = seq;
    }
}
