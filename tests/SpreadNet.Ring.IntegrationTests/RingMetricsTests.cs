using System.Diagnostics.Metrics;
using SpreadNet.Ring;

namespace SpreadNet.Ring.IntegrationTests;

/// <summary>The SpreadNet.Ring meter: every instrument exists, is tagged by node and reports the node's counters.</summary>
public sealed class RingMetricsTests
{
    private const int PerSender = 1_000;
    private const int Size = 100;
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);

    /// <summary>Name, unit and the extra tag (besides node and ring name) of every instrument.</summary>
    private static readonly (string Name, string Unit, string? ExtraTag)[] Expected =
    [
        ("spreadnet.ring.messages.delivered", "{message}", null),
        ("spreadnet.ring.payload.delivered", "By", null),
        ("spreadnet.ring.tokens.received", "{token}", null),
        ("spreadnet.ring.tokens.retransmitted", "{token}", null),
        ("spreadnet.ring.tokens.lost", "{token}", null),
        ("spreadnet.ring.packets.sent", "{packet}", null),
        ("spreadnet.ring.packets.received", "{packet}", null),
        ("spreadnet.ring.packets.retransmitted", "{packet}", null),
        ("spreadnet.ring.gathers", "{gather}", null),
        ("spreadnet.ring.reassembly.errors", "{message}", null),
        ("spreadnet.ring.datagrams.dropped", "{datagram}", "reason"),
        ("spreadnet.ring.configurations.installed", "{configuration}", "spreadnet.ring.configuration.kind"),
        ("spreadnet.ring.socket.errors", "{error}", "network.io.direction"),
        ("spreadnet.ring.send_queue.length", "{packet}", null),
        ("spreadnet.ring.receive_window.usage", "{packet}", null),
        ("spreadnet.ring.members", "{node}", null),
        ("spreadnet.ring.sessions", "{session}", null),
        ("spreadnet.ring.groups", "{group}", null),
        ("spreadnet.ring.group.views", "{view}", null),
        ("spreadnet.ring.group.messages.queued", "{message}", null),
        ("spreadnet.ring.group.messages.dropped", "{message}", null),
        ("spreadnet.ring.group.messages.malformed", "{message}", null),
        ("spreadnet.ring.sessions.evicted", "{session}", null),
    ];

    [Fact]
    public async Task TwoNodeRing_DeliversMessages_EveryInstrumentReportsEachNodesCounters()
    {
        string ringName = $"metrics-{Guid.NewGuid():N}";
        using var metrics = new MetricsSnapshot(ringName);
        var ring = await LoopbackRing.StartAsync(2, 2 * PerSender, o => o.Name = ringName);
        string[] nodes;
        try
        {
            nodes = [.. ring.Nodes.Select(n => n.LocalEndPoint.ToString())];
            await Task.WhenAll(ring.Nodes.Select((node, sender) => Task.Run(async () =>
            {
                for (int counter = 0; counter < PerSender; counter++)
                {
                    await node.SubmitAsync(DeliveryRecorder.Payload(sender, counter, ServiceType.Agreed, Size));
                }
            })));
            await ring.WaitForDeliveriesAsync(2 * PerSender, Timeout);

            var instruments = metrics.Instruments;
            Assert.All(Expected, e => Assert.Equal(e.Unit, instruments[e.Name].Unit));
            Assert.Equal(Expected.Select(e => e.Name).Order(), instruments.Keys.Order());
            Assert.IsAssignableFrom<ObservableGauge<long>>(instruments["spreadnet.ring.members"]);
            Assert.IsAssignableFrom<ObservableUpDownCounter<long>>(instruments["spreadnet.ring.send_queue.length"]);

            var values = metrics.Collect();
            foreach (var (node, index) in nodes.Select((n, i) => (n, i)))
            {
                long Value(string instrument, string extra = "") => values[(instrument, node, extra)];

                var counters = ring.Nodes[index].Counters;
                // Besides the raw messages, each regular configuration brings one group-layer announcement per member.
                long announcements = 2 * Value("spreadnet.ring.configurations.installed", "spreadnet.ring.configuration.kind=regular");
                Assert.InRange(Value("spreadnet.ring.messages.delivered"), 2 * PerSender, (2 * PerSender) + announcements);
                Assert.InRange(Value("spreadnet.ring.payload.delivered"), 2L * PerSender * Size, (2L * PerSender * Size) + (announcements * 64));
                Assert.InRange(Value("spreadnet.ring.tokens.received"), 1, counters.TokensReceived);
                Assert.InRange(Value("spreadnet.ring.packets.sent"), 1, counters.PacketsSent);
                Assert.InRange(Value("spreadnet.ring.packets.received"), 1, counters.PacketsReceived);
                Assert.InRange(Value("spreadnet.ring.configurations.installed", "spreadnet.ring.configuration.kind=regular"), 1, 10);
                Assert.True(values.ContainsKey(("spreadnet.ring.configurations.installed", node, "spreadnet.ring.configuration.kind=transitional")));
                Assert.Equal(2, Value("spreadnet.ring.members"));
                Assert.Equal(0, Value("spreadnet.ring.send_queue.length"));
                Assert.InRange(Value("spreadnet.ring.receive_window.usage"), 0, new RingOptions().ReceiveWindow);
                Assert.Equal(0, Value("spreadnet.ring.socket.errors", "network.io.direction=transmit"));
                Assert.Equal(counters.Dropped(Wire.DropReason.OutsideWindow), Value("spreadnet.ring.datagrams.dropped", "reason=outside_window"));
                Assert.Equal(Enum.GetValues<Wire.DropReason>().Length, values.Keys.Count(k => k.Instrument == "spreadnet.ring.datagrams.dropped" && k.Node == node));
            }

            Assert.Equal(nodes.Order(), values.Keys.Select(k => k.Node).Distinct().Order());
        }
        finally
        {
            await ring.DisposeAsync();
        }

        // Disposing a node disposes the meter it created: listeners hear that, and nothing more is reported.
        Assert.Equal(Expected.Select(e => e.Name).Order(), metrics.Completed.Order());
        Assert.Empty(metrics.Collect());
    }

    [Fact]
    public async Task MeterFactory_GivesTheNodesMeter_AndTheNodeStopsReportingWhenDisposed()
    {
        string ringName = $"factory-{Guid.NewGuid():N}";
        using var metrics = new MetricsSnapshot(ringName);
        using var factory = new RecordingMeterFactory();
        var options = new RingOptions { ListenEndPoint = SpreadNet.Testing.LoopbackPorts.Free(1)[0], Name = ringName };
        var node = new RingNode(options, meterFactory: factory);
        await using (node)
        {
            node.Start();
            await LoopbackRing.WaitForMembersAsync([node], Timeout);

            var meter = Assert.Single(factory.Meters);
            Assert.Equal(RingMetrics.MeterName, meter.Name);
            Assert.Contains(new KeyValuePair<string, object?>(RingMetrics.NodeTag, node.LocalEndPoint.ToString()), meter.Tags!);
            Assert.Equal(1, metrics.Collect()[("spreadnet.ring.members", node.LocalEndPoint.ToString(), string.Empty)]);
        }

        // The factory owns (and will dispose) the meter; the node only stops reporting through it.
        Assert.Empty(metrics.Completed);
        Assert.Empty(metrics.Collect());
    }

    /// <summary>What a host's IMeterFactory does, minus the caching: the factory owns the meters it creates.</summary>
    private sealed class RecordingMeterFactory : IMeterFactory
    {
        public List<Meter> Meters { get; } = [];

        public Meter Create(MeterOptions options)
        {
            options.Scope = this;
            var meter = new Meter(options);
            Meters.Add(meter);
            return meter;
        }

        public void Dispose() => Meters.ForEach(m => m.Dispose());
    }
}
