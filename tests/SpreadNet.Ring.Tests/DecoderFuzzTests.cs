using System.Diagnostics;
using SpreadNet.Ring.Tests.Support;
using SpreadNet.Ring.Totem;
using SpreadNet.Ring.Wire;
using Xunit.Abstractions;

namespace SpreadNet.Ring.Tests;

/// <summary>
/// Decoder fuzzing in the style of MsQuic's SpinFrame: random buffers and damaged valid traffic
/// go into every decoder and into live engines. Nothing may throw; random buffers must be dropped
/// and counted one by one; damaged traffic must leave every engine consistent. Size and seed come
/// from <see cref="FuzzConfig"/> (<c>SPREADNET_FUZZ_COUNT</c>, <c>SPREADNET_FUZZ_SEED</c>).
/// </summary>
public sealed class DecoderFuzzTests(ITestOutputHelper output)
{
    private const int MaxDatagram = 65_000;
    private const int MaxMessage = 1 << 20;
    private const int RetransmitCapacity = 16;

    /// <summary>Random lengths go up to this, past <see cref="MaxDatagram"/>, so pool buffers are this large.</summary>
    private const int MaxRandomLength = 70_000;

    private static readonly TotemSettings Settings = new()
    {
        MaxDatagramSize = MaxDatagram,
        MaxMessageSize = MaxMessage,
        WindowSize = 64,
        MaxPacketsPerVisit = 16,
        MaxRetransmitRequests = RetransmitCapacity,
        ReceiveWindow = 256,
    };

    private static readonly NodeId[] AllNodes =
        [Datagrams.NodeA, Datagrams.NodeB, Datagrams.NodeC, new(0x7F00_0001_12C6), new(0x7F00_0001_12C7)];

    private readonly RegularToken _token = new(RetransmitCapacity);

    [Fact]
    public void Decoders_RandomAndMutatedDatagrams_NeverThrowAndEnginesStayConsistent()
    {
        int count = FuzzConfig.Count;
        ulong seed = FuzzConfig.Seed;
        var random = new FastRandom(seed);
        var pool = new PacketPool(MaxRandomLength, 256);
        long now = 1_000_000;
        var stopwatch = Stopwatch.StartNew();

        // Fully random buffers all go to one engine, which must drop every one of them.
        var randomTarget = new FuzzTarget(Datagrams.NodeB, [Datagrams.NodeA, Datagrams.NodeB, Datagrams.NodeC], 1, Settings, pool, now);
        int randomCount = 0;
        long randomBytes = 0;

        // Damaged traffic goes to a series of engines of different rings, each fed for a while.
        var stream = NewStream(random, pool, now);
        var totals = new Dictionary<string, long>();
        int engines = 1;

        for (int i = 0; i < count; i++)
        {
            now += random.Next(1, 2_000);
            ReadOnlySpan<byte> current = default;
            try
            {
                if (random.Chance(50))
                {
                    int length = random.Chance(50) ? random.Next(MaxRandomLength + 1) : random.Next(257);
                    var buffer = pool.Rent();
                    random.NextBytes(buffer.AsSpan(0, length));
                    current = buffer.AsSpan(0, length);
                    FeedRandom(randomTarget, buffer, length, now);
                    randomCount++;
                    randomBytes += length;
                }
                else
                {
                    if (stream.Remaining-- == 0)
                    {
                        Accumulate(totals, stream.Target);
                        stream = NewStream(random, pool, now);
                        engines++;
                    }

                    stream.Generator.Floor = stream.Target.Engine.DeliveredUpTo;
                    var datagram = NextDamaged(random, stream.Generator);
                    current = datagram;
                    if (FeedDamaged(stream.Target, datagram, now, totals).TokensReceived == 1)
                    {
                        stream.Generator.TokenAccepted(_token.TokenSeq);
                    }

                    if (random.Chance(3))
                    {
                        now += random.Next(400_000);
                        stream.Target.FireTimers(now);
                    }
                }
            }
            catch (Exception exception)
            {
                throw new InvalidOperationException(
                    $"Fuzz input #{i} failed (replay with SPREADNET_FUZZ_SEED={seed}, SPREADNET_FUZZ_COUNT={count}): {exception.Message}; input {FuzzConfig.Describe(current)}",
                    exception);
            }
        }

        Accumulate(totals, stream.Target);
        stopwatch.Stop();

        Assert.Equal(0, randomTarget.Host.DeliveryCount);
        Assert.Equal(randomCount, randomTarget.Engine.Counters.DroppedTotal);
        output.WriteLine(
            $"Fuzzed {count:N0} datagrams in {stopwatch.Elapsed.TotalSeconds:F1} s (seed {seed}): {randomCount:N0} random ({randomBytes / (1 << 20):N0} MiB), {count - randomCount:N0} damaged into {engines} engines.");
        output.WriteLine("Random buffers dropped as " + string.Join(", ", Enum.GetValues<DropReason>()
            .Select(r => (Reason: r, Count: randomTarget.Engine.Counters.Dropped(r))).Where(d => d.Count > 0).Select(d => $"{d.Reason} {d.Count:N0}")));
        output.WriteLine("Damaged traffic: " + string.Join(", ", totals.OrderBy(t => t.Key, StringComparer.Ordinal).Select(t => $"{t.Key} {t.Value:N0}")));
        if (count >= 20_000)
        {
            // The damaged traffic must reach past the header checks, or the run proves little.
            Assert.True(totals["token decoded"] > 0 && totals["data valid"] > 0);
            Assert.True(totals["tokens accepted"] > 0 && totals["packets accepted"] > 0 && totals["delivered"] > 0);
        }
    }

    [Fact]
    public void Engine_LoneDamagedDatagramWithMemberHeader_DeliversOnlyWhatAWellFormedFirstPacketCarries()
    {
        int count = Math.Max(1_000, FuzzConfig.Count / 20);
        ulong seed = FuzzConfig.Seed ^ 0x10AE;
        var random = new FastRandom(seed);
        var pool = new PacketPool(MaxDatagram, 64);
        var packetPool = new PacketPool(1400, 64);
        NodeId[] members = [Datagrams.NodeA, Datagrams.NodeB, Datagrams.NodeC];
        var ring = new RingId(Datagrams.NodeA, 7);
        var stopwatch = Stopwatch.StartNew();
        int delivering = 0;

        for (int i = 0; i < count; i++)
        {
            byte[] datagram = [];
            try
            {
                var target = new FuzzTarget(random.Pick(members), members, ring.Sequence, Settings, pool, 1_000);
                datagram = LoneDatagram(random, packetPool, random.Pick(members), ring);
                Assert.True(PacketHeader.TryRead(datagram, MaxDatagram, out var header, out _));

                var step = target.Feed(datagram, 2_000);

                var expected = ExpectedLoneOutcome(header, datagram, out var expectedDrop);
                Assert.Equal(expected.Deliveries, target.LastDeliveries, new DeliveryComparer());
                Assert.Equal(expected.ReassemblyErrors, step.ReassemblyErrors);
                if (expectedDrop is { } reason)
                {
                    Assert.Equal(1, target.Engine.Counters.Dropped(reason));
                    Assert.Equal(1, step.Dropped);
                }

                if (header.Type == PacketType.Data)
                {
                    Assert.Equal(1, step.Outcomes);
                    Assert.Equal(expectedDrop is null ? 1 : 0, step.PacketsReceived);
                }

                delivering += expected.Deliveries.Count > 0 ? 1 : 0;
            }
            catch (Exception exception)
            {
                throw new InvalidOperationException(
                    $"Lone datagram #{i} failed (replay with SPREADNET_FUZZ_SEED={seed ^ 0x10AE}): {exception.Message}; input {FuzzConfig.Describe(datagram)}",
                    exception);
            }
        }

        output.WriteLine($"Fed {count:N0} lone datagrams to fresh engines in {stopwatch.Elapsed.TotalSeconds:F1} s (seed {seed}); {delivering:N0} delivered something.");
        Assert.True(delivering > 0);
    }

    /// <summary>Runs every decoder over <paramref name="datagram"/>; checks what they accept is within bounds.</summary>
    private bool DecodeAll(ReadOnlySpan<byte> datagram, out PacketHeader header, out bool tokenValid, out bool dataValid)
    {
        bool headerValid = PacketHeader.TryRead(datagram, MaxDatagram, out header, out _);
        if (headerValid)
        {
            Assert.Equal(datagram.Length, header.Length);
            Assert.False(header.Sender.IsNone);
        }

        var body = datagram.Length >= PacketHeader.Size ? datagram[PacketHeader.Size..] : datagram;
        tokenValid = _token.TryRead(body, out _);
        if (tokenValid)
        {
            Assert.Equal(body.Length, _token.BodySize);
            Assert.InRange(_token.Aru, 0, _token.Seq);
            foreach (long request in _token.RetransmitRequests)
            {
                Assert.InRange(request, 1, _token.Seq);
            }
        }

        dataValid = DataPacket.TryValidate(datagram, MaxMessage, out long seq, out _);
        if (dataValid)
        {
            Assert.True(seq > 0);
        }

        if (datagram.Length >= DataPacket.EntriesOffset)
        {
            // Walk entries whatever the count says, as far as they decode.
            var reader = new DataEntryReader(datagram);
            for (int i = 0; i < 64 && reader.TryReadNext(MaxMessage, out var entry, out _); i++)
            {
                Assert.InRange(entry.PayloadOffset, DataPacket.EntriesOffset, datagram.Length);
                Assert.InRange(entry.Length, 0, datagram.Length - entry.PayloadOffset);
                Assert.InRange(entry.TotalLength, entry.Length, MaxMessage);
                Assert.Equal(entry.PayloadOffset + entry.Length, reader.Offset);
            }
        }

        return headerValid;
    }

    private void FeedRandom(FuzzTarget target, byte[] buffer, int length, long now)
    {
        bool headerValid = DecodeAll(buffer.AsSpan(0, length), out _, out _, out _);
        Assert.False(headerValid, "a random buffer passed the header check");

        var step = target.FeedBuffer(buffer, length, now);

        Assert.Equal(new FuzzStep(1, 0, 0, 0, 0), step);
    }

    private FuzzStep FeedDamaged(FuzzTarget target, byte[] datagram, long now, Dictionary<string, long> totals)
    {
        bool headerValid = DecodeAll(datagram, out var header, out bool tokenValid, out bool dataValid);
        Count(totals, "header valid", headerValid);
        Count(totals, "token decoded", headerValid && header.Type == PacketType.Token && tokenValid);
        Count(totals, "data valid", headerValid && header.Type == PacketType.Data && dataValid);

        var step = target.Feed(datagram, now);

        Assert.InRange(step.Outcomes, 0, 1);
        if (!headerValid)
        {
            Assert.Equal(new FuzzStep(1, 0, 0, 0, 0), step);
            return step;
        }

        if (header.Type is not (PacketType.Wake or PacketType.TokenHoldCancel))
        {
            Assert.Equal(1, step.Outcomes);
        }

        Assert.True(step.TokensReceived == 0 || (header.Type == PacketType.Token && tokenValid), "accepted a token that does not decode");
        Assert.True(step.PacketsReceived == 0 || (header.Type == PacketType.Data && dataValid), "accepted a data packet that does not validate");
        Assert.True(
            step.Delivered == 0 || step.PacketsReceived == 1 || step.TokensReceived == 1 || header.Type == PacketType.TokenHoldCancel,
            "delivered on a datagram that was not accepted");
        return step;
    }

    private static byte[] NextDamaged(FastRandom random, TrafficGenerator generator)
    {
        var original = generator.Next();
        if (!random.Chance(70))
        {
            return original;
        }

        var damaged = DatagramMutator.Mutate(random, original);
        if (random.Chance(50))
        {
            DatagramMutator.RepairHeader(damaged);
        }

        if (original[3] == (byte)PacketType.Data)
        {
            // The undamaged packet arrives later, so the engine's aru can move past the damaged one.
            generator.Defer(original);
        }

        return damaged;
    }

    private static (FuzzTarget Target, TrafficGenerator Generator, int Remaining) NewStream(FastRandom random, PacketPool pool, long now)
    {
        int size = random.Pick([1, 2, 3, 3, 5]);
        var members = AllNodes.OrderBy(_ => random.NextULong()).Take(size).Order().ToArray();
        var self = random.Pick(members);
        ulong ringSequence = (ulong)random.Next(1, 100);
        var target = new FuzzTarget(self, members, ringSequence, Settings, pool, now);
        var generator = new TrafficGenerator(random, members, new RingId(members[0], ringSequence), MaxMessage, RetransmitCapacity, Settings.ReceiveWindow);
        return (target, generator, random.Next(200, 5_000));
    }

    /// <summary>A data packet (or sometimes another type) from a member of the ring, its body damaged, its header valid.</summary>
    private static byte[] LoneDatagram(FastRandom random, PacketPool packetPool, NodeId sender, RingId ring)
    {
        long seq = random.Next(100) switch
        {
            < 75 => 1,
            < 85 => 2,
            < 95 => random.NextLong(-2, 300),
            _ => (long)random.NextULong(),
        };
        var packet = OnePacket(random, packetPool, seq, sender, ring);
        var body = packet.AsSpan(PacketHeader.Size);
        byte[] damaged = random.Chance(80) ? DatagramMutator.Mutate(random, body) : body.ToArray();
        if (damaged.Length > MaxDatagram - PacketHeader.Size)
        {
            damaged = damaged[..(MaxDatagram - PacketHeader.Size)];
        }

        var type = random.Chance(85) ? PacketType.Data : (PacketType)random.Next(1, 9);
        var datagram = new byte[PacketHeader.Size + damaged.Length];
        new PacketHeader(type, (ushort)random.Next(3), datagram.Length, sender, ring).Write(datagram);
        damaged.CopyTo(datagram, PacketHeader.Size);
        return datagram;
    }

    private static byte[] OnePacket(FastRandom random, PacketPool packetPool, long seq, NodeId sender, RingId ring)
    {
        var queue = new OutboundQueue(packetPool, 100, MaxMessage);
        int messages = 1 + random.Next(5);
        for (int i = 0; i < messages; i++)
        {
            var payload = new byte[random.Chance(80) ? random.Next(300) : random.Next(300, 3_000)];
            random.NextBytes(payload);
            queue.TryEnqueue(payload, (ServiceType)random.Next(1, 7));
        }

        int pick = random.Next(queue.PendingPackets);
        byte[] chosen = [];
        for (int i = 0; queue.TryTake(out var packet); i++)
        {
            if (i == pick)
            {
                chosen = Datagrams.Seal(packet, seq, sender, ring);
            }

            packetPool.Return(packet.Buffer);
        }

        return chosen;
    }

    /// <summary>
    /// What a fresh engine must do with one datagram, worked out from the bytes alone: only a valid
    /// data packet numbered 1 is delivered, its entries in order up to the first safe one (nothing is
    /// safe yet), fragments only when a first fragment and a last one complete a message in it.
    /// </summary>
    private static (List<DeliveredMessage> Deliveries, long ReassemblyErrors) ExpectedLoneOutcome(PacketHeader header, byte[] datagram, out DropReason? drop)
    {
        drop = null;
        var deliveries = new List<DeliveredMessage>();
        if (header.Type != PacketType.Data)
        {
            return (deliveries, 0);
        }

        if (!DataPacket.TryValidate(datagram, MaxMessage, out long seq, out var reason))
        {
            drop = reason;
            return (deliveries, 0);
        }

        if (seq > Settings.ReceiveWindow)
        {
            drop = DropReason.OutsideWindow;
            return (deliveries, 0);
        }

        if (seq != 1)
        {
            return (deliveries, 0);
        }

        long errors = 0;
        List<byte>? message = null;
        int total = 0;
        var service = ServiceType.Agreed;
        var reader = new DataEntryReader(datagram);
        int count = DataPacket.ReadEntryCount(datagram);
        for (int index = 0; index < count; index++)
        {
            Assert.True(reader.TryReadNext(MaxMessage, out var entry, out _));
            if (entry.Service == ServiceType.Safe)
            {
                break;
            }

            var piece = datagram.AsSpan(entry.PayloadOffset, entry.Length);
            if (entry.Flags == FragmentFlags.Whole)
            {
                deliveries.Add(new DeliveredMessage(header.Sender, header.Ring, seq, index, entry.Service, piece.ToArray()));
                continue;
            }

            if ((entry.Flags & FragmentFlags.First) != 0)
            {
                message = [];
                total = entry.TotalLength;
                service = entry.Service;
            }
            else if (message is null)
            {
                continue;
            }

            if (piece.Length > total - message.Count)
            {
                errors++;
                message = null;
                continue;
            }

            message.AddRange(piece);
            if ((entry.Flags & FragmentFlags.Last) != 0)
            {
                if (message.Count == total)
                {
                    deliveries.Add(new DeliveredMessage(header.Sender, header.Ring, seq, index, service, [.. message]));
                }
                else
                {
                    errors++;
                }

                message = null;
            }
        }

        return (deliveries, errors);
    }

    private static void Count(Dictionary<string, long> totals, string key, bool condition)
    {
        if (condition)
        {
            totals[key] = totals.GetValueOrDefault(key) + 1;
        }
    }

    private static void Accumulate(Dictionary<string, long> totals, FuzzTarget target)
    {
        var counters = target.Engine.Counters;
        totals["tokens accepted"] = totals.GetValueOrDefault("tokens accepted") + counters.TokensReceived;
        totals["packets accepted"] = totals.GetValueOrDefault("packets accepted") + counters.PacketsReceived;
        totals["delivered"] = totals.GetValueOrDefault("delivered") + counters.MessagesDelivered;
        totals["reassembly errors"] = totals.GetValueOrDefault("reassembly errors") + counters.ReassemblyErrors;
        totals["datagrams sent"] = totals.GetValueOrDefault("datagrams sent") + target.Host.SendCount;
        foreach (var reason in Enum.GetValues<DropReason>())
        {
            string key = $"dropped {reason}";
            totals[key] = totals.GetValueOrDefault(key) + counters.Dropped(reason);
        }
    }

    private sealed class DeliveryComparer : IEqualityComparer<DeliveredMessage>
    {
        public bool Equals(DeliveredMessage? x, DeliveredMessage? y) =>
            x is not null && y is not null
            && x.Sender == y.Sender && x.Ring == y.Ring && x.Sequence == y.Sequence && x.Index == y.Index && x.Service == y.Service
            && x.Payload.AsSpan().SequenceEqual(y.Payload);

        public int GetHashCode(DeliveredMessage obj) => obj.Payload.Length;
    }
}
