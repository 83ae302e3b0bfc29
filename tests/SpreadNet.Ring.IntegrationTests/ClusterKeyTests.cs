using System.Net;
using System.Net.Sockets;
using SpreadNet.Ring;
using SpreadNet.Ring.Totem;
using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.IntegrationTests;

/// <summary>
/// Rings with a cluster key over real sockets: nodes with the same key form a ring and deliver in
/// one order; a node with another key, or none, is reported by name and never disturbs the ring.
/// </summary>
public sealed class ClusterKeyTests
{
    private const int NodeCount = 3;
    private static readonly byte[] Key = [.. Enumerable.Range(0, 32).Select(i => (byte)(i * 13 + 1))];
    private static readonly byte[] OtherKey = [.. Enumerable.Range(0, 32).Select(i => (byte)(i * 17 + 2))];

    public static TheoryData<ClusterKeyMode> Modes => [.. Enum.GetValues<ClusterKeyMode>()];

    [Theory]
    [MemberData(nameof(Modes))]
    public async Task SameKey_ThreeNodes_DeliverTenThousandMessagesInOneOrder(ClusterKeyMode mode)
    {
        const int PerSender = 3_334;
        int total = PerSender * NodeCount;
        await using var ring = await LoopbackRing.StartAsync(NodeCount, total, options =>
        {
            options.ClusterKey = Key;
            options.ClusterKeyMode = mode;
        });

        // Every 500th message is fragmented over several datagrams, each keeping room for the trailer.
        var senders = ring.Nodes.Select((node, sender) => Task.Run(async () =>
        {
            for (int counter = 0; counter < PerSender; counter++)
            {
                int size = counter % 500 == 7 ? 150_000 : 100;
                await node.SubmitAsync(DeliveryRecorder.Payload(sender, counter, ServiceType.Agreed, size));
            }
        }));
        await Task.WhenAll(senders);
        await ring.WaitForDeliveriesAsync(total, TimeSpan.FromSeconds(60));

        var reference = ring.Recorders[0].Identities.ToArray();
        Assert.All(ring.Recorders, r => Assert.True(r.Identities.SequenceEqual(reference), "Nodes delivered different orders."));
        var next = new int[NodeCount];
        foreach (long identity in reference)
        {
            var (sender, counter, _) = DeliveryRecorder.Decode(identity);
            Assert.Equal(next[sender]++, counter);
        }

        Assert.All(ring.Nodes, node =>
        {
            Assert.Equal(0, node.Counters.Dropped(DropReason.BadAuthentication));
            Assert.Equal(0, node.Counters.Dropped(DropReason.Replayed));
            Assert.True(node.Counters.PacketsReceived > 0);
        });
    }

    [Fact]
    public async Task ReplayedTamperedAndTruncatedDatagrams_DroppedCountedAndReportedWithoutDisturbingTheRing()
    {
        await using var ring = await LoopbackRing.StartAsync(2, 10, options => options.ClusterKey = Key);
        var target = ring.Nodes[0];
        var ringId = target.Configuration!.Ring;
        var events = new List<RingEvent>();
        target.EventRaised += e =>
        {
            lock (events)
            {
                events.Add(e);
            }
        };
        using var intruder = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        intruder.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var intruderEndPoint = (IPEndPoint)intruder.LocalEndPoint!;
        var intruderId = NodeId.FromEndPoint(intruderEndPoint);

        // An authentic wake-up (the intruder knows the key, as a captured datagram would carry it):
        // it opens once, and the engine ignores wake-ups; its copies are what is under test.
        using var protector = PacketProtector.Create(Key, new RingOptions().ClusterKeyMode, intruderId, firstCounter: 1);
        var packet = new byte[PacketHeader.Size];
        new PacketHeader(PacketType.Wake, 0, packet.Length, intruderId, default).Write(packet);
        var datagram = new byte[packet.Length + PacketProtector.TrailerSize];
        protector.Seal(packet, datagram);
        var tampered = (byte[])datagram.Clone();
        tampered[^1] ^= 1;

        intruder.SendTo(datagram, target.LocalEndPoint);
        intruder.SendTo(datagram, target.LocalEndPoint);
        intruder.SendTo(tampered, target.LocalEndPoint);
        intruder.SendTo(datagram.AsSpan(0, datagram.Length - 1), SocketFlags.None, target.LocalEndPoint);

        // The truncated copy is shorter than a header and a trailer: dropped as too short.
        await WaitForAsync(
            () => target.Counters.Dropped(DropReason.Replayed) == 1 && target.Counters.Dropped(DropReason.BadAuthentication) == 1 && target.Counters.Dropped(DropReason.TooShort) == 1,
            TimeSpan.FromSeconds(10));
        await WaitForAsync(() => AuthenticationEvents(events).Count > 0, TimeSpan.FromSeconds(10));
        var report = Assert.Single(AuthenticationEvents(events));
        Assert.Equal(intruderId, report.Peer);
        Assert.Contains($"Node {intruderEndPoint} sends packets that fail authentication", report.Message, StringComparison.Ordinal);
        Assert.All(ring.Nodes, n => Assert.Equal(ringId, n.Configuration!.Ring));
    }

    [Fact]
    public Task NodeWithAnotherKey_ReportedByEveryoneAndKeyedRingUndisturbed() =>
        OddNodeAsync(OtherKey, keyedMessage: "that fail authentication", oddMessage: "that fail authentication");

    [Fact]
    public Task NodeWithoutKey_ReportedByEveryoneAndKeyedRingUndisturbed() =>
        OddNodeAsync(null, keyedMessage: "without authentication", oddMessage: "sealed with a ClusterKey");

    /// <summary>
    /// Three keyed nodes and an odd one, every node seeded with all four: the keyed nodes form a
    /// ring of three, each names the odd node and ClusterKey, the odd node names them, and the ring
    /// neither reforms nor stops delivering while the odd node keeps trying.
    /// </summary>
    private static async Task OddNodeAsync(byte[]? oddKey, string keyedMessage, string oddMessage)
    {
        var endPoints = SpreadNet.Testing.LoopbackPorts.Free(NodeCount + 1);
        var recorders = new DeliveryRecorder[NodeCount];
        var events = Enumerable.Range(0, NodeCount + 1).Select(_ => new List<RingEvent>()).ToArray();
        var nodes = new RingNode[NodeCount + 1];
        try
        {
            for (int i = 0; i <= NodeCount; i++)
            {
                var options = new RingOptions { ListenEndPoint = endPoints[i], ClusterKey = i < NodeCount ? Key : oddKey };
                foreach (var endPoint in endPoints)
                {
                    options.Seeds.Add(endPoint);
                }

                IDeliveryHandler? handler = i < NodeCount ? recorders[i] = new DeliveryRecorder(1_000) : null;
                nodes[i] = new RingNode(options, handler);
                var list = events[i];
                nodes[i].EventRaised += e =>
                {
                    lock (list)
                    {
                        list.Add(e);
                    }
                };
            }

            var started = System.Diagnostics.Stopwatch.StartNew();
            foreach (var node in nodes)
            {
                node.Start();
            }

            var keyed = nodes[..NodeCount];
            var odd = nodes[NodeCount];
            await LoopbackRing.WaitForMembersAsync(keyed, TimeSpan.FromSeconds(30));
            await WaitForAsync(() => Enumerable.Range(0, NodeCount).All(i => AuthenticationEvents(events[i]).Count > 0) && AuthenticationEvents(events[NodeCount]).Count > 0, TimeSpan.FromSeconds(10));

            for (int i = 0; i < NodeCount; i++)
            {
                var report = AuthenticationEvents(events[i]).First(e => e.Peer == odd.Id);
                Assert.Contains($"Node {endPoints[NodeCount]} sends packets {keyedMessage}", report.Message, StringComparison.Ordinal);
                Assert.Contains("ClusterKey", report.Message, StringComparison.Ordinal);
                Assert.True(keyed[i].Counters.Dropped(DropReason.BadAuthentication) > 0);
            }

            var oddReport = AuthenticationEvents(events[NodeCount])[0];
            Assert.Contains(oddReport.Peer, keyed.Select(n => n.Id));
            Assert.Contains(oddMessage, oddReport.Message, StringComparison.Ordinal);
            Assert.Contains("ClusterKey", oddReport.Message, StringComparison.Ordinal);
            await LoopbackRing.WaitForMembersAsync([odd], TimeSpan.FromSeconds(10));

            // Several merge-detect intervals and join rounds of the odd node: the keyed ring stays as it is.
            var ringId = keyed[0].Configuration!.Ring;
            var gathers = keyed.Select(n => n.Counters.Gathers).ToArray();
            for (int i = 0; i < 300; i++)
            {
                await keyed[i % NodeCount].SubmitAsync(DeliveryRecorder.Payload(i % NodeCount, i / NodeCount, ServiceType.Agreed, 64));
                await Task.Delay(10);
            }

            await WaitForAsync(() => recorders.All(r => r.Count == 300), TimeSpan.FromSeconds(10));
            Assert.All(keyed, n => Assert.Equal(ringId, n.Configuration!.Ring));
            Assert.Equal(gathers, keyed.Select(n => n.Counters.Gathers).ToArray());
            Assert.All(recorders, r => Assert.True(r.Identities.SequenceEqual(recorders[0].Identities)));

            // Rate-limited: one report per source and 10 s interval, however many packets failed.
            int allowed = 1 + (int)(started.Elapsed.TotalSeconds / 10);
            for (int i = 0; i < NodeCount; i++)
            {
                int reports = AuthenticationEvents(events[i]).Count(e => e.Peer == odd.Id);
                Assert.InRange(reports, 1, allowed);
                Assert.True(keyed[i].Counters.Dropped(DropReason.BadAuthentication) > reports);
            }
        }
        finally
        {
            foreach (var node in nodes)
            {
                if (node is not null)
                {
                    await node.DisposeAsync();
                }
            }
        }
    }

    private static List<RingEvent> AuthenticationEvents(List<RingEvent> events)
    {
        lock (events)
        {
            return [.. events.Where(e => e.Kind == RingEventKind.AuthenticationFailed)];
        }
    }

    private static async Task WaitForAsync(Func<bool> condition, TimeSpan timeout)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (!condition())
        {
            Assert.True(DateTime.UtcNow < deadline, "Timed out.");
            await Task.Delay(20);
        }
    }
}
