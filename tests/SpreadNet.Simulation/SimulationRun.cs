using SpreadNet.Ring;
using SpreadNet.Ring.Totem;
using SpreadNet.Ring.Wire;
using SpreadNet.Simulation.Checkers;

namespace SpreadNet.Simulation;

/// <summary>
/// One deterministic run: N engines on one thread under a simulated clock and a seeded network.
/// The safety phase submits the workload under faults; the liveness phase stops the faults and
/// requires every message at every node within the scenario's bound. Checkers watch every step.
/// </summary>
public sealed class SimulationRun
{
    private const int MaxViolations = 20;

    private readonly EventQueue _events = new();
    private readonly SimulatedNode[] _nodes;
    private readonly Dictionary<NodeId, SimulatedNode> _byId = [];
    private readonly SimulatedNetwork _network;
    private readonly Checker[] _checkers;
    private readonly List<Violation> _violations = [];
    private readonly TraceLog _trace;
    private long _deliveries;
    private long _converged = -1;
    private long _steps;
    private int _largest;
    private ulong _fingerprint = 0xCBF29CE484222325UL;
    private bool _executed;

    /// <summary>Builds the nodes, network, workload and checkers of <paramref name="scenario"/>.</summary>
    public SimulationRun(Scenario scenario, TraceLog? trace = null)
    {
        ArgumentNullException.ThrowIfNull(scenario);
        if (scenario.NodeCount is < 1 or > ushort.MaxValue)
        {
            throw new ArgumentOutOfRangeException(nameof(scenario), scenario.NodeCount, "Node count out of range.");
        }

        Scenario = scenario;
        _trace = trace ?? TraceLog.Disabled;
        Workload = Workload.Create(scenario);

        // Node ids are random and distinct, so the representative is not always node 0.
        var random = RandomStreams.Create(scenario.Seed, RandomStreams.NodeIds);
        var ids = new List<ulong>();
        while (ids.Count < scenario.NodeCount)
        {
            ulong id = (ulong)random.NextInt64(1, 1 << 20);
            if (!ids.Contains(id))
            {
                ids.Add(id);
            }
        }

        _nodes = new SimulatedNode[scenario.NodeCount];
        for (int i = 0; i < _nodes.Length; i++)
        {
            _nodes[i] = new SimulatedNode(this, i, new NodeId(ids[i]), scenario);
            _byId.Add(_nodes[i].Id, _nodes[i]);
        }

        RingSequence = (ulong)random.Next(1, 1000) * 4;
        InitialRing = new RingId(new NodeId(ids.Min()), RingSequence);
        _network = new SimulatedNetwork(scenario, _events, _nodes, _trace);
        _checkers =
        [
            new PayloadChecker(this),
            new TotalOrderChecker(this),
            new NoGapsNoDuplicatesChecker(this),
            new SafeDeliveryChecker(this),
            new EngineInvariantChecker(this),
            new TokenUniquenessChecker(this),
            new LivenessChecker(this),
        ];
    }

    /// <summary>The scenario being run.</summary>
    public Scenario Scenario { get; }

    /// <summary>The messages this run submits.</summary>
    public Workload Workload { get; }

    /// <summary>The nodes, by index.</summary>
    public IReadOnlyList<SimulatedNode> Nodes => _nodes;

    /// <summary>The ring sequence every node starts with.</summary>
    public ulong RingSequence { get; }

    /// <summary>The ring every node starts in (and, at this stage, stays in).</summary>
    public RingId InitialRing { get; }

    /// <summary>The simulated clock, in microseconds.</summary>
    public long Now { get; private set; }

    /// <summary>Submissions handed to nodes so far.</summary>
    public int Submitted { get; private set; }

    /// <summary>Violations reported so far.</summary>
    public IReadOnlyList<Violation> Violations => _violations;

    /// <summary>Whether every message has been submitted and delivered at every node.</summary>
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

    /// <summary>Runs the scenario to the end and returns what happened.</summary>
    public SimulationResult Execute()
    {
        if (_executed)
        {
            throw new InvalidOperationException("A run executes once.");
        }

        _executed = true;
        try
        {
            Start();
            Loop();
            if (_violations.Count == 0)
            {
                foreach (var checker in _checkers)
                {
                    checker.AtEnd();
                }
            }
        }
        catch (Exception exception) when (exception is not OutOfMemoryException)
        {
            Report("Engine", $"unhandled {exception}");
        }

        return new SimulationResult
        {
            Scenario = Scenario,
            Violations = _violations.ToArray(),
            Steps = _steps,
            EndMicros = Now,
            ConvergedMicros = _converged,
            Messages = Workload.Count,
            Deliveries = _deliveries,
            LargestDelivered = _largest,
            Fingerprint = _fingerprint,
            Network = _network.Stats,
            TokenRetransmits = _nodes.Sum(n => n.Engine.Counters.TokenRetransmits),
            PacketRetransmits = _nodes.Sum(n => n.Engine.Counters.PacketsRetransmitted),
            EngineDrops = _nodes.Sum(n => n.Engine.Counters.DroppedTotal),
            MaxBacklog = _nodes.Max(n => n.MaxBacklog),
        };
    }

    /// <summary>Records a violation seen by <paramref name="checker"/>.</summary>
    public void Report(string checker, string message)
    {
        if (_violations.Count < MaxViolations)
        {
            _violations.Add(new Violation(Scenario.Seed, checker, Now, message));
        }

        if (_trace.Enabled)
        {
            _trace.Write(Now, $"VIOLATION [{checker}] {message}");
        }
    }

    /// <summary>An engine sends a datagram (called by its host).</summary>
    internal void Send(SimulatedNode from, NodeId destination, ReadOnlySpan<byte> datagram)
    {
        if (!_byId.TryGetValue(destination, out var to))
        {
            Report("Run", $"n{from.Index} sent to unknown node {destination}");
            return;
        }

        if (IsData(datagram))
        {
            from.HighestSeqSeen = Math.Max(from.HighestSeqSeen, DataPacket.ReadSeq(datagram));
        }

        if (_trace.Enabled)
        {
            _trace.Write(Now, $"n{from.Index}->n{to.Index} {PacketDescriber.Describe(datagram)}");
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
            _trace.Write(Now, $"n{node.Index} deliver {(hasId ? id.ToString() : "?")} {delivery.Service} at ({delivery.Ring}, {delivery.Sequence}, {delivery.Index}) {delivery.Payload.Length}B");
        }

        var record = new DeliveryRecord(node, delivery, hasId, id, size);
        foreach (var checker in _checkers)
        {
            checker.OnDelivery(record);
        }

        node.Delivered++;
        _deliveries++;
        _largest = Math.Max(_largest, delivery.Payload.Length);
        Hash(node.Index);
        Hash(id.Node);
        Hash(id.Counter);
        Hash(delivery.Sequence);
        Hash(delivery.Index);
        Hash(Now);
        if (_deliveries == (long)Workload.Count * _nodes.Length)
        {
            _converged = Now;
        }
    }

    private static bool IsData(ReadOnlySpan<byte> datagram) =>
        datagram.Length >= DataPacket.EntriesOffset && (PacketType)datagram[3] == PacketType.Data;

    private void Start()
    {
        if (_trace.Enabled)
        {
            _trace.Write(0, $"scenario {Scenario.Describe()}");
            _trace.Write(0, $"nodes {string.Join(", ", _nodes.Select(n => $"n{n.Index}={n.Id}"))}, ring {InitialRing}");
        }

        var members = _nodes.Select(n => n.Id).ToArray();
        foreach (var node in _nodes)
        {
            node.Engine.Start(members, RingSequence, 0);
        }

        for (int i = 0; i < Workload.Count; i++)
        {
            var submission = Workload.All[i];
            _events.Schedule(submission.TimeMicros, new SimEvent(SimEventKind.Submit, submission.Id.Node, -1, null, submission.Size, i));
        }
    }

    private void Loop()
    {
        long deadline = Scenario.SafetyMicros + Scenario.LivenessBoundMicros;
        while (_violations.Count == 0 && !(Now >= Scenario.SafetyMicros && AllDelivered))
        {
            long eventTime = _events.NextTime;
            SimulatedNode? timerNode = null;
            var timerKind = TimerKind.TokenLoss;
            long timerTime = TimerKinds.Disarmed;
            foreach (var node in _nodes)
            {
                long due = node.NextTimer(out var kind);
                if (due < timerTime)
                {
                    timerTime = due;
                    timerKind = kind;
                    timerNode = node;
                }
            }

            long next = Math.Min(eventTime, timerTime);
            if (next == long.MaxValue || next > deadline)
            {
                Now = Math.Max(Now, Math.Min(next, deadline));
                return;
            }

            if (++_steps > Scenario.MaxSteps)
            {
                Report("Run", $"more than {Scenario.MaxSteps} steps: livelock?");
                return;
            }

            Now = Math.Max(Now, next);
            SimulatedNode touched;
            if (eventTime <= timerTime)
            {
                touched = Handle(_events.Dequeue());
            }
            else
            {
                touched = timerNode!;
                if (_trace.Enabled)
                {
                    _trace.Write(Now, $"n{touched.Index} timer {timerKind}");
                }

                touched.FireTimer(timerKind, Now);
            }

            touched.DrainBacklog(Now);
            foreach (var checker in _checkers)
            {
                checker.AfterStep(touched);
            }
        }
    }

    private SimulatedNode Handle(SimEvent e)
    {
        var node = _nodes[e.Node];
        switch (e.Kind)
        {
            case SimEventKind.Arrival:
                var datagram = e.Buffer.AsSpan(0, e.Length);
                if (IsData(datagram))
                {
                    node.HighestSeqSeen = Math.Max(node.HighestSeqSeen, DataPacket.ReadSeq(datagram));
                }

                if (_trace.Enabled)
                {
                    _trace.Write(Now, $"n{node.Index}<-n{e.From} {PacketDescriber.Describe(datagram)}");
                }

                node.Engine.OnDatagram(e.Buffer!, e.Length, Now);
                break;
            case SimEventKind.Submit:
                var submission = Workload.All[e.Submission];
                if (_trace.Enabled)
                {
                    _trace.Write(Now, $"n{node.Index} submit {submission.Id} {submission.Service} {submission.Size}B");
                }

                Submitted++;
                node.Submit(submission, Now);
                break;
            default:
                throw new InvalidOperationException($"Unknown event {e.Kind}.");
        }

        return node;
    }

    private void Hash(long value)
    {
        for (int i = 0; i < 8; i++)
        {
            _fingerprint = (_fingerprint ^ (byte)(value >> (8 * i))) * 0x100000001B3UL;
        }
    }
}
