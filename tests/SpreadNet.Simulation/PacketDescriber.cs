using System.Buffers.Binary;
using SpreadNet.Ring;
using SpreadNet.Ring.Wire;

namespace SpreadNet.Simulation;

/// <summary>Short human descriptions of datagrams, for traces.</summary>
public static class PacketDescriber
{
    /// <summary>Describes a datagram in one line, naming nodes with <paramref name="name"/> (default: hex ids).</summary>
    public static string Describe(ReadOnlySpan<byte> datagram, Func<NodeId, string>? name = null)
    {
        name ??= n => n.ToString();
        if (datagram.Length < PacketHeader.Size)
        {
            return $"runt({datagram.Length})";
        }

        var type = (PacketType)datagram[3];
        var sender = new NodeId(BinaryPrimitives.ReadUInt64BigEndian(datagram[12..]));
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
            case PacketType.Join:
                var join = new JoinMessage();
                return join.TryRead(datagram[PacketHeader.Size..], out _)
                    ? $"Join from {name(sender)} ring-seq {join.RingSeq} proc [{string.Join(' ', join.ProcSet.Select(name))}] fail [{string.Join(' ', join.FailSet.Select(name))}]"
                    : $"Join (bad, {datagram.Length}B)";
            case PacketType.CommitToken:
                var commit = new CommitToken();
                return commit.TryRead(datagram[PacketHeader.Size..], out _)
                    ? $"CommitToken from {name(sender)} #{commit.TokenSeq} hops {commit.Hops} [{string.Join(' ', commit.Entries.Select(e => name(e.Node)))}]"
                    : $"CommitToken (bad, {datagram.Length}B)";
            default:
                return $"{type} ({datagram.Length}B) from {name(sender)}";
        }
    }
}
