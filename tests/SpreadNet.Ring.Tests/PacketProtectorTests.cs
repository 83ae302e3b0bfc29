using System.Buffers.Binary;
using SpreadNet.Ring.Tests.Support;
using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Tests;

public class PacketProtectorTests
{
    private static readonly NodeId A = Datagrams.NodeA;
    private static readonly NodeId B = Datagrams.NodeB;

    public static TheoryData<ClusterKeyMode> Modes => SealedTraffic.ModeData;

    [Theory]
    [MemberData(nameof(Modes))]
    public void SealThenOpen_EveryModeAndSize_GivesBackThePacketWithoutTrailer(ClusterKeyMode mode)
    {
        using var sender = SealedTraffic.Protector(mode, A);
        using var receiver = SealedTraffic.Protector(mode, B);
        foreach (int length in new[] { PacketHeader.Size, PacketHeader.Size + 1, 100, 1_400, 65_000 - PacketProtector.TrailerSize })
        {
            var packet = SealedTraffic.Packet(length, A);
            var datagram = SealedTraffic.Seal(sender, packet);

            var result = SealedTraffic.Open(receiver, datagram, out var opened);

            Assert.Equal(OpenResult.Opened, result);
            Assert.Equal(packet, opened);
            Assert.Equal(packet[..PacketHeader.Size], datagram[..PacketHeader.Size]);
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void SealInPlace_EveryMode_OpensToThePacket(ClusterKeyMode mode)
    {
        using var sender = SealedTraffic.Protector(mode, A);
        using var receiver = SealedTraffic.Protector(mode, B);
        var packet = SealedTraffic.Packet(500, A);
        var buffer = new byte[600];
        packet.CopyTo(buffer, 0);

        int length = sender.SealInPlace(buffer, packet.Length);

        Assert.Equal(packet.Length + PacketProtector.TrailerSize, length);
        Assert.Equal(mode != ClusterKeyMode.AesGcm, buffer.AsSpan(0, packet.Length).SequenceEqual(packet));
        Assert.Equal(mode != ClusterKeyMode.AesGcm, sender.LeavesPacketReadable);
        Assert.Equal(mode, sender.Mode);
        Assert.Equal(OpenResult.Opened, SealedTraffic.Open(receiver, buffer.AsSpan(0, length), out var opened));
        Assert.Equal(packet, opened);
    }

    [Fact]
    public void Seal_AesGcm_BodyIsNotReadableOnTheWire()
    {
        using var sender = SealedTraffic.Protector(ClusterKeyMode.AesGcm, A);
        var packet = SealedTraffic.Packet(1_000, A);

        var datagram = SealedTraffic.Seal(sender, packet);

        var body = packet.AsSpan(PacketHeader.Size);
        var onWire = datagram.AsSpan(PacketHeader.Size, body.Length);
        int same = 0;
        for (int i = 0; i < body.Length; i++)
        {
            same += body[i] == onWire[i] ? 1 : 0;
        }

        Assert.InRange(same, 0, body.Length / 50);
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Open_AnyByteChanged_RejectedAsBadAuthentication(ClusterKeyMode mode)
    {
        using var sender = SealedTraffic.Protector(mode, A);
        using var receiver = SealedTraffic.Protector(mode, B);
        var datagram = SealedTraffic.Seal(sender, SealedTraffic.Packet(200, A));

        for (int i = 0; i < datagram.Length; i++)
        {
            foreach (byte flip in new byte[] { 0x01, 0x80, 0xFF })
            {
                var damaged = (byte[])datagram.Clone();
                damaged[i] ^= flip;

                var result = SealedTraffic.Open(receiver, damaged, out _);

                // Damage to the magic makes it no SpreadNet datagram; to the length field, it may look unsealed.
                Assert.True(
                    result is OpenResult.BadAuthentication || (i < 2 && result == OpenResult.NotSpreadNet) || (i is >= 8 and < 12 && result == OpenResult.Unsealed),
                    $"byte {i} ^ 0x{flip:X2}: {result}");
            }
        }

        Assert.Equal(OpenResult.Opened, SealedTraffic.Open(receiver, datagram, out _));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Open_TruncatedOrExtended_Rejected(ClusterKeyMode mode)
    {
        using var sender = SealedTraffic.Protector(mode, A);
        using var receiver = SealedTraffic.Protector(mode, B);
        var datagram = SealedTraffic.Seal(sender, SealedTraffic.Packet(120, A));

        for (int length = 0; length < datagram.Length; length++)
        {
            Assert.NotEqual(OpenResult.Opened, SealedTraffic.Open(receiver, datagram.AsSpan(0, length), out _));
        }

        Assert.Equal(OpenResult.BadAuthentication, SealedTraffic.Open(receiver, [.. datagram, 0], out _));
        Assert.Equal(OpenResult.TooShort, SealedTraffic.Open(receiver, datagram.AsSpan(0, PacketHeader.Size + PacketProtector.TrailerSize - 1), out _));
        Assert.Equal(OpenResult.Opened, SealedTraffic.Open(receiver, datagram, out _));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Open_SameDatagramTwice_SecondIsReplayed(ClusterKeyMode mode)
    {
        using var sender = SealedTraffic.Protector(mode, A);
        using var receiver = SealedTraffic.Protector(mode, B);
        var first = SealedTraffic.Seal(sender, SealedTraffic.Packet(80, A));
        var second = SealedTraffic.Seal(sender, SealedTraffic.Packet(80, A));

        Assert.Equal(OpenResult.Opened, SealedTraffic.Open(receiver, second, out _));
        Assert.Equal(OpenResult.Opened, SealedTraffic.Open(receiver, first, out _));
        Assert.Equal(OpenResult.Replayed, SealedTraffic.Open(receiver, first, out _));
        Assert.Equal(OpenResult.Replayed, SealedTraffic.Open(receiver, second, out _));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Open_OlderThanTheWindow_ReplayedEvenIfNeverSeen(ClusterKeyMode mode)
    {
        using var sender = SealedTraffic.Protector(mode, A);
        using var receiver = SealedTraffic.Protector(mode, B);
        var packet = SealedTraffic.Packet(60, A);
        var old = SealedTraffic.Seal(sender, packet);
        var held = new List<byte[]>();
        for (int i = 0; i < ReplayWindow.Width; i++)
        {
            held.Add(SealedTraffic.Seal(sender, packet));
        }

        // Opened newest first: every one is in the window of the newest, the oldest one just not.
        for (int i = held.Count - 1; i >= 0; i--)
        {
            Assert.Equal(OpenResult.Opened, SealedTraffic.Open(receiver, held[i], out _));
        }

        Assert.Equal(OpenResult.Replayed, SealedTraffic.Open(receiver, old, out _));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Open_RetransmittedByAnotherMember_AuthenticatedAsThatTransmitter(ClusterKeyMode mode)
    {
        using var a = SealedTraffic.Protector(mode, A);
        using var b = SealedTraffic.Protector(mode, B, firstCounter: 1_000);
        using var receiver = SealedTraffic.Protector(mode, Datagrams.NodeC);
        var packet = SealedTraffic.Packet(300, A);

        // Same counters at both transmitters, same packet: neither is a replay of the other.
        Assert.Equal(OpenResult.Opened, SealedTraffic.Open(receiver, SealedTraffic.Seal(a, packet), out _));
        var resent = SealedTraffic.Seal(b, packet);
        Assert.Equal(OpenResult.Opened, SealedTraffic.Open(receiver, resent, out var opened));

        Assert.Equal(packet, opened);
        Assert.Equal(B, PacketProtector.TransmitterOf(resent));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Open_TransmitterOrCounterRewritten_RejectedAsBadAuthentication(ClusterKeyMode mode)
    {
        using var sender = SealedTraffic.Protector(mode, A);
        using var receiver = SealedTraffic.Protector(mode, B);
        var datagram = SealedTraffic.Seal(sender, SealedTraffic.Packet(100, A));
        int trailer = datagram.Length - PacketProtector.TrailerSize;

        var otherTransmitter = (byte[])datagram.Clone();
        BinaryPrimitives.WriteUInt64BigEndian(otherTransmitter.AsSpan(trailer), Datagrams.NodeC.Value);
        var laterCounter = (byte[])datagram.Clone();
        BinaryPrimitives.WriteUInt64BigEndian(laterCounter.AsSpan(trailer + 8), sender.NextCounter + 5);

        Assert.Equal(OpenResult.BadAuthentication, SealedTraffic.Open(receiver, otherTransmitter, out _));
        Assert.Equal(OpenResult.BadAuthentication, SealedTraffic.Open(receiver, laterCounter, out _));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Open_OtherKeyOrOtherMode_RejectedAsBadAuthentication(ClusterKeyMode mode)
    {
        using var sender = SealedTraffic.Protector(mode, A);
        using var otherKey = SealedTraffic.Protector(mode, B, key: SealedTraffic.OtherKey);
        var datagram = SealedTraffic.Seal(sender, SealedTraffic.Packet(100, A));

        Assert.Equal(OpenResult.BadAuthentication, SealedTraffic.Open(otherKey, datagram, out _));
        foreach (var other in SealedTraffic.Modes.Where(m => m != mode))
        {
            using var otherMode = SealedTraffic.Protector(other, B);
            Assert.Equal(OpenResult.BadAuthentication, SealedTraffic.Open(otherMode, datagram, out _));
        }
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Open_PacketWithoutTrailer_Unsealed(ClusterKeyMode mode)
    {
        using var receiver = SealedTraffic.Protector(mode, B);
        var packet = SealedTraffic.Packet(PacketHeader.Size, A, PacketType.Leave);

        Assert.Equal(OpenResult.Unsealed, SealedTraffic.Open(receiver, packet, out _));
        Assert.Equal(OpenResult.NotSpreadNet, SealedTraffic.Open(receiver, new byte[100], out _));
        Assert.False(PacketProtector.LooksSealed(packet));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void LooksSealed_SealedDatagram_True(ClusterKeyMode mode)
    {
        using var sender = SealedTraffic.Protector(mode, A);

        Assert.True(PacketProtector.LooksSealed(SealedTraffic.Seal(sender, SealedTraffic.Packet(PacketHeader.Size, A, PacketType.Join))));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void Counter_RestartAfterTheLastRun_StartsAboveItAndIsAccepted(ClusterKeyMode mode)
    {
        var start = DateTimeOffset.UnixEpoch.AddYears(56);
        using var receiver = SealedTraffic.Protector(mode, B);
        var packet = SealedTraffic.Packet(40, A);
        ulong lastOfFirstRun;
        using (var firstRun = SealedTraffic.Protector(mode, A, PacketProtector.FirstCounter(start)))
        {
            // A run of 2 ms that sealed far more than any real sender could in that time.
            for (int i = 0; i < 100_000; i++)
            {
                firstRun.Seal(packet, new byte[packet.Length + PacketProtector.TrailerSize]);
            }

            Assert.Equal(OpenResult.Opened, SealedTraffic.Open(receiver, SealedTraffic.Seal(firstRun, packet), out _));
            lastOfFirstRun = firstRun.NextCounter - 1;
        }

        using var secondRun = SealedTraffic.Protector(mode, A, PacketProtector.FirstCounter(start.AddMilliseconds(2)));

        Assert.True(secondRun.NextCounter > lastOfFirstRun);
        Assert.Equal(OpenResult.Opened, SealedTraffic.Open(receiver, SealedTraffic.Seal(secondRun, packet), out _));
        Assert.Equal(1UL << PacketProtector.CounterShift, PacketProtector.FirstCounter(start.AddMilliseconds(1)) - PacketProtector.FirstCounter(start));
    }

    [Fact]
    public void Counter_ClockSetBackBeforeRestart_NewRunIsRejectedAsReplay()
    {
        var start = DateTimeOffset.UnixEpoch.AddYears(56);
        using var receiver = SealedTraffic.Protector(ClusterKeyMode.AesGcm, B);
        var packet = SealedTraffic.Packet(40, A);
        using var firstRun = SealedTraffic.Protector(ClusterKeyMode.AesGcm, A, PacketProtector.FirstCounter(start));
        using var setBack = SealedTraffic.Protector(ClusterKeyMode.AesGcm, A, PacketProtector.FirstCounter(start.AddSeconds(-1)));

        Assert.Equal(OpenResult.Opened, SealedTraffic.Open(receiver, SealedTraffic.Seal(firstRun, packet), out _));
        Assert.Equal(OpenResult.Replayed, SealedTraffic.Open(receiver, SealedTraffic.Seal(setBack, packet), out _));
    }

    [Theory]
    [MemberData(nameof(Modes))]
    public void SealAndOpen_AfterWarmUp_AllocateNothing(ClusterKeyMode mode)
    {
        using var sender = SealedTraffic.Protector(mode, A);
        using var receiver = SealedTraffic.Protector(mode, B);
        var packet = SealedTraffic.Packet(1_400, A);
        var buffer = new byte[packet.Length + PacketProtector.TrailerSize];
        var inPlace = new byte[packet.Length + PacketProtector.TrailerSize];
        for (int i = 0; i < 10; i++)
        {
            RoundTrip();
        }

        int opened = 0;
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 1_000; i++)
        {
            opened += RoundTrip();
        }

        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;
        Assert.Equal(2_000, opened);
        Assert.Equal(0, allocated);

        // Asserts stay out of the measured loop: xunit's comparers allocate.
        int RoundTrip()
        {
            sender.Seal(packet, buffer);
            int count = receiver.Open(buffer, out _) == OpenResult.Opened ? 1 : 0;
            packet.CopyTo(inPlace, 0);
            sender.SealInPlace(inPlace, packet.Length);
            return count + (receiver.Open(inPlace, out _) == OpenResult.Opened ? 1 : 0);
        }
    }

    [Fact]
    public void Fingerprint_SameKeySameValue_OtherKeyOtherValue_NeverTheKey()
    {
        ulong fingerprint = ClusterKeyDerivation.Fingerprint(SealedTraffic.Key);

        Assert.Equal(fingerprint, ClusterKeyDerivation.Fingerprint([.. SealedTraffic.Key]));
        Assert.NotEqual(fingerprint, ClusterKeyDerivation.Fingerprint(SealedTraffic.OtherKey));
        Assert.NotEqual(0UL, fingerprint);
        Span<byte> bytes = stackalloc byte[8];
        BinaryPrimitives.WriteUInt64BigEndian(bytes, fingerprint);
        Assert.Equal(-1, SealedTraffic.Key.AsSpan().IndexOf(bytes[..4]));
    }
}
