namespace SpreadNet.Simulation;

/// <summary>What happens at a point of simulated time.</summary>
public enum SimEventKind
{
    /// <summary>A datagram arrives at <see cref="SimEvent.Node"/>.</summary>
    Arrival,

    /// <summary>The workload submits submission <see cref="SimEvent.Item"/> at <see cref="SimEvent.Node"/>.</summary>
    Submit,

    /// <summary>Node <see cref="SimEvent.Node"/> submits liveness probe <see cref="SimEvent.Item"/>.</summary>
    Probe,

    /// <summary>Fault action <see cref="SimEvent.Item"/> of the plan happens.</summary>
    Fault,

    /// <summary>A session of node <see cref="SimEvent.Node"/> acts (group workload action <see cref="SimEvent.Item"/>).</summary>
    GroupAction,
}

/// <summary>
/// One scheduled event. An arrival carries a buffer rented from the receiving node's pool, which
/// the engine takes over when the datagram is handed to it, and the incarnation it was sent to:
/// if the node crashed or restarted meanwhile, the datagram is lost.
/// </summary>
public readonly record struct SimEvent(SimEventKind Kind, int Node, int From, byte[]? Buffer, int Length, int Item, int Incarnation = 0);
