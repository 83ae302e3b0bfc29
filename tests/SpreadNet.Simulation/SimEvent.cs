namespace SpreadNet.Simulation;

/// <summary>What happens at a point of simulated time.</summary>
public enum SimEventKind
{
    /// <summary>A datagram arrives at <see cref="SimEvent.Node"/>.</summary>
    Arrival,

    /// <summary>The workload submits <see cref="SimEvent.Submission"/> at <see cref="SimEvent.Node"/>.</summary>
    Submit,
}

/// <summary>
/// One scheduled event. An arrival carries a buffer rented from the receiving node's pool, which
/// the engine takes over when the datagram is handed to it.
/// </summary>
public readonly record struct SimEvent(SimEventKind Kind, int Node, int From, byte[]? Buffer, int Length, int Submission);
