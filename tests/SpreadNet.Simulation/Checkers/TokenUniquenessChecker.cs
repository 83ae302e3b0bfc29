using System.Buffers.Binary;
using SpreadNet.Ring;
using SpreadNet.Ring.Wire;

namespace SpreadNet.Simulation.Checkers;

/// <summary>
/// At most one token per ring: every token a node forwards in a ring (not a retransmission of the
/// one it forwarded last there) carries the next token sequence number of that ring. Two live
/// tokens would show as two forwards of the same number, or a jump.
/// </summary>
public sealed class TokenUniquenessChecker(SimulationRun run) : Checker(run)
{
    private readonly Dictionary<(int Node, RingId Ring), long> _lastForwarded = [];
    private readonly Dictionary<RingId, long> _highest = [];

    /// <inheritdoc />
    public override string Name => "TokenUniqueness";

    /// <inheritdoc />
    public override void OnSend(SimulatedNode from, SimulatedNode to, ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length < PacketHeader.Size + RegularToken.FixedBodySize || (PacketType)datagram[3] != PacketType.Token
            || !PacketHeader.TryRead(datagram, datagram.Length, out var header, out _))
        {
            return;
        }

        long tokenSeq = BinaryPrimitives.ReadInt64BigEndian(datagram[PacketHeader.Size..]);
        var key = (from.Index, header.Ring);
        if (_lastForwarded.TryGetValue(key, out long last) && tokenSeq == last)
        {
            return; // a retransmission of the token this node forwarded last
        }

        long highest = _highest.GetValueOrDefault(header.Ring);
        if (tokenSeq != highest + 1)
        {
            Report($"n{from.Index} forwarded token #{tokenSeq} of ring {header.Ring} to n{to.Index}, but that ring's last token was #{highest}: more than one token");
        }

        _lastForwarded[key] = tokenSeq;
        _highest[header.Ring] = Math.Max(highest, tokenSeq);
    }
}
