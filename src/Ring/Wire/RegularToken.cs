using System.Buffers.Binary;

namespace SpreadNet.Ring.Wire;

/// <summary>
/// The regular (ORF) token's body, after the <see cref="PacketHeader"/>. Mutable and reused by the
/// engine so that a token visit allocates nothing. Layout (big-endian):
/// <c>tokenSeq i64 | seq i64 | aru i64 | aruId u64 | fcc i32 | backlog i32 | idleVisits u16 |
/// rtrCount u16 | recoveryOwner u64 | rtr i64[rtrCount]</c>.
/// </summary>
public sealed class RegularToken
{
    /// <summary>Bytes of the body before the retransmission list.</summary>
    public const int FixedBodySize = 52;

    private readonly long[] _rtr;

    /// <summary>Creates a token able to hold <paramref name="maxRetransmitRequests"/> requests.</summary>
    public RegularToken(int maxRetransmitRequests)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(maxRetransmitRequests);
        _rtr = new long[maxRetransmitRequests];
    }

    /// <summary>Grows by one at every hop; a receiver drops a token whose value it has already seen.</summary>
    public long TokenSeq { get; set; }

    /// <summary>Highest data sequence number assigned on this ring.</summary>
    public long Seq { get; set; }

    /// <summary>All-received-up-to: lowered by any node that misses a lower sequence number.</summary>
    public long Aru { get; set; }

    /// <summary>The node that last lowered <see cref="Aru"/>, or none.</summary>
    public NodeId AruId { get; set; }

    /// <summary>Packets (new and retransmitted) sent during the last rotation: flow control.</summary>
    public int Fcc { get; set; }

    /// <summary>Sum of the nodes' send backlogs: flow control.</summary>
    public int Backlog { get; set; }

    /// <summary>Consecutive visits at which nothing happened; the representative holds an idle token.</summary>
    public int IdleVisits { get; set; }

    /// <summary>
    /// During recovery: the last node that still had old-ring messages to re-send, or none. A
    /// rotation with none means every member has re-sent everything it had.
    /// </summary>
    public NodeId RecoveryOwner { get; set; }

    /// <summary>Number of retransmission requests carried.</summary>
    public int RetransmitCount { get; private set; }

    /// <summary>Capacity of the retransmission list.</summary>
    public int RetransmitCapacity => _rtr.Length;

    /// <summary>The retransmission requests carried.</summary>
    public ReadOnlySpan<long> RetransmitRequests => _rtr.AsSpan(0, RetransmitCount);

    /// <summary>Encoded size of the body.</summary>
    public int BodySize => FixedBodySize + (8 * RetransmitCount);

    /// <summary>Adds a retransmission request unless the list is full or already has it.</summary>
    public bool TryAddRetransmitRequest(long seq)
    {
        if (RetransmitCount == _rtr.Length || RetransmitRequests.Contains(seq))
        {
            return false;
        }

        _rtr[RetransmitCount++] = seq;
        return true;
    }

    /// <summary>The retransmission requests, writable in place (see <see cref="TruncateRetransmitRequests"/>).</summary>
    public Span<long> RetransmitRequestsMutable => _rtr.AsSpan(0, RetransmitCount);

    /// <summary>Keeps only the first <paramref name="count"/> requests.</summary>
    public void TruncateRetransmitRequests(int count) =>
        RetransmitCount = Math.Clamp(count, 0, RetransmitCount);

    /// <summary>Resets every field to a fresh token's.</summary>
    public void Reset()
    {
        TokenSeq = 0;
        Seq = 0;
        Aru = 0;
        AruId = NodeId.None;
        Fcc = 0;
        Backlog = 0;
        IdleVisits = 0;
        RecoveryOwner = NodeId.None;
        RetransmitCount = 0;
    }

    /// <summary>Copies every field of <paramref name="other"/> into this token.</summary>
    public void CopyFrom(RegularToken other)
    {
        ArgumentNullException.ThrowIfNull(other);
        TokenSeq = other.TokenSeq;
        Seq = other.Seq;
        Aru = other.Aru;
        AruId = other.AruId;
        Fcc = other.Fcc;
        Backlog = other.Backlog;
        IdleVisits = other.IdleVisits;
        RecoveryOwner = other.RecoveryOwner;
        RetransmitCount = Math.Min(other.RetransmitCount, _rtr.Length);
        other._rtr.AsSpan(0, RetransmitCount).CopyTo(_rtr);
    }

    /// <summary>Writes the body; <paramref name="destination"/> must hold <see cref="BodySize"/> bytes.</summary>
    public void Write(Span<byte> destination)
    {
        BinaryPrimitives.WriteInt64BigEndian(destination, TokenSeq);
        BinaryPrimitives.WriteInt64BigEndian(destination[8..], Seq);
        BinaryPrimitives.WriteInt64BigEndian(destination[16..], Aru);
        BinaryPrimitives.WriteUInt64BigEndian(destination[24..], AruId.Value);
        BinaryPrimitives.WriteInt32BigEndian(destination[32..], Fcc);
        BinaryPrimitives.WriteInt32BigEndian(destination[36..], Backlog);
        BinaryPrimitives.WriteUInt16BigEndian(destination[40..], (ushort)Math.Min(IdleVisits, ushort.MaxValue));
        BinaryPrimitives.WriteUInt16BigEndian(destination[42..], (ushort)RetransmitCount);
        BinaryPrimitives.WriteUInt64BigEndian(destination[44..], RecoveryOwner.Value);
        var list = destination[FixedBodySize..];
        for (int i = 0; i < RetransmitCount; i++)
        {
            BinaryPrimitives.WriteInt64BigEndian(list[(i * 8)..], _rtr[i]);
        }
    }

    /// <summary>
    /// Decodes a body into this token. Hostile input yields <c>false</c> with a reason and leaves
    /// the token in an unspecified state (callers decode into a scratch token).
    /// </summary>
    public bool TryRead(ReadOnlySpan<byte> body, out DropReason reason)
    {
        if (body.Length < FixedBodySize)
        {
            reason = DropReason.BadLength;
            return false;
        }

        TokenSeq = BinaryPrimitives.ReadInt64BigEndian(body);
        Seq = BinaryPrimitives.ReadInt64BigEndian(body[8..]);
        Aru = BinaryPrimitives.ReadInt64BigEndian(body[16..]);
        AruId = new NodeId(BinaryPrimitives.ReadUInt64BigEndian(body[24..]));
        Fcc = BinaryPrimitives.ReadInt32BigEndian(body[32..]);
        Backlog = BinaryPrimitives.ReadInt32BigEndian(body[36..]);
        IdleVisits = BinaryPrimitives.ReadUInt16BigEndian(body[40..]);
        int count = BinaryPrimitives.ReadUInt16BigEndian(body[42..]);
        RecoveryOwner = new NodeId(BinaryPrimitives.ReadUInt64BigEndian(body[44..]));
        if (count > _rtr.Length)
        {
            reason = DropReason.BadField;
            return false;
        }

        if (body.Length != FixedBodySize + (8 * count))
        {
            reason = DropReason.BadLength;
            return false;
        }

        if (TokenSeq < 0 || Seq < 0 || Aru < 0 || Aru > Seq || Fcc < 0 || Backlog < 0)
        {
            reason = DropReason.BadField;
            return false;
        }

        var list = body[FixedBodySize..];
        for (int i = 0; i < count; i++)
        {
            long seq = BinaryPrimitives.ReadInt64BigEndian(list[(i * 8)..]);
            if (seq <= 0 || seq > Seq)
            {
                reason = DropReason.BadField;
                return false;
            }

            _rtr[i] = seq;
        }

        RetransmitCount = count;
        reason = default;
        return true;
    }
}
