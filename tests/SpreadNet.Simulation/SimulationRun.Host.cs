using SpreadNet.Ring;
using SpreadNet.Ring.Totem;
using SpreadNet.Simulation.Checkers;

namespace SpreadNet.Simulation;

/// <summary>What the nodes report to the run (sends, deliveries, configurations, events), passed on to the checkers.</summary>
public sealed partial class SimulationRun
{
    private long _deliveries;
    private long _allDeliveredAt = -1;
    private long _steps;
    private int _largest;
    private ulong _fingerprint = 0xCBF29CE484222325UL;

    /// <summary>Deliveries summed over nodes and incarnations.</summary>
    public long Deliveries => _deliveries;

    /// <summary>Whether every workload message has been submitted and delivered at every node (the static ring's liveness).</summary>
    public bool AllDelivered
    {
        get
        {
            if (Submitted != Workload.Count || _deliveries < (long)Workload.Count * _nodes.Length)
            {
                return false;
            }

            foreach (var node in _nodes)
            {
                if (node.Delivered != Workload.Count)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>
    /// Whether the group layers are at rest (always, without the group workload): every running
    /// node has nothing waiting to be sent, has delivered every packet any of them has seen of the
    /// one ring they share, and has finished the exchange of that ring. Then every session has been
    /// handed all that was sent before, and the final views can be compared.
    /// </summary>
    public bool GroupsSettled
    {
        get
        {
            if (GroupDriver is null)
            {
                return true;
            }

            // Checked after every step once the other goals are met: no allocation.
            SimulatedNode? first = null;
            long highest = 0;
            foreach (var node in _nodes)
            {
                if (!node.IsUp)
                {
                    continue;
                }

                first ??= node;
                if (node.Engine.Ring != first.Engine.Ring || node.InTransition || node.Backlog != 0 || !node.Outbound.IsEmpty
                    || node.Groups is not { Layer.ExchangeUnderway: false })
                {
                    return false;
                }

                highest = Math.Max(highest, node.HighestSeqSeen(first.Engine.Ring));
            }

            foreach (var node in _nodes)
            {
                if (node.IsUp && node.Engine.DeliveredUpTo < highest)
                {
                    return false;
                }
            }

            return true;
        }
    }

    /// <summary>Mixes a group-layer event into the run's fingerprint.</summary>
    internal void NoteGroupEvent(long a, long b)
    {
        Hash(a);
        Hash(b);
        Hash(Now);
    }

    /// <summary>An engine sends a datagram (called by its host).</summary>
    internal void Send(SimulatedNode from, NodeId destination, ReadOnlySpan<byte> datagram)
    {
        if (!_byId.TryGetValue(destination, out var to))
        {
            Report("Run", $"n{from.Index} sent to unknown node {destination}");
            return;
        }

        from.NoteData(datagram);
        if (_trace.Enabled)
        {
            _trace.Write(Now, $"n{from.Index}->n{to.Index} {PacketDescriber.Describe(datagram, Describe)}");
        }

        foreach (var checker in _checkers)
        {
            checker.OnSend(from, to, datagram);
        }

        _network.Send(from.Index, to.Index, datagram, Now);
    }

    /// <summary>An engine delivers a message (called by its host).</summary>
    internal void OnDelivered(SimulatedNode node, in Delivery delivery)
    {
        bool hasId = MessagePayload.TryReadId(delivery.Payload, out var id, out int size);
        if (_trace.Enabled)
        {
            _trace.Write(Now, $"n{node.Index} deliver {(hasId ? id.ToString() : "?")} {delivery.Service} at ({delivery.Ring}, {delivery.Sequence}, {delivery.Index}) {delivery.Payload.Length}B{(node.InTransition ? " (transitional)" : "")}");
        }

        var record = new DeliveryRecord(node, delivery, hasId, id, size);
        foreach (var checker in _checkers)
        {
            checker.OnDelivery(record);
        }

        node.Delivered++;
        if (hasId && Workload.IsProbe(id))
        {
            node.ProbesDelivered++;
        }

        _deliveries++;
        _largest = Math.Max(_largest, delivery.Payload.Length);
        Hash(node.Index);
        Hash(id.Node);
        Hash(id.Counter);
        Hash(delivery.Sequence);
        Hash(delivery.Index);
        Hash(Now);
        if (_allDeliveredAt < 0 && Scenario.Plan.IsEmpty && _deliveries == (long)Workload.Count * _nodes.Length)
        {
            _allDeliveredAt = Now;
        }
    }

    /// <summary>An engine delivers a configuration change (called by its host).</summary>
    internal void OnConfiguration(SimulatedNode node, ConfigurationChange change)
    {
        if (_trace.Enabled)
        {
            _trace.Write(Now, $"n{node.Index} configuration {change.Kind} {change.Ring} from {change.PreviousRing} [{string.Join(' ', change.Members.Select(Describe))}]");
        }

        foreach (var checker in _checkers)
        {
            checker.OnConfiguration(node, change);
        }

        node.InTransition = change.Kind == ConfigurationKind.Transitional;
        if (change.Kind == ConfigurationKind.Regular)
        {
            node.RegularConfigurationTimes.Add(Now);
        }

        Hash(node.Index);
        Hash((long)change.Ring.Sequence);
        Hash(Now);
    }

    /// <summary>An engine reports an event (called by its host).</summary>
    internal void OnRingEvent(SimulatedNode node, RingEvent ringEvent)
    {
        node.Events.Add((Now, ringEvent));
        if (_trace.Enabled)
        {
            _trace.Write(Now, $"n{node.Index} event {ringEvent.Kind} {Describe(ringEvent.Peer)}: {ringEvent.Message}");
        }
    }

    /// <summary>A node's engine accepted a submission into its outbound queue.</summary>
    internal void OnSubmitted(SimulatedNode node, Submission submission)
    {
        foreach (var checker in _checkers)
        {
            checker.OnSubmitted(node, submission);
        }
    }

    /// <summary>A node crashed or left: its incarnation is over.</summary>
    internal void OnIncarnationEnded(SimulatedNode node)
    {
        foreach (var checker in _checkers)
        {
            checker.OnIncarnationEnded(node);
        }
    }

    private SimulationResult BuildResult() => new()
    {
        Scenario = Scenario,
        Violations = _violations.ToArray(),
        Steps = _steps,
        EndMicros = Now,
        ConvergedMicros = Scenario.Plan.IsEmpty ? _allDeliveredAt : Liveness.MetAt,
        Messages = Workload.Count,
        Deliveries = _deliveries,
        LargestDelivered = _largest,
        Fingerprint = _fingerprint,
        Network = _network.Stats,
        TokenRetransmits = _nodes.Sum(n => n.Counters.Sum(c => c.TokenRetransmits)),
        PacketRetransmits = _nodes.Sum(n => n.Counters.Sum(c => c.PacketsRetransmitted)),
        EngineDrops = _nodes.Sum(n => n.Counters.Sum(c => c.DroppedTotal)),
        MaxBacklog = _nodes.Max(n => n.MaxBacklog),
        RegularConfigurations = _nodes.Sum(n => n.RegularConfigurationTimes.Count),
        Faults = Scenario.Plan.Actions.Count,
        SkippedSubmissions = SkippedSubmissions,
        RingFormedMicros = Liveness.RingFormedAt,
        ReformationsAfterHeal = Scenario.Plan.IsEmpty ? 0 : _nodes.Max(n => n.RegularConfigurationTimes.Count(t => t > Scenario.Plan.HealMicros)),
        Groups = GroupDriver?.Stats,
    };

    private void Hash(long value)
    {
        for (int i = 0; i < 8; i++)
        {
            _fingerprint = (_fingerprint ^ (byte)(value >> (8 * i))) * 0x100000001B3UL;
        }
    }
}
