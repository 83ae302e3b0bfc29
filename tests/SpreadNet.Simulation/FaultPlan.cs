namespace SpreadNet.Simulation;

/// <summary>
/// The membership faults of one run, in time order, and what holds once they are over: at
/// <see cref="HealMicros"/> every partition and one-way link is healed and the last restarts
/// happen; afterwards the live nodes must converge on one ring.
/// </summary>
public sealed record FaultPlan
{
    /// <summary>No membership faults: the static ring of the network-only modes.</summary>
    public static FaultPlan None { get; } = new();

    /// <summary>The faults, by time (ties in list order).</summary>
    public IReadOnlyList<FaultAction> Actions { get; init; } = [];

    /// <summary>Nodes beyond the initial ones that join during the run.</summary>
    public int NewNodes { get; init; }

    /// <summary>When the last fault is over (no fault happens after it).</summary>
    public long HealMicros { get; init; }

    /// <summary>Whether the plan has any membership fault.</summary>
    public bool IsEmpty => Actions.Count == 0 && NewNodes == 0;
}
