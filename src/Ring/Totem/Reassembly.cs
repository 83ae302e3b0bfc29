using System.Buffers;
using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Totem;

/// <summary>A message being put together from its fragments, in a buffer rented for its whole length.</summary>
internal struct Reassembly
{
    private byte[]? _buffer;
    private int _filled;
    private int _total;

    public readonly bool InProgress => _buffer is not null;

    public readonly bool IsComplete => _buffer is not null && _filled == _total;

    public readonly int Length => _total;

    public ServiceType Service { get; private set; }

    public EntryKind Kind { get; private set; }

    public readonly ReadOnlySpan<byte> Message => _buffer.AsSpan(0, _total);

    public void Begin(int total, ServiceType service, EntryKind kind)
    {
        Abandon();
        _buffer = ArrayPool<byte>.Shared.Rent(total);
        _total = total;
        _filled = 0;
        Service = service;
        Kind = kind;
    }

    public bool TryAppend(ReadOnlySpan<byte> piece)
    {
        if (_buffer is null || piece.Length > _total - _filled)
        {
            return false;
        }

        piece.CopyTo(_buffer.AsSpan(_filled));
        _filled += piece.Length;
        return true;
    }

    /// <summary>Hands the completed message's buffer (from <see cref="ArrayPool{T}.Shared"/>) to the caller and resets.</summary>
    public byte[] TakeBuffer()
    {
        var buffer = _buffer ?? throw new InvalidOperationException("No message is being reassembled.");
        _buffer = null;
        _filled = 0;
        _total = 0;
        return buffer;
    }

    public void Abandon()
    {
        if (_buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(_buffer);
            _buffer = null;
        }

        _filled = 0;
        _total = 0;
    }
}
