using System.Buffers;

namespace SpreadNet.Ring.Totem;

/// <summary>
/// A message to send as written by its layers: a small header followed by a body that may be
/// scattered over several buffers. The outbound queue copies it once, straight into datagrams.
/// </summary>
public readonly ref struct MessageParts
{
    private readonly ReadOnlySpan<byte> _prefix;
    private readonly ReadOnlySpan<byte> _contiguousBody;
    private readonly ReadOnlySequence<byte> _body;

    /// <summary>A message made of <paramref name="prefix"/> then <paramref name="body"/>.</summary>
    public MessageParts(ReadOnlySpan<byte> prefix, ReadOnlySequence<byte> body)
    {
        _prefix = prefix;
        _body = body;
        Length = checked(prefix.Length + (int)body.Length);
    }

    /// <summary>A message made of <paramref name="prefix"/> then a contiguous <paramref name="body"/>.</summary>
    public MessageParts(ReadOnlySpan<byte> prefix, ReadOnlySpan<byte> body)
    {
        _prefix = prefix;
        _contiguousBody = body;
        _body = ReadOnlySequence<byte>.Empty;
        Length = checked(prefix.Length + body.Length);
    }

    /// <summary>A message in one contiguous buffer.</summary>
    public MessageParts(ReadOnlySpan<byte> whole)
    {
        _prefix = whole;
        _body = ReadOnlySequence<byte>.Empty;
        Length = whole.Length;
    }

    /// <summary>Total length in bytes.</summary>
    public int Length { get; }

    /// <summary>Copies <paramref name="destination"/>.Length bytes starting at <paramref name="offset"/>.</summary>
    public void CopyTo(int offset, Span<byte> destination)
    {
        if (offset < _prefix.Length)
        {
            int fromPrefix = Math.Min(_prefix.Length - offset, destination.Length);
            _prefix.Slice(offset, fromPrefix).CopyTo(destination);
            destination = destination[fromPrefix..];
            offset = _prefix.Length;
        }

        if (destination.IsEmpty)
        {
            return;
        }

        int bodyOffset = offset - _prefix.Length;
        if (_body.IsEmpty)
        {
            _contiguousBody.Slice(bodyOffset, destination.Length).CopyTo(destination);
        }
        else
        {
            _body.Slice(bodyOffset, destination.Length).CopyTo(destination);
        }
    }
}
