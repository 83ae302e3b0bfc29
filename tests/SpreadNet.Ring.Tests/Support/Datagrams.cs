using SpreadNet.Ring.Totem;
using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Tests.Support;

/// <summary>One entry of a hand-built data packet.</summary>
internal readonly record struct EntrySpec(ServiceType Service, FragmentFlags Flags, byte[] Payload, int TotalLength = 0)
{
    public static EntrySpec Whole(byte[] payload, ServiceType service = ServiceType.Agreed) =>
        new(service, FragmentFlags.Whole, payload);
}

/// <summary>Builds valid datagrams of every kind, and reads data packets back.</summary>
internal static class Datagrams
{
    public static readonly NodeId NodeA = new(0x7F00_0001_12C3);
    public static readonly NodeId NodeB = new(0x7F00_0001_12C4);
    public static readonly NodeId NodeC = new(0x7F00_0001_12C5);
    public static readonly RingId Ring = new(NodeA, 4);

    /// <summary>A header-only datagram (hold cancel, wake, ...).</summary>
    public static byte[] Control(PacketType type, NodeId sender, RingId ring)
    {
        var datagram = new byte[PacketHeader.Size];
        new PacketHeader(type, 0, datagram.Length, sender, ring).Write(datagram);
        return datagram;
    }

    public static byte[] Token(RegularToken token, NodeId sender, RingId ring)
    {
        var datagram = new byte[PacketHeader.Size + token.BodySize];
        new PacketHeader(PacketType.Token, 0, datagram.Length, sender, ring).Write(datagram);
        token.Write(datagram.AsSpan(PacketHeader.Size));
        return datagram;
    }

    /// <summary>Writes header and body into a packet taken from an outbound queue, as the engine does, and copies it out.</summary>
    public static byte[] Seal(OutboundPacket packet, long seq, NodeId sender, RingId ring)
    {
        var datagram = packet.Buffer.AsSpan(0, packet.Length);
        new PacketHeader(PacketType.Data, 0, packet.Length, sender, ring).Write(datagram);
        DataPacket.WriteBody(datagram, seq, packet.EntryCount);
        return datagram.ToArray();
    }

    /// <summary>Takes every packet waiting in <paramref name="queue"/>, sealed with sequence numbers from <paramref name="firstSeq"/> on.</summary>
    public static List<byte[]> Drain(OutboundQueue queue, long firstSeq, NodeId sender, RingId ring)
    {
        var packets = new List<byte[]>();
        long seq = firstSeq;
        while (queue.TryTake(out var packet))
        {
            packets.Add(Seal(packet, seq++, sender, ring));
        }

        return packets;
    }

    /// <summary>A data packet built by hand, entry by entry, so tests can write what no queue would.</summary>
    public static byte[] Data(long seq, NodeId sender, RingId ring, params EntrySpec[] entries)
    {
        int length = DataPacket.EntriesOffset;
        foreach (var entry in entries)
        {
            length += EntryHeaderSize(entry.Flags) + entry.Payload.Length;
        }

        var datagram = new byte[length];
        new PacketHeader(PacketType.Data, 0, length, sender, ring).Write(datagram);
        DataPacket.WriteBody(datagram, seq, entries.Length);
        int offset = DataPacket.EntriesOffset;
        foreach (var entry in entries)
        {
            offset += DataPacket.WriteEntryHeader(datagram.AsSpan(offset), entry.Service, entry.Flags, entry.Payload.Length, entry.TotalLength);
            entry.Payload.CopyTo(datagram, offset);
            offset += entry.Payload.Length;
        }

        return datagram;
    }

    /// <summary>Validates a data packet and returns its entries with their payloads; fails the test if it is invalid.</summary>
    public static List<(DataEntry Entry, byte[] Payload)> ReadEntries(byte[] datagram, int maxMessageSize = 1 << 20)
    {
        Assert.True(DataPacket.TryValidate(datagram, maxMessageSize, out _, out var reason), $"invalid data packet: {reason}");
        var entries = new List<(DataEntry, byte[])>();
        var reader = new DataEntryReader(datagram);
        int count = DataPacket.ReadEntryCount(datagram);
        for (int i = 0; i < count; i++)
        {
            Assert.True(reader.TryReadNext(maxMessageSize, out var entry, out _));
            entries.Add((entry, datagram.AsSpan(entry.PayloadOffset, entry.Length).ToArray()));
        }

        return entries;
    }

    /// <summary>A payload whose bytes tell where they come from, so misplaced bytes show.</summary>
    public static byte[] Payload(int length, int tag)
    {
        var payload = new byte[length];
        for (int i = 0; i < payload.Length; i++)
        {
            payload[i] = (byte)((i * 31) + tag);
        }

        return payload;
    }

    private static int EntryHeaderSize(FragmentFlags flags) =>
        DataPacket.EntryHeaderSize + (DataPacket.HasTotalLength(flags) ? DataPacket.FirstFragmentExtension : 0);
}
