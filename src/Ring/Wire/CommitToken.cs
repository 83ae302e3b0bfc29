using System.Buffers.Binary;

namespace SpreadNet.Ring.Wire;

/// <summary>What one member of a forming ring reports about the ring it comes from.</summary>
public record struct CommitEntry(NodeId Node, RingId OldRing, long OldAru, long OldHighest, long OldSafe, bool Filled);

/// <summary>
/// The commit token (after the <see cref="PacketHeader"/>, whose ring id is the NEW ring's):
/// <c>tokenSeq i64 | hops u16 | count u16 | entries</c>, each entry <c>node u64 | old ring rep u64 |
/// old ring seq u64 | old aru i64 | old highest i64 | old safe i64 | filled u8</c>. It circulates
/// twice: on the first pass every member fills its entry, on the second every member learns them all.
/// </summary>
public sealed class CommitToken
{
    /// <summary>Bytes before the entries.</summary>
    public const int FixedBodySize = 12;

    /// <summary>Bytes per entry.</summary>
    public const int EntrySize = 49;

    /// <summary>Grows at every hop; duplicates are dropped by it.</summary>
    public long TokenSeq { get; set; }

    /// <summary>Members visited so far, counting both passes (0 to twice the member count).</summary>
    public int Hops { get; set; }

    /// <summary>The new ring's members in ring order, with what each reported.</summary>
    public List<CommitEntry> Entries { get; } = [];

    /// <summary>Encoded body size.</summary>
    public int BodySize => FixedBodySize + (EntrySize * Entries.Count);

    /// <summary>Writes the body.</summary>
    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteInt64BigEndian(destination, TokenSeq);
        BinaryPrimitives.WriteUInt16BigEndian(destination[8..], (ushort)Hops);
        BinaryPrimitives.WriteUInt16BigEndian(destination[10..], (ushort)Entries.Count);
        var rest = destination[FixedBodySize..];
        foreach (var entry in Entries)
        {
            BinaryPrimitives.WriteUInt64BigEndian(rest, entry.Node.Value);
            BinaryPrimitives.WriteUInt64BigEndian(rest[8..], entry.OldRing.Representative.Value);
            BinaryPrimitives.WriteUInt64BigEndian(rest[16..], entry.OldRing.Sequence);
            BinaryPrimitives.WriteInt64BigEndian(rest[24..], entry.OldAru);
            BinaryPrimitives.WriteInt64BigEndian(rest[32..], entry.OldHighest);
            BinaryPrimitives.WriteInt64BigEndian(rest[40..], entry.OldSafe);
            rest[48] = entry.Filled ? (byte)1 : (byte)0;
            rest = rest[EntrySize..];
        }
    }

    /// <summary>Decodes a body; hostile input yields false with a reason.</summary>
    public bool TryRead(ReadOnlySpan<byte> body, out DropReason reason)
    {
        Entries.Clear();
        if (body.Length < FixedBodySize)
        {
            reason = DropReason.BadLength;
            return false;
        }

        TokenSeq = BinaryPrimitives.ReadInt64BigEndian(body);
        Hops = BinaryPrimitives.ReadUInt16BigEndian(body[8..]);
        int count = BinaryPrimitives.ReadUInt16BigEndian(body[10..]);
        if (count == 0 || count > JoinMessage.MaxNodes || Hops > 2 * count || TokenSeq < 0)
        {
            reason = DropReason.BadField;
            return false;
        }

        if (body.Length != FixedBodySize + (EntrySize * count))
        {
            reason = DropReason.BadLength;
            return false;
        }

        var rest = body[FixedBodySize..];
        ulong previous = 0;
        for (int i = 0; i < count; i++)
        {
            var node = new NodeId(BinaryPrimitives.ReadUInt64BigEndian(rest));
            var entry = new CommitEntry(
                node,
                new RingId(new NodeId(BinaryPrimitives.ReadUInt64BigEndian(rest[8..])), BinaryPrimitives.ReadUInt64BigEndian(rest[16..])),
                BinaryPrimitives.ReadInt64BigEndian(rest[24..]),
                BinaryPrimitives.ReadInt64BigEndian(rest[32..]),
                BinaryPrimitives.ReadInt64BigEndian(rest[40..]),
                rest[48] == 1);
            if (node.Value <= previous || rest[48] > 1 || entry.OldAru < 0 || entry.OldHighest < entry.OldAru || entry.OldSafe < 0 || entry.OldSafe > entry.OldAru)
            {
                reason = DropReason.BadField;
                return false;
            }

            previous = node.Value;
            Entries.Add(entry);
            rest = rest[EntrySize..];
        }

        reason = default;
        return true;
    }
}
