using System.Buffers.Binary;

namespace SpreadNet.StreamProvider.Providers;

/// <summary>
/// What a provider multicasts on its ring group: a big-endian header, then for events the batch
/// serialised with Orleans' serializer.
/// Event: kind 1 (1 byte), queue id (4), producer sequence (8), body.
/// Watermark: kind 2 (1 byte), queue id (4), ring sequence (8), packet sequence (8), index (4).
/// </summary>
internal static class StreamEnvelope
{
    public const byte EventKind = 1;
    public const byte WatermarkKind = 2;
    public const int EventHeaderSize = 13;
    public const int WatermarkSize = 25;

    public static void WriteEventHeader(Span<byte> destination, uint queue, long producerSequence)
    {
        destination[0] = EventKind;
        BinaryPrimitives.WriteUInt32BigEndian(destination[1..], queue);
        BinaryPrimitives.WriteInt64BigEndian(destination[5..], producerSequence);
    }

    public static byte[] Watermark(uint queue, RingPosition position)
    {
        var bytes = new byte[WatermarkSize];
        bytes[0] = WatermarkKind;
        BinaryPrimitives.WriteUInt32BigEndian(bytes.AsSpan(1), queue);
        BinaryPrimitives.WriteUInt64BigEndian(bytes.AsSpan(5), position.Ring);
        BinaryPrimitives.WriteInt64BigEndian(bytes.AsSpan(13), position.Sequence);
        BinaryPrimitives.WriteInt32BigEndian(bytes.AsSpan(21), position.Index);
        return bytes;
    }

    public static bool TryReadEvent(ReadOnlySpan<byte> message, out uint queue, out long producerSequence)
    {
        queue = 0;
        producerSequence = 0;
        if (message.Length < EventHeaderSize || message[0] != EventKind)
        {
            return false;
        }

        queue = BinaryPrimitives.ReadUInt32BigEndian(message[1..]);
        producerSequence = BinaryPrimitives.ReadInt64BigEndian(message[5..]);
        return true;
    }

    public static bool TryReadWatermark(ReadOnlySpan<byte> message, out uint queue, out RingPosition position)
    {
        queue = 0;
        position = default;
        if (message.Length != WatermarkSize || message[0] != WatermarkKind)
        {
            return false;
        }

        queue = BinaryPrimitives.ReadUInt32BigEndian(message[1..]);
        position = new RingPosition(
            BinaryPrimitives.ReadUInt64BigEndian(message[5..]),
            BinaryPrimitives.ReadInt64BigEndian(message[13..]),
            BinaryPrimitives.ReadInt32BigEndian(message[21..]));
        return true;
    }
}
