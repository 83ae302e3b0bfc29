namespace SpreadNet.Ring.Totem;

/// <summary>
/// The data packets of one ring that a node holds, indexed by sequence number in a power-of-two
/// ring of slots: from just above what every member has (freed) up to the receive window.
/// Owns the buffers it holds and returns them to the pool when freed.
/// </summary>
internal sealed class PacketStore
{
    private readonly byte[]?[] _buffers;
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
            long slot = next & _mask;
            if (_buffers[slot] is { } buffer)
            {
                _pool.Return(buffer);
                _buffers[slot] = null;
            }

            FreedUpTo = next;
        }
    }

    /// <summary>Frees everything and starts a new sequence space after <paramref name="seq"/>.</summary>
    public void Reset(long seq)
    {
        for (int i = 0; i < _buffers.Length; i++)
        {
            if (_buffers[i] is { } buffer)
            {
                _pool.Return(buffer);
                _buffers[i] = null;
            }
        }

        FreedUpTo = seq;
    }
}
