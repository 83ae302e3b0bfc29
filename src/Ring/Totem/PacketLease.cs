using System.Buffers;

namespace SpreadNet.Ring.Totem;

/// <summary>
/// Shared ownership of one datagram (or reassembled message) buffer, so that delivered payloads can
/// be handed out as slices of the receive buffer instead of copies. The packet store holds one
/// reference while the packet is stored; each payload handed out holds one more. The buffer goes
/// back to its pool when the last reference is released, whichever thread releases it.
/// </summary>
internal sealed class PacketLease
{
    private readonly PacketPool _owner;
    private byte[]? _buffer;
    private bool _fromArrayPool;
    private int _references;

    public PacketLease(PacketPool owner) => _owner = owner;

    public byte[] Buffer => _buffer ?? throw new ObjectDisposedException(nameof(PacketLease));

    /// <summary>Takes ownership of <paramref name="buffer"/> with one reference.</summary>
    public void Attach(byte[] buffer, bool fromArrayPool)
    {
        _buffer = buffer;
        _fromArrayPool = fromArrayPool;
        Volatile.Write(ref _references, 1);
    }

    public void AddReference() => Interlocked.Increment(ref _references);

    public void Release()
    {
        int left = Interlocked.Decrement(ref _references);
        if (left > 0)
        {
            return;
        }

        if (left < 0)
        {
            throw new InvalidOperationException("A packet lease was released more often than it was taken.");
        }

        var buffer = _buffer!;
        _buffer = null;
        if (_fromArrayPool)
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
        else
        {
            _owner.Return(buffer);
        }

        _owner.ReturnLease(this);
    }
}
