using System.Buffers.Binary;

namespace SpreadNet.Simulation;

/// <summary>
/// The bytes of a simulated message: <c>magic u16 | node u16 | counter i32 | size i32 | reserved
/// u32</c>, then filler that depends on the id and position, so a delivery can be checked byte for
/// byte without keeping the message.
/// </summary>
public static class MessagePayload
{
    /// <summary>Bytes of the identifying header; the smallest message.</summary>
    public const int HeaderSize = 16;

    private const ushort Magic = 0x534D;

    /// <summary>Writes message <paramref name="id"/> of <paramref name="size"/> bytes.</summary>
    public static void Write(Span<byte> destination, MessageId id, int size)
    {
        var payload = destination[..size];
        BinaryPrimitives.WriteUInt16BigEndian(payload, Magic);
        BinaryPrimitives.WriteUInt16BigEndian(payload[2..], (ushort)id.Node);
        BinaryPrimitives.WriteInt32BigEndian(payload[4..], id.Counter);
        BinaryPrimitives.WriteInt32BigEndian(payload[8..], size);
        BinaryPrimitives.WriteInt32BigEndian(payload[12..], 0);
        byte b = FillerStart(id);
        for (int i = HeaderSize; i < payload.Length; i++)
        {
            payload[i] = b;
            b = (byte)((b * 5) + 1);
        }
    }

    /// <summary>Reads the id from a delivered payload; false if the header is not one of ours.</summary>
    public static bool TryReadId(ReadOnlySpan<byte> payload, out MessageId id, out int size)
    {
        id = default;
        size = 0;
        if (payload.Length < HeaderSize || BinaryPrimitives.ReadUInt16BigEndian(payload) != Magic)
        {
            return false;
        }

        id = new MessageId(BinaryPrimitives.ReadUInt16BigEndian(payload[2..]), BinaryPrimitives.ReadInt32BigEndian(payload[4..]));
        size = BinaryPrimitives.ReadInt32BigEndian(payload[8..]);
        return true;
    }

    /// <summary>Offset of the first byte that differs from what <paramref name="id"/> should carry, or -1.</summary>
    public static int FirstMismatch(ReadOnlySpan<byte> payload, MessageId id)
    {
        byte b = FillerStart(id);
        for (int i = HeaderSize; i < payload.Length; i++)
        {
            if (payload[i] != b)
            {
                return i;
            }

            b = (byte)((b * 5) + 1);
        }

        return -1;
    }

    private static byte FillerStart(MessageId id) => (byte)((id.Node * 73) + (id.Counter * 31) + 7);
}
