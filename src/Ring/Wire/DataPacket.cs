using System.Buffers.Binary;

namespace SpreadNet.Ring.Wire;

/// <summary>
/// Layout of a data packet after the <see cref="PacketHeader"/>: <c>seq i64 | entryCount u16 |
/// reserved u16</c>, then <c>entryCount</c> entries, each <c>service u8 | fragment flags u8 |
/// kind u8 | reserved u8 | length u32</c> (+ <c>total length u32</c> on the first fragment of a message
/// split over several packets) followed by <c>length</c> payload bytes.
/// </summary>
public static class DataPacket
{
    /// <summary>Offset of the data body in the datagram.</summary>
    public const int BodyOffset = PacketHeader.Size;

    /// <summary>Size of the data body's fixed part.</summary>
    public const int FixedBodySize = 12;

    /// <summary>Offset of the first entry in the datagram.</summary>
    public const int EntriesOffset = BodyOffset + FixedBodySize;

    /// <summary>Size of an entry header without the total-length extension.</summary>
    public const int EntryHeaderSize = 8;

    /// <summary>Extra bytes of the first fragment of a message split over several packets.</summary>
    public const int FirstFragmentExtension = 4;

    /// <summary>
    /// Header flag of a data packet that carries, instead of entries, one whole data packet of an
    /// old ring being recovered (<c>entryCount</c> is 0 and the old datagram follows the fixed body).
    /// </summary>
    public const ushort RecoveredFlag = 1;

    /// <summary>Writes the data body's fixed part.</summary>
    public static void WriteBody(Span<byte> datagram, long seq, int entryCount)
    {
        var body = datagram[BodyOffset..];
        BinaryPrimitives.WriteInt64BigEndian(body, seq);
        BinaryPrimitives.WriteUInt16BigEndian(body[8..], (ushort)entryCount);
        BinaryPrimitives.WriteUInt16BigEndian(body[10..], 0);
    }

    /// <summary>Reads the sequence number of a data packet whose header was already validated.</summary>
    public static long ReadSeq(ReadOnlySpan<byte> datagram) =>
        BinaryPrimitives.ReadInt64BigEndian(datagram[BodyOffset..]);

    /// <summary>Reads the entry count of a data packet whose body was already validated.</summary>
    public static int ReadEntryCount(ReadOnlySpan<byte> datagram) =>
        BinaryPrimitives.ReadUInt16BigEndian(datagram[(BodyOffset + 8)..]);

    /// <summary>Writes one entry header at <paramref name="destination"/>; returns its size.</summary>
    public static int WriteEntryHeader(Span<byte> destination, ServiceType service, FragmentFlags flags, int length, int totalLength, EntryKind kind = EntryKind.Application)
    {
        destination[0] = (byte)service;
        destination[1] = (byte)flags;
        destination[2] = (byte)kind;
        destination[3] = 0;
        BinaryPrimitives.WriteInt32BigEndian(destination[4..], length);
        if (HasTotalLength(flags))
        {
            BinaryPrimitives.WriteInt32BigEndian(destination[8..], totalLength);
            return EntryHeaderSize + FirstFragmentExtension;
        }

        return EntryHeaderSize;
    }

    /// <summary>Whether an entry with these flags carries the total-length extension.</summary>
    public static bool HasTotalLength(FragmentFlags flags) =>
        (flags & (FragmentFlags.First | FragmentFlags.Last)) == FragmentFlags.First;

    /// <summary>
    /// Validates the body of a received data packet: the sequence number, every entry's service
    /// type, flags and length, and that the entries exactly fill the datagram.
    /// </summary>
    public static bool TryValidate(ReadOnlySpan<byte> datagram, int maxMessageSize, out long seq, out DropReason reason)
    {
        seq = 0;
        if (datagram.Length < EntriesOffset)
        {
            reason = DropReason.BadLength;
            return false;
        }

        seq = ReadSeq(datagram);
        if (seq <= 0)
        {
            reason = DropReason.BadField;
            return false;
        }

        int count = ReadEntryCount(datagram);
        ushort flags = BinaryPrimitives.ReadUInt16BigEndian(datagram[4..]);
        if ((flags & ~RecoveredFlag) != 0)
        {
            reason = DropReason.BadField;
            return false;
        }

        if (flags == RecoveredFlag)
        {
            return TryValidateRecovered(datagram, count, maxMessageSize, out reason);
        }

        if (count == 0)
        {
            reason = DropReason.BadField;
            return false;
        }

        var reader = new DataEntryReader(datagram);
        for (int i = 0; i < count; i++)
        {
            if (!reader.TryReadNext(maxMessageSize, out _, out reason))
            {
                return false;
            }
        }

        if (reader.Offset != datagram.Length)
        {
            reason = DropReason.BadLength;
            return false;
        }

        reason = default;
        return true;
    }

    /// <summary>The old-ring datagram a recovered packet carries.</summary>
    public static ReadOnlySpan<byte> RecoveredInner(ReadOnlySpan<byte> datagram) => datagram[EntriesOffset..];

    /// <summary>Whether a validated data packet carries a recovered old-ring packet.</summary>
    public static bool IsRecovered(ReadOnlySpan<byte> datagram) =>
        (BinaryPrimitives.ReadUInt16BigEndian(datagram[4..]) & RecoveredFlag) != 0;

    private static bool TryValidateRecovered(ReadOnlySpan<byte> datagram, int count, int maxMessageSize, out DropReason reason)
    {
        var inner = RecoveredInner(datagram);
        if (count != 0
            || !PacketHeader.TryRead(inner, inner.Length, out var header, out _)
            || header.Type != PacketType.Data
            || (header.Flags & RecoveredFlag) != 0)
        {
            reason = DropReason.BadField;
            return false;
        }

        return TryValidate(inner, maxMessageSize, out _, out reason);
    }
}

/// <summary>Where an entry's bytes sit in the message they belong to.</summary>
[Flags]
public enum FragmentFlags : byte
{
    /// <summary>A middle fragment.</summary>
    None = 0,

    /// <summary>The first (or only) piece of a message.</summary>
    First = 1,

    /// <summary>The last (or only) piece of a message.</summary>
    Last = 2,

    /// <summary>A whole message in one entry.</summary>
    Whole = First | Last,
}

/// <summary>One decoded entry of a data packet.</summary>
public readonly record struct DataEntry(ServiceType Service, FragmentFlags Flags, int PayloadOffset, int Length, int TotalLength, EntryKind Kind = EntryKind.Application);

/// <summary>
/// Walks the entries of a data packet without allocating. Checks each entry against the datagram's
/// bounds, but expects a datagram of at least <see cref="DataPacket.EntriesOffset"/> bytes: use it
/// on received input only after <see cref="DataPacket.TryValidate"/>.
/// </summary>
public ref struct DataEntryReader
{
    private readonly ReadOnlySpan<byte> _datagram;

    /// <summary>Starts at the first entry.</summary>
    public DataEntryReader(ReadOnlySpan<byte> datagram)
        : this(datagram, DataPacket.EntriesOffset)
    {
    }

    /// <summary>Starts at a byte offset previously taken from <see cref="Offset"/>.</summary>
    public DataEntryReader(ReadOnlySpan<byte> datagram, int offset)
    {
        _datagram = datagram;
        Offset = offset;
    }

    /// <summary>Offset of the next entry.</summary>
    public int Offset { get; private set; }

    /// <summary>Decodes the next entry, checking every field against the datagram's bounds.</summary>
    public bool TryReadNext(int maxMessageSize, out DataEntry entry, out DropReason reason)
    {
        entry = default;
        var rest = _datagram[Offset..];
        if (rest.Length < DataPacket.EntryHeaderSize)
        {
            reason = DropReason.BadLength;
            return false;
        }

        var service = (ServiceType)rest[0];
        var flags = (FragmentFlags)rest[1];
        var kind = (EntryKind)rest[2];
        int length = BinaryPrimitives.ReadInt32BigEndian(rest[4..]);
        if (service is < ServiceType.Unreliable or > ServiceType.Safe || (byte)flags > (byte)FragmentFlags.Whole || kind > EntryKind.Group || rest[3] != 0 || length < 0)
        {
            reason = DropReason.BadField;
            return false;
        }

        int headerSize = DataPacket.EntryHeaderSize;
        int total = length;
        if (DataPacket.HasTotalLength(flags))
        {
            headerSize += DataPacket.FirstFragmentExtension;
            if (rest.Length < headerSize)
            {
                reason = DropReason.BadLength;
                return false;
            }

            total = BinaryPrimitives.ReadInt32BigEndian(rest[8..]);
            if (total <= length || total > maxMessageSize)
            {
                reason = DropReason.BadField;
                return false;
            }
        }
        else if (flags == FragmentFlags.Whole && length > maxMessageSize)
        {
            reason = DropReason.BadField;
            return false;
        }

        if (length > rest.Length - headerSize)
        {
            reason = DropReason.BadLength;
            return false;
        }

        entry = new DataEntry(service, flags, Offset + headerSize, length, total, kind);
        Offset += headerSize + length;
        reason = default;
        return true;
    }
}
