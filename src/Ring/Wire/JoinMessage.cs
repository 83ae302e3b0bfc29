using System.Buffers.Binary;

namespace SpreadNet.Ring.Wire;

/// <summary>
/// A membership join (after the <see cref="PacketHeader"/>, whose ring id is the sender's current
/// ring): <c>ringSeq u64 | settings | procCount u16 | failCount u16 | proc u64[] | fail u64[]</c>.
/// Mutable and reused; the sets are kept sorted.
/// </summary>
public sealed class JoinMessage
{
    /// <summary>Bytes before the id lists.</summary>
    public const int FixedBodySize = 8 + SettingsBlock.Size + 4;

    /// <summary>Most nodes a ring may have (Spread's MAX_PROCS_RING is 128).</summary>
    public const int MaxNodes = 256;

    /// <summary>Highest ring sequence the sender has seen.</summary>
    public ulong RingSeq { get; set; }

    /// <summary>The sender's ring-wide settings.</summary>
    public SettingsBlock Settings { get; set; }

    /// <summary>Nodes the sender wants in the new ring, sorted.</summary>
    public List<NodeId> ProcSet { get; } = [];

    /// <summary>Nodes the sender considers failed, sorted.</summary>
    public List<NodeId> FailSet { get; } = [];

    /// <summary>Encoded body size.</summary>
    public int BodySize => FixedBodySize + (8 * (ProcSet.Count + FailSet.Count));

    /// <summary>Writes the body.</summary>
    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteUInt64BigEndian(destination, RingSeq);
        Settings.Write(destination[8..]);
        var rest = destination[(8 + SettingsBlock.Size)..];
        BinaryPrimitives.WriteUInt16BigEndian(rest, (ushort)ProcSet.Count);
        BinaryPrimitives.WriteUInt16BigEndian(rest[2..], (ushort)FailSet.Count);
        int offset = 4;
        foreach (var id in ProcSet)
        {
            BinaryPrimitives.WriteUInt64BigEndian(rest[offset..], id.Value);
            offset += 8;
        }

        foreach (var id in FailSet)
        {
            BinaryPrimitives.WriteUInt64BigEndian(rest[offset..], id.Value);
            offset += 8;
        }
    }

    /// <summary>Decodes a body; hostile input yields false with a reason.</summary>
    public bool TryRead(ReadOnlySpan<byte> body, out DropReason reason)
    {
        ProcSet.Clear();
        FailSet.Clear();
        if (body.Length < FixedBodySize || !SettingsBlock.TryRead(body[8..], out var settings))
        {
            reason = DropReason.BadLength;
            return false;
        }

        RingSeq = BinaryPrimitives.ReadUInt64BigEndian(body);
        Settings = settings;
        var rest = body[(8 + SettingsBlock.Size)..];
        int procCount = BinaryPrimitives.ReadUInt16BigEndian(rest);
        int failCount = BinaryPrimitives.ReadUInt16BigEndian(rest[2..]);
        if (procCount == 0 || procCount > MaxNodes || failCount > MaxNodes)
        {
            reason = DropReason.BadField;
            return false;
        }

        if (body.Length != FixedBodySize + (8 * (procCount + failCount)))
        {
            reason = DropReason.BadLength;
            return false;
        }

        if (!TryReadSet(rest[4..], procCount, ProcSet) || !TryReadSet(rest[(4 + (8 * procCount))..], failCount, FailSet))
        {
            reason = DropReason.BadField;
            return false;
        }

        reason = default;
        return true;
    }

    /// <summary>Reads a strictly ascending list of non-zero ids.</summary>
    internal static bool TryReadSet(ReadOnlySpan<byte> source, int count, List<NodeId> set)
    {
        ulong previous = 0;
        for (int i = 0; i < count; i++)
        {
            ulong value = BinaryPrimitives.ReadUInt64BigEndian(source[(i * 8)..]);
            if (value <= previous)
            {
                return false;
            }

            set.Add(new NodeId(value));
            previous = value;
        }

        return true;
    }
}
