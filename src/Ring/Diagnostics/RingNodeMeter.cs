using System.Diagnostics.Metrics;
using System.Text;
using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Diagnostics;

/// <summary>
/// One node's instruments, on a meter of its own. Every instrument is observable: it reads counters
/// the engine keeps anyway when a listener collects, so the hot path pays nothing for metrics.
/// </summary>
internal sealed class RingNodeMeter : IDisposable
{
    private const string DropReasonTag = "reason";
    private const string ConfigurationKindTag = "spreadnet.ring.configuration.kind";
    private const string DirectionTag = "network.io.direction";

    private readonly Meter _meter;
    private readonly bool _ownsMeter;
    private readonly KeyValuePair<string, object?>[] _tags;
    private readonly KeyValuePair<string, object?>[][] _dropTags;
    private readonly KeyValuePair<string, object?>[] _regularTags;
    private readonly KeyValuePair<string, object?>[] _transitionalTags;
    private readonly KeyValuePair<string, object?>[] _transmitTags;
    private readonly KeyValuePair<string, object?>[] _receiveTags;

    /// <summary>Null once disposed: a factory's meter outlives the node and must neither report it nor keep it alive.</summary>
    private RingNode? _node;

    public RingNodeMeter(RingNode node, string ringName, IMeterFactory? meterFactory)
    {
        _node = node;
        _tags = [new(RingMetrics.NodeTag, node.LocalEndPoint.ToString()), new(RingMetrics.RingNameTag, ringName)];
        _dropTags = [.. Enum.GetValues<DropReason>().Select(reason => With(DropReasonTag, SnakeCase(reason.ToString())))];
        _regularTags = With(ConfigurationKindTag, "regular");
        _transitionalTags = With(ConfigurationKindTag, "transitional");
        _transmitTags = With(DirectionTag, "transmit");
        _receiveTags = With(DirectionTag, "receive");

        // Meter tags make a factory hand each node its own meter instead of one cached per name.
        var options = new MeterOptions(RingMetrics.MeterName) { Tags = _tags };
        _ownsMeter = meterFactory is null;
        _meter = meterFactory?.Create(options) ?? new Meter(options);
        CreateInstruments();
    }

    public void Dispose()
    {
        Volatile.Write(ref _node, null);
        if (_ownsMeter)
        {
            _meter.Dispose();
        }
    }

    private void CreateInstruments()
    {
        Counter("spreadnet.ring.messages.delivered", "{message}", "Messages delivered to the application in ring order.", n => n.Counters.MessagesDelivered);
        Counter("spreadnet.ring.payload.delivered", "By", "Payload bytes of the messages delivered to the application.", n => n.Counters.BytesDelivered);
        Counter("spreadnet.ring.tokens.received", "{token}", "Tokens accepted by this node: one per token rotation.", n => n.Counters.TokensReceived);
        Counter("spreadnet.ring.tokens.retransmitted", "{token}", "Tokens this node sent again because the ring showed no progress.", n => n.Counters.TokenRetransmits);
        Counter("spreadnet.ring.tokens.lost", "{token}", "Token-loss timeouts: each one makes the ring reform.", n => n.Counters.TokenLosses);
        Counter("spreadnet.ring.packets.sent", "{packet}", "New data packets this node sent.", n => n.Counters.PacketsSent);
        Counter("spreadnet.ring.packets.received", "{packet}", "Data packets accepted from other nodes.", n => n.Counters.PacketsReceived);
        Counter("spreadnet.ring.packets.retransmitted", "{packet}", "Data packets this node sent again because the token asked for them.", n => n.Counters.PacketsRetransmitted);
        Counter("spreadnet.ring.gathers", "{gather}", "Times this node started forming a new ring (membership Gather).", n => n.Counters.Gathers);
        Counter("spreadnet.ring.reassembly.errors", "{message}", "Fragmented messages that could not be reassembled and were dropped.", n => n.Counters.ReassemblyErrors);

        _meter.CreateObservableCounter("spreadnet.ring.datagrams.dropped", ObserveDrops, "{datagram}", "Datagrams dropped without changing any state, by reason.");
        _meter.CreateObservableCounter(
            "spreadnet.ring.configurations.installed",
            () => Observe(n => n.Counters.RegularConfigurations, _regularTags, n => n.Counters.TransitionalConfigurations, _transitionalTags),
            "{configuration}",
            "Configurations delivered to the application, regular or transitional.");
        _meter.CreateObservableCounter(
            "spreadnet.ring.socket.errors",
            () => Observe(n => n.SendErrors, _transmitTags, n => n.ReceiveErrors, _receiveTags),
            "{error}",
            "Socket errors sending or receiving (lost datagrams to the protocol, which recovers them).");

        _meter.CreateObservableUpDownCounter("spreadnet.ring.send_queue.length", () => Observe(n => n.SendQueueLength), "{packet}", "Packed data packets waiting for the token.");
        _meter.CreateObservableUpDownCounter("spreadnet.ring.receive_window.usage", () => Observe(n => n.Counters.ReceiveWindowUsage), "{packet}", "Receive-window slots in use (received but not yet freed as delivered and safe) at the last token visit.");
        _meter.CreateObservableGauge("spreadnet.ring.members", () => Observe(n => n.Configuration?.Members.Count ?? 0), "{node}", "Members of the regular configuration this node operates in.");
        _meter.CreateObservableUpDownCounter("spreadnet.ring.sessions", () => Observe(n => n.SessionCount), "{session}", "Sessions open on this node.");
        _meter.CreateObservableUpDownCounter("spreadnet.ring.groups", () => Observe(n => n.GroupCount), "{group}", "Groups with at least one member in the ring, as this node knows them.");
        Counter("spreadnet.ring.group.views", "{view}", "Group views installed at this node.", n => n.GroupCounters.ViewsInstalled);
        Counter("spreadnet.ring.group.messages.queued", "{message}", "Group messages queued to this node's sessions.", n => n.GroupCounters.MessagesQueued);
        Counter("spreadnet.ring.group.messages.dropped", "{message}", "Group messages not queued to a session: unreliable ones to a full session, or any to a session being evicted.", n => n.GroupCounters.MessagesDropped);
        Counter("spreadnet.ring.group.messages.malformed", "{message}", "Group-layer messages dropped because they did not decode.", n => n.GroupCounters.MalformedMessages);
        Counter("spreadnet.ring.sessions.evicted", "{session}", "Sessions ended because their reader fell behind their limits.", n => n.GroupCounters.SessionsEvicted);
    }

    private void Counter(string name, string unit, string description, Func<RingNode, long> read) =>
        _meter.CreateObservableCounter(name, () => Observe(read), unit, description);

    private Measurement<long>[] Observe(Func<RingNode, long> read) =>
        Volatile.Read(ref _node) is { } node ? [new(read(node), _tags)] : [];

    private Measurement<long>[] Observe(Func<RingNode, long> first, KeyValuePair<string, object?>[] firstTags, Func<RingNode, long> second, KeyValuePair<string, object?>[] secondTags) =>
        Volatile.Read(ref _node) is { } node ? [new(first(node), firstTags), new(second(node), secondTags)] : [];

    private Measurement<long>[] ObserveDrops()
    {
        if (Volatile.Read(ref _node) is not { } node)
        {
            return [];
        }

        var measurements = new Measurement<long>[_dropTags.Length];
        for (int i = 0; i < measurements.Length; i++)
        {
            measurements[i] = new(node.Counters.Dropped((DropReason)i), _dropTags[i]);
        }

        return measurements;
    }

    private KeyValuePair<string, object?>[] With(string key, string value) => [.. _tags, new(key, value)];

    /// <summary>"OutsideWindow" becomes "outside_window", as OpenTelemetry spells attribute values.</summary>
    private static string SnakeCase(string name)
    {
        var text = new StringBuilder(name.Length + 4);
        foreach (char c in name)
        {
            if (char.IsUpper(c) && text.Length > 0)
            {
                text.Append('_');
            }

            text.Append(char.ToLowerInvariant(c));
        }

        return text.ToString();
    }
}
