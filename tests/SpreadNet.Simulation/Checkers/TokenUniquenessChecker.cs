using System.Buffers.Binary;
using SpreadNet.Ring.Wire;

namespace SpreadNet.Simulation.Checkers;

/// <summary>
/// At most one token per ring: every token a node forwards (not a retransmission of the one it
/// forwarded last) carries the next token sequence number of the whole ring. Two live tokens
/// would show as two forwards of the same number, or a jump.
/// </summary>
public sealed class TokenUniquenessChecker(SimulationRun run) : Checker(run)
{
    private readonly long[] _lastForwarded = new long[run.Nodes.Count];
    private long _highest;

    /// <inheritdoc />
    public override string Name => "TokenUniqueness";

    /// <inheritdoc />
    public override void OnSend(SimulatedNode from, SimulatedNode to, ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length < PacketHeader.Size + RegularToken.FixedBodySize || (PacketType)datagram[3] != PacketType.Token)
        {
            return;
        }

        long tokenSeq = BinaryPrimitives.ReadInt64BigEndian(datagram[PacketHeader.Size..]);
        if (tokenSeq == _lastForwarded[from.Index])
        {
            return; // a retransmission of the token this node forwarded last
        }

        if (tokenSeq != _highest + 1)
        {
            Report($"n{from.Index} forwarded token #{tokenSeq} to n{to.Index}, but the ring's last token was #{_highest}: more than one token");
        }

        _lastForwarded[from.Index] = tokenSeq;
        _highest = Math.Max(_highest, tokenSeq);
    }
}
