using SpreadNet.Ring;
using SpreadNet.Ring.Totem;

namespace SpreadNet.Simulation;

/// <summary>
/// One ring node: the real <see cref="TotemEngine"/> with this class as its host. Sends go to the
/// simulated network, deliveries to the run's checkers, timers into one due time per kind that
/// the run fires when their time comes. Submissions the outbound queue cannot take yet wait here
/// in order and are retried after every event at this node.
/// </summary>
public sealed class SimulatedNode : IEngineHost
{
    private readonly SimulationRun _run;
    private readonly long[] _timers = [.. Enumerable.Repeat(TimerKinds.Disarmed, TimerKinds.Count)];
    private readonly Queue<Submission> _backlog = new();
    private readonly byte[] _payload = new byte[Scenario.MaxMessageSize];

    /// <summary>Creates node <paramref name="index"/> with id <paramref name="id"/>.</summary>
    public SimulatedNode(SimulationRun run, int index, NodeId id, Scenario scenario)
    {
        _run = run;
        Index = index;
        Id = id;
        Pool = new PacketPool(scenario.Settings.MaxDatagramSize, 1024);
        Outbound = new OutboundQueue(Pool, scenario.SendQueueCapacity, scenario.Settings.MaxMessageSize);
        Engine = new TotemEngine(id, scenario.Settings, this, Outbound, Pool);
    }

    /// <summary>Position of the node in the run (0-based); the workload and traces use it.</summary>
    public int Index { get; }

    /// <summary>The node's ring id.</summary>
    public NodeId Id { get; }

    /// <summary>The engine under test.</summary>
    public TotemEngine Engine { get; }

    /// <summary>The node's datagram buffers; arrivals are rented from it.</summary>
    public PacketPool Pool { get; }

    /// <summary>The node's outbound queue.</summary>
    public OutboundQueue Outbound { get; }

    /// <summary>Messages delivered so far.</summary>
    public int Delivered { get; internal set; }

    /// <summary>Highest data sequence number this node has sent or been handed.</summary>
    public long HighestSeqSeen { get; internal set; }

    /// <summary>Submissions waiting for room in the outbound queue.</summary>
    public int Backlog => _backlog.Count;

    /// <summary>Most submissions that ever waited for room in the outbound queue at once.</summary>
    public int MaxBacklog { get; private set; }

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
    public void Submit(Submission submission, long now)
    {
        _backlog.Enqueue(submission);
        DrainBacklog(now);
        MaxBacklog = Math.Max(MaxBacklog, _backlog.Count);
    }

    /// <summary>Moves waiting submissions into the outbound queue while it has room.</summary>
    public void DrainBacklog(long now)
    {
        while (_backlog.TryPeek(out var next))
        {
            MessagePayload.Write(_payload, next.Id, next.Size);
            bool wasEmpty = Outbound.IsEmpty;
            if (!Outbound.TryEnqueue(_payload.AsSpan(0, next.Size), next.Service))
            {
                return;
            }

            _backlog.Dequeue();
            if (wasEmpty)
            {
                Engine.OnSubmissionsReady(now);
            }
        }
    }

    /// <inheritdoc />
    void IEngineHost.Send(NodeId destination, ReadOnlySpan<byte> datagram) => _run.Send(this, destination, datagram);

    /// <inheritdoc />
    void IEngineHost.Deliver(in Delivery delivery) => _run.OnDelivered(this, delivery);

    /// <inheritdoc />
    void IEngineHost.SetTimer(TimerKind kind, long dueMicros) => _timers[(int)kind] = dueMicros;
}
