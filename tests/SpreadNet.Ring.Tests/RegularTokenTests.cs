using System.Buffers.Binary;
using CsCheck;
using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Tests;

public class RegularTokenTests
{
    private const int Capacity = 16;

    /// <summary>Offsets of the body's fields (see <see cref="RegularToken"/>'s layout).</summary>
    private const int TokenSeqOffset = 0;
    private const int SeqOffset = 8;
    private const int AruOffset = 16;
    private const int FccOffset = 32;
    private const int BacklogOffset = 36;
    private const int CountOffset = 42;

    private static readonly Gen<RegularToken> TokenGen =
        Gen.Select(Gen.Long[0, long.MaxValue], Gen.Long[1, long.MaxValue], Gen.ULong, Gen.Int[0, int.MaxValue], Gen.Int[0, int.MaxValue], Gen.Int[0, ushort.MaxValue])
            .SelectMany((tokenSeq, seq, aruId, fcc, backlog, idle) =>
                Gen.Select(Gen.Long[0, seq], Gen.Long[1, seq].Array[0, Capacity], (aru, rtr) =>
                    Token(tokenSeq, seq, aru, new NodeId(aruId), fcc, backlog, idle, rtr)));

    [Fact]
    public void TryRead_WrittenToken_RoundTrips()
    {
        TokenGen.Sample(token =>
        {
            var read = new RegularToken(Capacity);
            Assert.True(read.TryRead(Encode(token), out _));
            AssertSameToken(token, read);
        });
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(Capacity)]
    public void TryRead_RetransmitListOfCount_RoundTrips(int count)
    {
        var rtr = Enumerable.Range(1, count).Select(i => (long)i * 3).ToArray();
        var token = Token(tokenSeq: 7, seq: 100, aru: 40, aruId: new NodeId(5), fcc: 12, backlog: 3, idleVisits: 2, rtr);

        var body = Encode(token);
        var read = new RegularToken(Capacity);

        Assert.Equal(RegularToken.FixedBodySize + (8 * count), body.Length);
        Assert.True(read.TryRead(body, out _));
        AssertSameToken(token, read);
        Assert.Equal(rtr, read.RetransmitRequests.ToArray());
    }

    [Fact]
    public void Write_IdleVisitsAboveUShort_Saturates()
    {
        var token = Token(1, 1, 1, NodeId.None, 0, 0, idleVisits: 100_000, []);
        var read = new RegularToken(Capacity);

        Assert.True(read.TryRead(Encode(token), out _));
        Assert.Equal(ushort.MaxValue, read.IdleVisits);
    }

    [Fact]
    public void TryRead_CountOverCapacity_BadField()
    {
        var token = Token(1, 100, 0, NodeId.None, 0, 0, 0, Enumerable.Range(1, Capacity + 1).Select(i => (long)i).ToArray(), capacity: Capacity + 1);

        AssertRejected(Encode(token), DropReason.BadField);
    }

    [Fact]
    public void TryRead_CountFieldAtMaximum_BadField()
    {
        var body = Encode(Token(1, 100, 0, NodeId.None, 0, 0, 0, []));
        BinaryPrimitives.WriteUInt16BigEndian(body.AsSpan(CountOffset), ushort.MaxValue);

        AssertRejected(body, DropReason.BadField);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(RegularToken.FixedBodySize - 1)]
    public void TryRead_ShorterThanFixedBody_BadLength(int length)
    {
        var body = Encode(Token(1, 100, 0, NodeId.None, 0, 0, 0, []));

        AssertRejected(body.AsSpan(0, length), DropReason.BadLength);
    }

    [Theory]
    [InlineData(3, -1)]
    [InlineData(3, -8)]
    [InlineData(3, 1)]
    [InlineData(3, 8)]
    [InlineData(0, 8)]
    [InlineData(0, 7)]
    public void TryRead_LengthNotMatchingCount_BadLength(int count, int extraBytes)
    {
        var body = Encode(Token(1, 100, 0, NodeId.None, 0, 0, 0, Enumerable.Range(1, count).Select(i => (long)i).ToArray()));
        var resized = new byte[body.Length + extraBytes];
        body.AsSpan(0, Math.Min(body.Length, resized.Length)).CopyTo(resized);

        AssertRejected(resized, DropReason.BadLength);
    }

    [Theory]
    [InlineData(TokenSeqOffset, -1L)]
    [InlineData(TokenSeqOffset, long.MinValue)]
    [InlineData(SeqOffset, -1L)]
    [InlineData(AruOffset, -1L)]
    public void TryRead_NegativeSequenceField_BadField(int offset, long value)
    {
        var body = Encode(Token(1, 100, 0, NodeId.None, 0, 0, 0, []));
        BinaryPrimitives.WriteInt64BigEndian(body.AsSpan(offset), value);

        AssertRejected(body, DropReason.BadField);
    }

    [Theory]
    [InlineData(FccOffset, -1)]
    [InlineData(FccOffset, int.MinValue)]
    [InlineData(BacklogOffset, -1)]
    [InlineData(BacklogOffset, int.MinValue)]
    public void TryRead_NegativeFlowControlField_BadField(int offset, int value)
    {
        var body = Encode(Token(1, 100, 0, NodeId.None, 0, 0, 0, []));
        BinaryPrimitives.WriteInt32BigEndian(body.AsSpan(offset), value);

        AssertRejected(body, DropReason.BadField);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(10, 11)]
    [InlineData(10, long.MaxValue)]
    public void TryRead_AruAboveSeq_BadField(long seq, long aru)
    {
        var body = Encode(Token(1, seq, 0, NodeId.None, 0, 0, 0, []));
        BinaryPrimitives.WriteInt64BigEndian(body.AsSpan(AruOffset), aru);

        AssertRejected(body, DropReason.BadField);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    [InlineData(101L)]
    [InlineData(long.MaxValue)]
    public void TryRead_RetransmitRequestOutsideOneToSeq_BadField(long request)
    {
        var body = Encode(Token(1, 100, 0, NodeId.None, 0, 0, 0, [5, 6, 7]));
        BinaryPrimitives.WriteInt64BigEndian(body.AsSpan(RegularToken.FixedBodySize + 8), request);

        AssertRejected(body, DropReason.BadField);
    }

    [Fact]
    public void TryRead_RetransmitRequestsAtBounds_Accepted()
    {
        var token = Token(1, 100, 0, NodeId.None, 0, 0, 0, [1, 100]);
        var read = new RegularToken(Capacity);

        Assert.True(read.TryRead(Encode(token), out _));
        Assert.Equal([1L, 100L], read.RetransmitRequests.ToArray());
    }

    [Fact]
    public void TryRead_AnyBytes_NeverThrows()
    {
        var read = new RegularToken(4);
        Gen.Byte.Array[0, 120].Sample(bytes =>
        {
            if (read.TryRead(bytes, out _))
            {
                Assert.Equal(bytes.Length, read.BodySize);
                Assert.InRange(read.Aru, 0, read.Seq);
            }
        });
    }

    [Fact]
    public void TryAddRetransmitRequest_SameSeqTwice_AddsOnce()
    {
        var token = new RegularToken(4);

        Assert.True(token.TryAddRetransmitRequest(9));
        Assert.False(token.TryAddRetransmitRequest(9));
        Assert.True(token.TryAddRetransmitRequest(3));
        Assert.False(token.TryAddRetransmitRequest(3));

        Assert.Equal([9L, 3L], token.RetransmitRequests.ToArray());
        Assert.Equal(RegularToken.FixedBodySize + 16, token.BodySize);
    }

    [Fact]
    public void TryAddRetransmitRequest_ListFull_ReturnsFalse()
    {
        var token = new RegularToken(3);
        Assert.True(token.TryAddRetransmitRequest(1));
        Assert.True(token.TryAddRetransmitRequest(2));
        Assert.True(token.TryAddRetransmitRequest(3));

        Assert.False(token.TryAddRetransmitRequest(4));
        Assert.Equal(3, token.RetransmitCount);
        Assert.Equal([1L, 2L, 3L], token.RetransmitRequests.ToArray());
    }

    [Fact]
    public void TruncateRetransmitRequests_OutOfRangeCounts_Clamped()
    {
        var token = Token(1, 10, 0, NodeId.None, 0, 0, 0, [1, 2, 3]);

        token.TruncateRetransmitRequests(5);
        Assert.Equal(3, token.RetransmitCount);
        token.TruncateRetransmitRequests(-1);
        Assert.Equal(0, token.RetransmitCount);
    }

    [Fact]
    public void Reset_FilledToken_AllFieldsZero()
    {
        var token = Token(5, 10, 3, new NodeId(2), 4, 5, 6, [1, 2]);

        token.Reset();

        AssertSameToken(new RegularToken(Capacity), token);
    }

    [Fact]
    public void CopyFrom_FilledToken_CopiesEveryField()
    {
        var source = Token(5, 10, 3, new NodeId(2), 4, 5, 6, [1, 2, 9]);
        var copy = Token(50, 100, 30, new NodeId(20), 40, 50, 60, [7, 8, 9, 10, 11]);

        copy.CopyFrom(source);

        AssertSameToken(source, copy);
        Assert.True(copy.TryAddRetransmitRequest(4));
        Assert.Equal(3, source.RetransmitCount);
    }

    [Fact]
    public void CopyFrom_LargerListThanCapacity_KeepsTheFirstRequests()
    {
        var source = Token(1, 10, 0, NodeId.None, 0, 0, 0, [1, 2, 3, 4, 5], capacity: 8);
        var copy = new RegularToken(3);

        copy.CopyFrom(source);

        Assert.Equal([1L, 2L, 3L], copy.RetransmitRequests.ToArray());
    }

    [Fact]
    public void Constructor_NonPositiveCapacity_Throws()
    {
        Assert.Throws<ArgumentOutOfRangeException>(() => new RegularToken(0));
        Assert.Throws<ArgumentOutOfRangeException>(() => new RegularToken(-1));
    }

    private static RegularToken Token(long tokenSeq, long seq, long aru, NodeId aruId, int fcc, int backlog, int idleVisits, long[] rtr, int capacity = Capacity)
    {
        var token = new RegularToken(capacity)
        {
            TokenSeq = tokenSeq,
            Seq = seq,
            Aru = aru,
            AruId = aruId,
            Fcc = fcc,
            Backlog = backlog,
            IdleVisits = idleVisits,
        };
        foreach (long request in rtr)
        {
            token.TryAddRetransmitRequest(request);
        }

        return token;
    }

    private static byte[] Encode(RegularToken token)
    {
        var body = new byte[token.BodySize];
        token.Write(body);
        return body;
    }

    private static void AssertSameToken(RegularToken expected, RegularToken actual)
    {
        Assert.Equal(expected.TokenSeq, actual.TokenSeq);
        Assert.Equal(expected.Seq, actual.Seq);
        Assert.Equal(expected.Aru, actual.Aru);
        Assert.Equal(expected.AruId, actual.AruId);
        Assert.Equal(expected.Fcc, actual.Fcc);
        Assert.Equal(expected.Backlog, actual.Backlog);
        Assert.Equal(expected.IdleVisits, actual.IdleVisits);
        Assert.Equal(expected.RetransmitRequests.ToArray(), actual.RetransmitRequests.ToArray());
        Assert.Equal(expected.BodySize, actual.BodySize);
    }

    private static void AssertRejected(ReadOnlySpan<byte> body, DropReason expected)
    {
        var read = new RegularToken(Capacity);
        Assert.False(read.TryRead(body, out var reason));
        Assert.Equal(expected, reason);
    }
}
