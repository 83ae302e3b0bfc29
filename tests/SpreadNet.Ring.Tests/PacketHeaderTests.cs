using System.Buffers.Binary;
using CsCheck;
using SpreadNet.Ring.Tests.Support;
using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Tests;

public class PacketHeaderTests
{
    private const int MaxDatagram = 1400;

    private static readonly Gen<PacketHeader> HeaderGen =
        Gen.Select(
            Gen.Int[(int)PacketType.Token, (int)PacketType.Wake],
            Gen.UShort,
            Gen.Int[PacketHeader.Size, MaxDatagram],
            Gen.ULong[1, ulong.MaxValue],
            Gen.ULong,
            Gen.ULong,
            (type, flags, length, sender, representative, sequence) =>
                new PacketHeader((PacketType)type, flags, length, new NodeId(sender), new RingId(new NodeId(representative), sequence)));

    [Fact]
    public void TryRead_WrittenHeader_RoundTrips()
    {
        HeaderGen.Sample(header =>
        {
            var datagram = new byte[header.Length];
            header.Write(datagram);

            Assert.True(PacketHeader.TryRead(datagram, MaxDatagram, out var read, out _));
            Assert.Equal(header, read);
        });
    }

    [Fact]
    public void Write_Header_UsesDocumentedBigEndianLayout()
    {
        var header = new PacketHeader(PacketType.Data, 0x0102, 0x0304_0506, new NodeId(0x1112_1314_1516_1718), new RingId(new NodeId(0x2122_2324_2526_2728), 0x3132_3334_3536_3738));
        var datagram = new byte[PacketHeader.Size];

        header.Write(datagram);

        Assert.Equal(
            Convert.FromHexString("534E01020102000003040506111213141516171821222324252627283132333435363738"),
            datagram);
    }

    [Fact]
    public void WriteLength_WrittenHeader_PatchesOnlyTheLength()
    {
        var datagram = Datagrams.Control(PacketType.Leave, Datagrams.NodeB, Datagrams.Ring);

        PacketHeader.WriteLength(datagram, 99);

        Assert.Equal(99, BinaryPrimitives.ReadInt32BigEndian(datagram.AsSpan(8)));
        Assert.False(PacketHeader.TryRead(datagram, MaxDatagram, out _, out var reason));
        Assert.Equal(DropReason.BadLength, reason);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(PacketHeader.Size - 1)]
    public void TryRead_ShorterThanHeader_TooShort(int length)
    {
        var datagram = Datagrams.Control(PacketType.Token, Datagrams.NodeB, Datagrams.Ring).AsSpan(0, length);

        AssertRejected(datagram, MaxDatagram, DropReason.TooShort);
    }

    [Fact]
    public void TryRead_LongerThanMaxDatagram_TooLong()
    {
        var datagram = new byte[MaxDatagram + 1];
        new PacketHeader(PacketType.Data, 0, datagram.Length, Datagrams.NodeB, Datagrams.Ring).Write(datagram);

        AssertRejected(datagram, MaxDatagram, DropReason.TooLong);
        Assert.True(PacketHeader.TryRead(datagram, MaxDatagram + 1, out _, out _));
    }

    [Theory]
    [InlineData(0x00, 0x00)]
    [InlineData(0x4E, 0x53)]
    [InlineData(0x53, 0x4F)]
    [InlineData(0xFF, 0xFF)]
    public void TryRead_WrongMagic_BadMagic(byte first, byte second)
    {
        var datagram = Datagrams.Control(PacketType.Token, Datagrams.NodeB, Datagrams.Ring);
        datagram[0] = first;
        datagram[1] = second;

        AssertRejected(datagram, MaxDatagram, DropReason.BadMagic);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(2)]
    [InlineData(255)]
    public void TryRead_OtherVersion_BadVersion(byte version)
    {
        var datagram = Datagrams.Control(PacketType.Token, Datagrams.NodeB, Datagrams.Ring);
        datagram[2] = version;

        AssertRejected(datagram, MaxDatagram, DropReason.BadVersion);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(9)]
    [InlineData(0x80)]
    [InlineData(255)]
    public void TryRead_UnknownType_UnknownType(byte type)
    {
        var datagram = Datagrams.Control(PacketType.Token, Datagrams.NodeB, Datagrams.Ring);
        datagram[3] = type;

        AssertRejected(datagram, MaxDatagram, DropReason.UnknownType);
    }

    [Theory]
    [InlineData(0)]
    [InlineData(PacketHeader.Size - 1)]
    [InlineData(PacketHeader.Size + 1)]
    [InlineData(-1)]
    [InlineData(int.MinValue)]
    [InlineData(int.MaxValue)]
    public void TryRead_LengthFieldNotDatagramLength_BadLength(int lengthField)
    {
        var datagram = Datagrams.Control(PacketType.TokenHoldCancel, Datagrams.NodeB, Datagrams.Ring);
        PacketHeader.WriteLength(datagram, lengthField);

        AssertRejected(datagram, MaxDatagram, DropReason.BadLength);
    }

    [Fact]
    public void TryRead_DatagramLongerThanLengthField_BadLength()
    {
        var datagram = new byte[PacketHeader.Size + 10];
        new PacketHeader(PacketType.Join, 0, PacketHeader.Size, Datagrams.NodeB, Datagrams.Ring).Write(datagram);

        AssertRejected(datagram, MaxDatagram, DropReason.BadLength);
    }

    [Fact]
    public void TryRead_ZeroSender_BadField()
    {
        var datagram = Datagrams.Control(PacketType.Token, NodeId.None, Datagrams.Ring);

        AssertRejected(datagram, MaxDatagram, DropReason.BadField);
    }

    [Fact]
    public void TryRead_ReservedBytesSet_Ignored()
    {
        var datagram = Datagrams.Control(PacketType.Leave, Datagrams.NodeC, Datagrams.Ring);
        datagram[6] = 0xAB;
        datagram[7] = 0xCD;

        Assert.True(PacketHeader.TryRead(datagram, MaxDatagram, out var header, out _));
        Assert.Equal(new PacketHeader(PacketType.Leave, 0, PacketHeader.Size, Datagrams.NodeC, Datagrams.Ring), header);
    }

    [Fact]
    public void TryRead_AnyBytesOfAnyLength_NeverThrows()
    {
        Gen.Byte.Array[0, 200].Sample(bytes =>
        {
            bool ok = PacketHeader.TryRead(bytes, MaxDatagram, out var header, out _);
            Assert.Equal(ok, header != default);
        });
    }

    private static void AssertRejected(ReadOnlySpan<byte> datagram, int maxDatagram, DropReason expected)
    {
        Assert.False(PacketHeader.TryRead(datagram, maxDatagram, out var header, out var reason));
        Assert.Equal(expected, reason);
        Assert.Equal(default, header);
    }
}
