using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Tests.Support;

/// <summary>Keys, protectors and packets for the cluster-key tests.</summary>
internal static class SealedTraffic
{
    public static readonly byte[] Key = [.. Enumerable.Range(0, 32).Select(i => (byte)(i * 7 + 3))];

    public static readonly byte[] OtherKey = [.. Enumerable.Range(0, 32).Select(i => (byte)(i * 11 + 5))];

    public static readonly ClusterKeyMode[] Modes = Enum.GetValues<ClusterKeyMode>();

    public static TheoryData<ClusterKeyMode> ModeData => [.. Modes];

    public static PacketProtector Protector(ClusterKeyMode mode, NodeId self, ulong firstCounter = 1_000, byte[]? key = null) =>
        PacketProtector.Create(key ?? Key, mode, self, firstCounter);

    /// <summary>A packet of <paramref name="length"/> bytes (at least a header) with a valid header and a patterned body.</summary>
    public static byte[] Packet(int length, NodeId sender, PacketType type = PacketType.Data, RingId? ring = null)
    {
        var packet = new byte[length];
        new PacketHeader(type, 0, length, sender, ring ?? Datagrams.Ring).Write(packet);
        for (int i = PacketHeader.Size; i < length; i++)
        {
            packet[i] = (byte)(i * 31);
        }

        return packet;
    }

    /// <summary>Seals a copy of <paramref name="packet"/> into a fresh array of exactly the datagram's length.</summary>
    public static byte[] Seal(PacketProtector protector, ReadOnlySpan<byte> packet)
    {
        var datagram = new byte[packet.Length + PacketProtector.TrailerSize];
        Assert.Equal(datagram.Length, protector.Seal(packet, datagram));
        return datagram;
    }

    /// <summary>Opens a copy of <paramref name="datagram"/>, so the original can be sent again.</summary>
    public static OpenResult Open(PacketProtector protector, ReadOnlySpan<byte> datagram, out byte[] packet)
    {
        var copy = datagram.ToArray();
        var result = protector.Open(copy, out int length);
        packet = result == OpenResult.Opened ? copy[..length] : [];
        return result;
    }
}
