using System.Buffers.Binary;
using CsCheck;
using SpreadNet.Ring.Tests.Support;
using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Tests;

public class DataPacketTests
{
    private const int MaxMessage = 1 << 20;

    /// <summary>Offsets of the first entry's fields in the datagram.</summary>
    private const int ServiceAt = DataPacket.EntriesOffset;
    private const int FlagsAt = DataPacket.EntriesOffset + 1;
    private const int LengthAt = DataPacket.EntriesOffset + 4;
    private const int TotalAt = DataPacket.EntriesOffset + 8;

    [Fact]
    public void TryValidate_HandBuiltPacket_ReturnsSeqAndEntries()
    {
        var datagram = Datagrams.Data(
            42,
            Datagrams.NodeB,
            Datagrams.Ring,
            EntrySpec.Whole([1, 2, 3], ServiceType.Safe),
            EntrySpec.Whole([], ServiceType.Unreliable),
            new EntrySpec(ServiceType.Fifo, FragmentFlags.First, [9, 9], TotalLength: 5));

        Assert.True(DataPacket.TryValidate(datagram, MaxMessage, out long seq, out _));
        Assert.Equal(42, seq);
        Assert.Equal(42, DataPacket.ReadSeq(datagram));
        Assert.Equal(3, DataPacket.ReadEntryCount(datagram));

        var entries = Datagrams.ReadEntries(datagram);
        Assert.Equal(new DataEntry(ServiceType.Safe, FragmentFlags.Whole, DataPacket.EntriesOffset + 8, 3, 3), entries[0].Entry);
        Assert.Equal(new DataEntry(ServiceType.Unreliable, FragmentFlags.Whole, DataPacket.EntriesOffset + 19, 0, 0), entries[1].Entry);
        Assert.Equal(new DataEntry(ServiceType.Fifo, FragmentFlags.First, DataPacket.EntriesOffset + 31, 2, 5), entries[2].Entry);
        Assert.Equal([9, 9], entries[2].Payload);
    }

    [Fact]
    public void DataEntryReader_ResumedAtSavedOffset_ReadsTheSameNextEntry()
    {
        var datagram = Datagrams.Data(1, Datagrams.NodeB, Datagrams.Ring, EntrySpec.Whole([1]), EntrySpec.Whole([2, 2]), EntrySpec.Whole([3, 3, 3]));
        var reader = new DataEntryReader(datagram);
        Assert.True(reader.TryReadNext(MaxMessage, out _, out _));
        int saved = reader.Offset;
        Assert.True(reader.TryReadNext(MaxMessage, out var second, out _));

        var resumed = new DataEntryReader(datagram, saved);

        Assert.True(resumed.TryReadNext(MaxMessage, out var again, out _));
        Assert.Equal(second, again);
        Assert.True(resumed.TryReadNext(MaxMessage, out var third, out _));
        Assert.Equal(3, third.Length);
        Assert.Equal(datagram.Length, resumed.Offset);
        Assert.False(resumed.TryReadNext(MaxMessage, out _, out var reason));
        Assert.Equal(DropReason.BadLength, reason);
    }

    [Theory]
    [InlineData(0L)]
    [InlineData(-1L)]
    [InlineData(long.MinValue)]
    public void TryValidate_SeqNotPositive_BadField(long seq)
    {
        var datagram = Datagrams.Data(seq, Datagrams.NodeB, Datagrams.Ring, EntrySpec.Whole([1]));

        AssertRejected(datagram, DropReason.BadField);
    }

    [Fact]
    public void TryValidate_ZeroEntries_BadField()
    {
        var datagram = Datagrams.Data(1, Datagrams.NodeB, Datagrams.Ring);

        AssertRejected(datagram, DropReason.BadField);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(PacketHeader.Size)]
    [InlineData(DataPacket.EntriesOffset - 1)]
    public void TryValidate_ShorterThanFixedBody_BadLength(int length)
    {
        var datagram = Datagrams.Data(1, Datagrams.NodeB, Datagrams.Ring, EntrySpec.Whole([1]));

        AssertRejected(datagram.AsSpan(0, length), DropReason.BadLength);
    }

    [Theory]
    [InlineData(11)]
    [InlineData(1000)]
    public void TryValidate_EntryLengthPastTheEnd_BadLength(int length)
    {
        var datagram = Datagrams.Data(1, Datagrams.NodeB, Datagrams.Ring, EntrySpec.Whole(new byte[10]));
        BinaryPrimitives.WriteInt32BigEndian(datagram.AsSpan(LengthAt), length);

        AssertRejected(datagram, DropReason.BadLength);
    }

    [Fact]
    public void TryValidate_MiddleFragmentLengthPastTheEnd_BadLength()
    {
        var datagram = Datagrams.Data(1, Datagrams.NodeB, Datagrams.Ring, new EntrySpec(ServiceType.Agreed, FragmentFlags.None, new byte[10]));
        BinaryPrimitives.WriteInt32BigEndian(datagram.AsSpan(LengthAt), int.MaxValue);

        AssertRejected(datagram, DropReason.BadLength);
    }

    [Theory]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void TryValidate_NegativeEntryLength_BadField(int length)
    {
        var datagram = Datagrams.Data(1, Datagrams.NodeB, Datagrams.Ring, EntrySpec.Whole(new byte[10]));
        BinaryPrimitives.WriteInt32BigEndian(datagram.AsSpan(LengthAt), length);

        AssertRejected(datagram, DropReason.BadField);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(7)]
    [InlineData(0x80)]
    [InlineData(255)]
    public void TryValidate_UnknownServiceByte_BadField(byte service)
    {
        var datagram = Datagrams.Data(1, Datagrams.NodeB, Datagrams.Ring, EntrySpec.Whole([1, 2]));
        datagram[ServiceAt] = service;

        AssertRejected(datagram, DropReason.BadField);
    }

    [Theory]
    [InlineData(4)]
    [InlineData(7)]
    [InlineData(0x80)]
    [InlineData(255)]
    public void TryValidate_UnknownFragmentFlags_BadField(byte flags)
    {
        var datagram = Datagrams.Data(1, Datagrams.NodeB, Datagrams.Ring, EntrySpec.Whole([1, 2]));
        datagram[FlagsAt] = flags;

        AssertRejected(datagram, DropReason.BadField);
    }

    [Theory]
    [InlineData(10)]
    [InlineData(9)]
    [InlineData(0)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    public void TryValidate_FirstFragmentTotalNotAboveLength_BadField(int total)
    {
        var datagram = Datagrams.Data(1, Datagrams.NodeB, Datagrams.Ring, new EntrySpec(ServiceType.Agreed, FragmentFlags.First, new byte[10], TotalLength: 20));
        BinaryPrimitives.WriteInt32BigEndian(datagram.AsSpan(TotalAt), total);

        AssertRejected(datagram, DropReason.BadField);
    }

    [Theory]
    [InlineData(MaxMessage + 1)]
    [InlineData(int.MaxValue)]
    public void TryValidate_FirstFragmentTotalAboveMaxMessage_BadField(int total)
    {
        var datagram = Datagrams.Data(1, Datagrams.NodeB, Datagrams.Ring, new EntrySpec(ServiceType.Agreed, FragmentFlags.First, new byte[10], TotalLength: 20));
        BinaryPrimitives.WriteInt32BigEndian(datagram.AsSpan(TotalAt), total);

        AssertRejected(datagram, DropReason.BadField);
    }

    [Fact]
    public void TryValidate_FirstFragmentTotalAtMaxMessage_Accepted()
    {
        var datagram = Datagrams.Data(1, Datagrams.NodeB, Datagrams.Ring, new EntrySpec(ServiceType.Agreed, FragmentFlags.First, new byte[10], TotalLength: MaxMessage));

        Assert.True(DataPacket.TryValidate(datagram, MaxMessage, out _, out _));
    }

    [Fact]
    public void TryValidate_FirstFragmentWithoutRoomForTotal_BadLength()
    {
        var datagram = Datagrams.Data(1, Datagrams.NodeB, Datagrams.Ring, EntrySpec.Whole([]));
        datagram[FlagsAt] = (byte)FragmentFlags.First;

        AssertRejected(datagram, DropReason.BadLength);
    }

    [Fact]
    public void TryValidate_WholeMessageAboveMaxMessage_BadField()
    {
        var datagram = Datagrams.Data(1, Datagrams.NodeB, Datagrams.Ring, EntrySpec.Whole(new byte[100]));

        Assert.True(DataPacket.TryValidate(datagram, 100, out _, out _));
        Assert.False(DataPacket.TryValidate(datagram, 99, out _, out var reason));
        Assert.Equal(DropReason.BadField, reason);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(8)]
    [InlineData(100)]
    public void TryValidate_TrailingGarbage_BadLength(int extra)
    {
        var datagram = Datagrams.Data(1, Datagrams.NodeB, Datagrams.Ring, EntrySpec.Whole([1, 2, 3]));
        var longer = new byte[datagram.Length + extra];
        datagram.CopyTo(longer, 0);
        longer.AsSpan(datagram.Length).Fill(0xA5);

        AssertRejected(longer, DropReason.BadLength);
    }

    [Fact]
    public void TryValidate_CountBelowEntriesPresent_BadLength()
    {
        var datagram = Datagrams.Data(1, Datagrams.NodeB, Datagrams.Ring, EntrySpec.Whole([1]), EntrySpec.Whole([2]));
        DataPacket.WriteBody(datagram, 1, 1);

        AssertRejected(datagram, DropReason.BadLength);
    }

    [Theory]
    [InlineData(3)]
    [InlineData(ushort.MaxValue)]
    public void TryValidate_CountAboveEntriesPresent_BadLength(int count)
    {
        var datagram = Datagrams.Data(1, Datagrams.NodeB, Datagrams.Ring, EntrySpec.Whole([1]), EntrySpec.Whole([2]));
        DataPacket.WriteBody(datagram, 1, count);

        AssertRejected(datagram, DropReason.BadLength);
    }

    [Fact]
    public void TryValidate_RandomBodyAfterValidHeader_NeverThrowsAndEntriesStayInBounds()
    {
        Gen.Select(Gen.Byte.Array[0, 300], Gen.Int[0, 4]).Sample((body, count) =>
        {
            var datagram = new byte[DataPacket.EntriesOffset + body.Length];
            new PacketHeader(PacketType.Data, 0, datagram.Length, Datagrams.NodeB, Datagrams.Ring).Write(datagram);
            DataPacket.WriteBody(datagram, 1, count);
            body.CopyTo(datagram, DataPacket.EntriesOffset);
            if (!DataPacket.TryValidate(datagram, 64, out _, out _))
            {
                return;
            }

            var reader = new DataEntryReader(datagram);
            for (int i = 0; i < count; i++)
            {
                Assert.True(reader.TryReadNext(64, out var entry, out _));
                Assert.InRange(entry.PayloadOffset + entry.Length, DataPacket.EntriesOffset, datagram.Length);
            }

            Assert.Equal(datagram.Length, reader.Offset);
        });
    }

    private static void AssertRejected(ReadOnlySpan<byte> datagram, DropReason expected)
    {
        Assert.False(DataPacket.TryValidate(datagram, MaxMessage, out _, out var reason));
        Assert.Equal(expected, reason);
    }
}
