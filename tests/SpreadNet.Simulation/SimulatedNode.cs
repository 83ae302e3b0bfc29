using SpreadNet.Ring;
using SpreadNet.Ring.Totem;
using SpreadNet.Ring.Wire;
using SpreadNet.Simulation.Groups;

namespace SpreadNet.Simulation;

/// <summary>
/// One node id of the run, over its incarnations: each start builds a real <see cref="TotemEngine"/>
/// (and outbound queue) with this class as its host; a crash discards them. Sends go to the
/// simulated network, deliveries and configurations to the run's checkers, timers into one due time
/// per kind that the run fires. Submissions the outbound queue cannot take yet wait here in order.
/// With the group workload, each incarnation also hosts a group layer and its sessions
/// (<see cref="GroupHost"/>), fed the group-layer deliveries as <c>UdpEventLoop</c> does.
/// The saved ring sequence is the node's "disk": it survives crashes.
/// </summary>
public sealed class SimulatedNode : IEngineHost
{
    private readonly SimulationRun _run;
    private readonly Scenario _scenario;
    private readonly long[] _timers = [.. Enumerable.Repeat(TimerKinds.Disarmed, TimerKinds.Count)];
    private readonly Queue<Outgoing> _backlog = new();
    private readonly byte[] _payload = new byte[Scenario.MaxMessageSize];
    private readonly Dictionary<RingId, long> _highestSeq = [];
    private readonly List<RingCounters> _counters = [];
    private bool _submissionsSignalled;

    /// <summary>Creates node <paramref name="index"/> with id <paramref name="id"/>, not started.</summary>
    public SimulatedNode(SimulationRun run, int index, NodeId id, Scenario scenario)
    {
        _run = run;
        _scenario = scenario;
        Index = index;
        Id = id;
        Pool = new PacketPool(scenario.Settings.MaxDatagramSize, 1024);
        Outbound = NewOutboundQueue();
        Engine = new TotemEngine(id, scenario.Settings, this, Outbound, Pool);
    }

    /// <summary>Position of the node in the run (0-based); the workload and traces use it.</summary>
    public int Index { get; }

    /// <summary>The node's ring id, the same in every incarnation.</summary>
    public NodeId Id { get; }

    /// <summary>The current (or last) incarnation's engine.</summary>
    public TotemEngine Engine { get; private set; }

    /// <summary>The node's datagram buffers; arrivals are rented from it.</summary>
    public PacketPool Pool { get; }

    /// <summary>The current incarnation's outbound queue.</summary>
    public OutboundQueue Outbound { get; private set; }

    /// <summary>The current incarnation's group layer and sessions; null without the group workload.</summary>
    public GroupHost? Groups { get; private set; }

    /// <summary>Where the node is in its life.</summary>
    public NodeStatus Status { get; private set; }

    /// <summary>Whether an engine runs.</summary>
    public bool IsUp => Status == NodeStatus.Up;

    /// <summary>Number of the current incarnation: 0 for the first start, one more at each restart.</summary>
    public int Incarnation { get; private set; } = -1;

    /// <summary>What the node saved through <see cref="IEngineHost.SaveRingSequence"/> (0 if nothing): its disk.</summary>
    public ulong SavedRingSequence { get; private set; }

    /// <summary>Whether the node delivered a transitional configuration and not yet the regular one after it.</summary>
    public bool InTransition { get; internal set; }

    /// <summary>Messages the current incarnation delivered.</summary>
    public int Delivered { get; internal set; }

    /// <summary>Liveness probes the current incarnation delivered.</summary>
    public int ProbesDelivered { get; internal set; }

    /// <summary>When each regular configuration was installed, over every incarnation.</summary>
    public List<long> RegularConfigurationTimes { get; } = [];

    /// <summary>What the node's engines reported, with the time.</summary>
    public List<(long TimeMicros, RingEvent Event)> Events { get; } = [];

    /// <summary>The counters of every incarnation's engine.</summary>
    public IReadOnlyList<RingCounters> Counters => _counters;

    /// <summary>Submissions waiting for room in the outbound queue.</summary>
    public int Backlog => _backlog.Count;

    /// <summary>Most submissions that ever waited for room in the outbound queue at once.</summary>
    public int MaxBacklog { get; private set; }

    /// <summary>Highest sequence number of ring <paramref name="ring"/> this incarnation has sent or been handed (old-ring packets carried in recovery included).</summary>
    public long HighestSeqSeen(RingId ring) => _highestSeq.GetValueOrDefault(ring);

    /// <summary>Notes a data packet this incarnation sent or received.</summary>
    public void NoteData(ReadOnlySpan<byte> datagram)
    {
        if (datagram.Length < DataPacket.EntriesOffset || (PacketType)datagram[3] != PacketType.Data
            || !PacketHeader.TryRead(datagram, datagram.Length, out var header, out _))
        {
            return;
        }

        long seq = DataPacket.ReadSeq(datagram);
        _highestSeq[header.Ring] = Math.Max(HighestSeqSeen(header.Ring), seq);
        if (DataPacket.IsRecovered(datagram))
        {
            NoteData(DataPacket.RecoveredInner(datagram));
        }
    }

    /// <summary>Starts an incarnation straight into the ring of <paramref name="members"/> (static bootstrap).</summary>
    public void StartStatic(IReadOnlyCollection<NodeId> members, ulong ringSequence, long now)
    {
        BeginIncarnation();
        Engine.Start(members, ringSequence, now);
        Groups?.OpenInitialSessions(now);
    }

    /// <summary>Starts an incarnation that gathers with <paramref name="seeds"/>.</summary>
    public void StartJoining(IEnumerable<NodeId> seeds, ulong ringSequenceFloor, long now)
    {
        BeginIncarnation();
        Engine.StartJoining(seeds, ringSequenceFloor, now);
        Groups?.OpenInitialSessions(now);
    }

    /// <summary>Stops at once: the engine, its queue, its timers and its sessions are gone.</summary>
    public void Crash()
    {
        Status = NodeStatus.Crashed;
        EndIncarnation();
    }

    /// <summary>Leaves gracefully: the engine tells the members, then the node stops (its sessions vanish, as with a crash).</summary>
    public void Leave(long now)
    {
        Engine.Leave(now);
        Status = NodeStatus.Left;
        EndIncarnation();
    }

    /// <summary>The earliest armed timer, or <see cref="TimerKinds.Disarmed"/>.</summary>
    public long NextTimer(out TimerKind kind)
    {
        kind = TimerKind.TokenLoss;
        long due = TimerKinds.Disarmed;
        for (int i = 0; i < _timers.Length; i++)
        {
            if (_timers[i] < due)
            {
                due = _timers[i];
                kind = (TimerKind)i;
            }
        }

        return due;
    }

    /// <summary>Fires timer <paramref name="kind"/> (disarming it first: the engine re-arms what it needs).</summary>
    public void FireTimer(TimerKind kind, long now)
    {
        _timers[(int)kind] = TimerKinds.Disarmed;
        Engine.OnTimer(kind, now);
    }

    /// <summary>Queues a submission and hands the engine what fits.</summary>
    public void Submit(Submission submission, long now) => Enqueue(new Outgoing(submission, null, default), now);

    /// <summary>Queues a group-layer message of a session (in order with the node's other submissions) and hands the engine what fits.</summary>
    public void SubmitGroup(byte[] message, ServiceType service, long now) => Enqueue(new Outgoing(default, message, service), now);

    /// <summary>
    /// Moves waiting submissions into the outbound queue while it has room, then tells the engine
    /// if the queue went from empty to not empty (here or in the group layer's own announcements,
    /// which it queues from inside an engine call, when the engine cannot be called back).
    /// </summary>
    public void DrainBacklog(long now)
    {
        while (IsUp && _backlog.TryPeek(out var next))
        {
            if (next.GroupMessage is { } group)
            {
                if (!Outbound.TryEnqueue(new MessageParts(group), next.GroupService, EntryKind.Group))
                {
                    break;
                }
            }
            else
            {
                MessagePayload.Write(_payload, next.Submission.Id, next.Submission.Size);
                if (!Outbound.TryEnqueue(_payload.AsSpan(0, next.Submission.Size), next.Submission.Service))
                {
                    break;
                }
            }

            _backlog.Dequeue();
            if (next.GroupMessage is null)
            {
                _run.OnSubmitted(this, next.Submission);
            }
        }

        while (IsUp && _submissionsSignalled)
        {
            _submissionsSignalled = false;
            Engine.OnSubmissionsReady(now);
        }
    }

    /// <inheritdoc />
    void IEngineHost.Send(NodeId destination, ReadOnlySpan<byte> datagram) => _run.Send(this, destination, datagram);

    /// <inheritdoc />
    void IEngineHost.Deliver(in Delivery delivery)
    {
        if (delivery.Kind == EntryKind.Group)
        {
            Groups?.OnDelivery(delivery);
        }
        else
        {
            _run.OnDelivered(this, delivery);
        }
    }

    /// <inheritdoc />
    void IEngineHost.SetTimer(TimerKind kind, long dueMicros) => _timers[(int)kind] = dueMicros;

    /// <inheritdoc />
    void IEngineHost.DeliverConfiguration(ConfigurationChange change)
    {
        _run.OnConfiguration(this, change);
        Groups?.OnConfiguration(change);
    }

    /// <inheritdoc />
    void IEngineHost.Notify(RingEvent ringEvent) => _run.OnRingEvent(this, ringEvent);

    /// <inheritdoc />
    void IEngineHost.SaveRingSequence(ulong sequence) => SavedRingSequence = sequence;

    /// <inheritdoc />
    string IEngineHost.Describe(NodeId node) => _run.Describe(node);

    private void BeginIncarnation()
    {
        if (IsUp)
        {
            throw new InvalidOperationException($"n{Index} is already running.");
        }

        if (Incarnation >= 0)
        {
            Outbound = NewOutboundQueue();
            Engine = new TotemEngine(Id, _scenario.Settings, this, Outbound, Pool);
        }

        Incarnation++;
        Status = NodeStatus.Up;
        _submissionsSignalled = false;
        Groups = _run.GroupDriver is { } driver ? new GroupHost(this, driver, Outbound) : null;
        InTransition = false;
        Delivered = 0;
        ProbesDelivered = 0;
        _highestSeq.Clear();
        _counters.Add(Engine.Counters);
    }

    private void EndIncarnation()
    {
        Array.Fill(_timers, TimerKinds.Disarmed);
        _backlog.Clear();
        InTransition = false;
        Groups?.Vanish();
    }

    private OutboundQueue NewOutboundQueue() =>
        new(Pool, _scenario.SendQueueCapacity, _scenario.Settings.MaxMessageSize) { BecameNonEmpty = () => _submissionsSignalled = true };

    private void Enqueue(Outgoing outgoing, long now)
    {
        _backlog.Enqueue(outgoing);
        DrainBacklog(now);
        MaxBacklog = Math.Max(MaxBacklog, _backlog.Count);
    }

    /// <summary>A workload submission, or a session's group-layer message, waiting for room in the outbound queue.</summary>
    private readonly record struct Outgoing(Submission Submission, byte[]? GroupMessage, ServiceType GroupService);
}
