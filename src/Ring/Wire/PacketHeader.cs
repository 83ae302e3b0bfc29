using System.Buffers.Binary;

namespace SpreadNet.Ring.Wire;

/// <summary>
/// The fixed header at the start of every ring datagram (big-endian):
/// <c>magic u16 | version u8 | type u8 | flags u16 | reserved u16 | length u32 | sender u64 |
/// ring representative u64 | ring sequence u64</c>.
/// </summary>
public readonly record struct PacketHeader(PacketType Type, ushort Flags, int Length, NodeId Sender, RingId Ring)
{
    /// <summary>"SN": the first two bytes of every SpreadNet datagram.</summary>
    public const ushort Magic = 0x534E;

    /// <summary>The protocol version this build speaks.</summary>
    public const byte CurrentVersion = 1;

    /// <summary>Size of the encoded header in bytes.</summary>
    public const int Size = 36;

    /// <summary>Writes the header into the first <see cref="Size"/> bytes of <paramref name="destination"/>.</summary>
    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt16BigEndian(destination, Magic);
        destination[2] = CurrentVersion;
        destination[3] = (byte)Type;
        BinaryPrimitives.WriteUInt16BigEndian(destination[4..], Flags);
        BinaryPrimitives.WriteUInt16BigEndian(destination[6..], 0);
        BinaryPrimitives.WriteInt32BigEndian(destination[8..], Length);
        BinaryPrimitives.WriteUInt64BigEndian(destination[12..], Sender.Value);
        BinaryPrimitives.WriteUInt64BigEndian(destination[20..], Ring.Representative.Value);
        BinaryPrimitives.WriteUInt64BigEndian(destination[28..], Ring.Sequence);
    }

    /// <summary>Patches the length field of a header already written.</summary>
    public static void WriteLength(Span<byte> datagram, int length) =>
        BinaryPrimitives.WriteInt32BigEndian(datagram[8..], length);

    /// <summary>
    /// Decodes and validates the header of a received datagram. Never throws: anything malformed
    /// yields <c>false</c> and the reason.
    /// </summary>
    public static bool TryRead(ReadOnlySpan<byte> datagram, int maxDatagramSize, out PacketHeader header, out DropReason reason)
    {
        header = default;
        if (datagram.Length < Size)
        {
            reason = DropReason.TooShort;
            return false;
        }

        if (datagram.Length > maxDatagramSize)
        {
            reason = DropReason.TooLong;
            return false;
        }

        if (BinaryPrimitives.ReadUInt16BigEndian(datagram) != Magic)
        {
            reason = DropReason.BadMagic;
            return false;
        }

        if (datagram[2] != CurrentVersion)
        {
            reason = DropReason.BadVersion;
            return false;
        }

        var type = (PacketType)datagram[3];
        if (type is < PacketType.Token or > PacketType.Wake)
        {
            reason = DropReason.UnknownType;
            return false;
        }

        int length = BinaryPrimitives.ReadInt32BigEndian(datagram[8..]);
        if (length != datagram.Length)
        {
            reason = DropReason.BadLength;
            return false;
        }

        var sender = new NodeId(BinaryPrimitives.ReadUInt64BigEndian(datagram[12..]));
        var ring = new RingId(
            new NodeId(BinaryPrimitives.ReadUInt64BigEndian(datagram[20..])),
            BinaryPrimitives.ReadUInt64BigEndian(datagram[28..]));
        if (sender.IsNone)
        {
            reason = DropReason.BadField;
            return false;
        }

        header = new PacketHeader(type, BinaryPrimitives.ReadUInt16BigEndian(datagram[4..]), length, sender, ring);
        reason = default;
        return true;
    }
}
