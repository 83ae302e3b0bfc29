using System.Buffers;

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

    public readonly ReadOnlySpan<byte> Message => _buffer.AsSpan(0, _total);

    public void Begin(int total, ServiceType service)
    {
        Abandon();
        _buffer = ArrayPool<byte>.Shared.Rent(total);
        _total = total;
        _filled = 0;
        Service = service;
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
