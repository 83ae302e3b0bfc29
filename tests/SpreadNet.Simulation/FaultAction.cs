namespace SpreadNet.Simulation;

/// <summary>Kinds of membership fault.</summary>
public enum FaultKind
{
    /// <summary>The node stops at once: its engine is discarded, packets in flight to it are lost.</summary>
    Crash,

    /// <summary>The node leaves the ring gracefully (tells the members, then stops).</summary>
    Leave,

    /// <summary>A stopped node starts again with a new engine and the same id, joining through its seeds.</summary>
    Restart,

    /// <summary>A node that never ran starts and joins through one or two seeds.</summary>
    Join,

    /// <summary>The network splits into components (every node, running or not, is in one).</summary>
    Partition,

    /// <summary>The partition ends.</summary>
    Heal,

    /// <summary>Datagrams from <see cref="FaultAction.Node"/> to <see cref="FaultAction.Other"/> are lost; the other way works.</summary>
    OneWayLink,

    /// <summary>The one-way link from <see cref="FaultAction.Node"/> to <see cref="FaultAction.Other"/> works again.</summary>
    OneWayHeal,
}

/// <summary>One membership fault at a point of simulated time.</summary>
/// <param name="TimeMicros">When it happens.</param>
/// <param name="Kind">What happens.</param>
/// <param name="Node">The node concerned (for a partition: unused).</param>
/// <param name="Other">The second node of a one-way link; otherwise unused.</param>
/// <param name="Persisted">For restarts: whether the node keeps the ring sequence it saved (else it takes the wall clock).</param>
/// <param name="Seeds">For restarts and joins: the nodes it gathers with first.</param>
/// <param name="Components">For partitions: the component of every node, by index.</param>
public sealed record FaultAction(
    long TimeMicros,
    FaultKind Kind,
    int Node,
    int Other = -1,
    bool Persisted = false,
    IReadOnlyList<int>? Seeds = null,
    IReadOnlyList<int>? Components = null)
{
    /// <inheritdoc />
    public override string ToString() => Kind switch
    {
        FaultKind.Partition => $"{TimeMicros / 1000}ms partition [{string.Join(' ', Components!.Select((c, i) => $"n{i}:{c}"))}]",
        FaultKind.Heal => $"{TimeMicros / 1000}ms heal",
        FaultKind.OneWayLink or FaultKind.OneWayHeal => $"{TimeMicros / 1000}ms {Kind} n{Node}->n{Other}",
        FaultKind.Restart => $"{TimeMicros / 1000}ms restart n{Node} {(Persisted ? "with" : "without")} persisted state, seeds [{string.Join(' ', Seeds!.Select(s => $"n{s}"))}]",
        FaultKind.Join => $"{TimeMicros / 1000}ms join n{Node}, seeds [{string.Join(' ', Seeds!.Select(s => $"n{s}"))}]",
        _ => $"{TimeMicros / 1000}ms {Kind} n{Node}",
    };
}
