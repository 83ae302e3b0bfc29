using System.Buffers.Binary;

namespace SpreadNet.Simulation.Groups;

/// <summary>
/// The bytes of a simulated multicast: <c>magic u16 | reserved u16 | id i32 | size i32 | reserved
/// u32</c> (id: the run's number for the message), then filler that depends on the id and position,
/// so a delivered payload can be checked byte for byte without keeping the message.
/// </summary>
public static class GroupPayload
{
    /// <summary>Bytes of the identifying header; the smallest payload.</summary>
    public const int HeaderSize = 16;

    private const ushort Magic = 0x4750;

    /// <summary>Writes message <paramref name="id"/> filling all of <paramref name="destination"/>.</summary>
    public static void Write(Span<byte> destination, int id)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, Magic);
        BinaryPrimitives.WriteUInt16BigEndian(destination[2..], 0);
        BinaryPrimitives.WriteInt32BigEndian(destination[4..], id);
        BinaryPrimitives.WriteInt32BigEndian(destination[8..], destination.Length);
        BinaryPrimitives.WriteInt32BigEndian(destination[12..], 0);
        byte b = FillerStart(id);
        for (int i = HeaderSize; i < destination.Length; i++)
        {
            destination[i] = b;
            b = (byte)((b * 5) + 3);
        }
    }

    /// <summary>The id in <paramref name="payload"/> if it is an intact message of ours (header and every filler byte); -1 otherwise.</summary>
    public static int ReadIntact(ReadOnlySpan<byte> payload)
    {
        if (payload.Length < HeaderSize || BinaryPrimitives.ReadUInt16BigEndian(payload) != Magic
            || BinaryPrimitives.ReadInt32BigEndian(payload[8..]) != payload.Length)
        {
            return -1;
        }

        int id = BinaryPrimitives.ReadInt32BigEndian(payload[4..]);
        byte b = FillerStart(id);
        for (int i = HeaderSize; i < payload.Length; i++)
        {
            if (payload[i] != b)
            {
                return -1;
            }

            b = (byte)((b * 5) + 3);
        }

        return id;
    }

    private static byte FillerStart(int id) => (byte)((id * 37) + 11);
}
