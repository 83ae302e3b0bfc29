using System.Buffers.Binary;
using SpreadNet.Ring.Wire;

namespace SpreadNet.Simulation;

/// <summary>Short human descriptions of datagrams, for traces.</summary>
public static class PacketDescriber
{
    /// <summary>Describes a datagram in one line.</summary>
    public static string Describe(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length < PacketHeader.Size)
        {
            return $"runt({datagram.Length})";
        }

        var type = (PacketType)datagram[3];
        switch (type)
        {
            case PacketType.Token when datagram.Length >= PacketHeader.Size + RegularToken.FixedBodySize:
                var token = new RegularToken(1024);
                if (!token.TryRead(datagram[PacketHeader.Size..], out var reason))
                {
                    return $"token(bad: {reason})";
                }

                return $"token #{token.TokenSeq} seq {token.Seq} aru {token.Aru}/{token.AruId} fcc {token.Fcc} backlog {token.Backlog} idle {token.IdleVisits} rtr [{string.Join(',', token.RetransmitRequests.ToArray())}]";
            case PacketType.Data when datagram.Length >= DataPacket.EntriesOffset:
                return $"data seq {DataPacket.ReadSeq(datagram)} entries {DataPacket.ReadEntryCount(datagram)} ({datagram.Length}B)";
            default:
                return $"{type} ({datagram.Length}B) from {BinaryPrimitives.ReadUInt64BigEndian(datagram[12..]):x}";
        }
    }
}
