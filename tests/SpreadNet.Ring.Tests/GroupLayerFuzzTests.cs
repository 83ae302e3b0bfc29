using System.Diagnostics;
using SpreadNet.Ring.Groups;
using SpreadNet.Ring.Tests.Support;
using SpreadNet.Ring.Totem;
using Xunit.Abstractions;

namespace SpreadNet.Ring.Tests;

/// <summary>
/// The group layer's decoder under hostile input: random buffers and damaged valid group messages
/// (joins, leaves, ends, multicasts, announcements) from ring members, with configuration changes
/// in between. Nothing may throw, every undecodable message is counted, and the layer's state stays
/// consistent. Size and seed from <see cref="FuzzConfig"/>.
/// </summary>
public sealed class GroupLayerFuzzTests(ITestOutputHelper output)
{
    private static readonly NodeId[] Nodes = [Datagrams.NodeA, Datagrams.NodeB, Datagrams.NodeC];

    [Fact]
    public void OnDelivery_RandomAndMutatedGroupMessages_NeverThrowsCountsDropsAndStaysConsistent()
    {
        int count = FuzzConfig.Count;
        ulong seed = FuzzConfig.Seed;
        var random = new FastRandom(seed);
        var self = Datagrams.NodeB;
        var pool = new PacketPool(65_000, 64);
        var outbound = new OutboundQueue(pool, 1024, 1 << 20);
        var layer = new GroupLayer(self, outbound, pool);
        var local = new RecordingMember(self, 1, "local");
        Assert.True(layer.TryRegister(local));
        var ring = new RingId(Datagrams.NodeA, 10);
        Install(layer, ring, outbound);
        var corpus = Corpus(ring);
        var stopwatch = Stopwatch.StartNew();
        long randomInputs = 0;
        long randomDropped = 0;
        long sequence = 100;

        for (int i = 0; i < count; i++)
        {
            if (random.Chance(1) && random.Chance(5))
            {
                ring = new RingId(Datagrams.NodeA, ring.Sequence + 1);
                corpus = Corpus(ring);
                Install(layer, ring, outbound);
            }

            byte[] input;
            bool isRandom = random.Chance(30);
            if (isRandom)
            {
                input = new byte[random.Next(64)];
                random.NextBytes(input);
                if (input.Length > 0 && input[0] is >= 1 and <= 5)
                {
                    input[0] = 0;
                }
            }
            else
            {
                var valid = random.Pick(corpus);
                input = random.Chance(20) ? valid : DatagramMutator.Mutate(random, valid);
            }

            long malformedBefore = layer.Counters.MalformedMessages;
            try
            {
                var delivery = new Delivery(random.Pick(Nodes), ring, ++sequence, 0, (ServiceType)random.Next(1, 7), input);
                layer.OnDelivery(delivery);
            }
            catch (Exception exception)
            {
                Assert.Fail($"Group input #{i} threw (replay with SPREADNET_FUZZ_SEED={seed}, SPREADNET_FUZZ_COUNT={count}): {exception}; input {FuzzConfig.Describe(input)}");
            }

            if (isRandom)
            {
                randomInputs++;
                randomDropped += layer.Counters.MalformedMessages - malformedBefore;
            }

            DrainOutbound(outbound);
            if (i % 1000 == 0 || i == count - 1)
            {
                Assert.Null(layer.FindInconsistency());
            }
        }

        Assert.Equal(randomInputs, randomDropped);
        output.WriteLine($"{count:N0} group messages ({randomInputs:N0} random, all dropped and counted) in {stopwatch.Elapsed.TotalSeconds:F1} s; " +
            $"{layer.Counters.MalformedMessages:N0} malformed, {layer.Counters.ViewsInstalled:N0} views, {layer.Counters.Multicasts:N0} multicasts, {layer.GroupCount} groups at the end; seed {seed}.");
    }

    /// <summary>Installs <paramref name="ring"/> with all three nodes and completes its announcement exchange.</summary>
    private static void Install(GroupLayer layer, RingId ring, OutboundQueue outbound)
    {
        layer.OnConfiguration(new ConfigurationChange(ConfigurationKind.Transitional, ring, default, Nodes));
        layer.OnConfiguration(new ConfigurationChange(ConfigurationKind.Regular, ring, default, Nodes));
        DrainOutbound(outbound);
        foreach (var node in Nodes)
        {
            layer.OnDelivery(new Delivery(node, ring, 1, 0, ServiceType.Agreed, EmptyAnnouncement(ring)));
        }
    }

    private static void DrainOutbound(OutboundQueue outbound)
    {
        while (outbound.TryTake(out var packet))
        {
            _ = packet;
        }
    }

    private static byte[] EmptyAnnouncement(RingId ring)
    {
        var message = new byte[GroupWire.StateHeaderSize];
        GroupWire.WriteStateHeader(message, ring, last: true, 0);
        return message;
    }

    private static List<byte[]> Corpus(RingId ring)
    {
        var corpus = new List<byte[]>
        {
            GroupWire.Join(1, 1, "local", "g1"),
            GroupWire.Join(2, 2, "other", "g1"),
            GroupWire.Join(3, 3, "third", "g2"),
            GroupWire.Leave(2, 4, "g1"),
            GroupWire.Leave(1, 5, "g2"),
            GroupWire.End(3),
            EmptyAnnouncement(ring),
        };

        foreach (string[] groups in new[] { new[] { "g1" }, ["g1", "g2"], [PrivateName()] })
        {
            var data = new byte[GroupWire.DataHeaderSize("other", groups) + 16];
            int header = GroupWire.WriteData(data, GroupWire.SelfDiscardFlag, 2, 0, "other", groups);
            data.AsSpan(header).Fill(0xAB);
            corpus.Add(data);
        }

        var state = new byte[GroupWire.StateHeaderSize + GroupWire.StateEntrySize("other", "g3") + GroupWire.StateEntrySize("x", "g1")];
        int length = GroupWire.StateHeaderSize;
        length += GroupWire.WriteStateEntry(state.AsSpan(length), 2, "other", "g3");
        GroupWire.WriteStateEntry(state.AsSpan(length), 7, "x", "g1");
        GroupWire.WriteStateHeader(state, ring, last: false, 2);
        corpus.Add(state);
        return corpus;
    }

    private static string PrivateName() => $"#local#{Datagrams.NodeB}";
}
