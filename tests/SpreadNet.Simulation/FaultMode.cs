namespace SpreadNet.Simulation;

/// <summary>Which faults a run injects during its safety phase.</summary>
public enum FaultMode
{
    /// <summary>A perfect network: fixed delay, no loss, duplication, reordering or clogging.</summary>
    None,

    /// <summary>Loss, duplication, reordering (delay jitter) and per-link clogging.</summary>
    Network,

    /// <summary>
    /// Network faults plus membership faults: crashes, restarts (with and without persisted state),
    /// graceful leaves, partitions into two or three components and their heals, one-way links, and
    /// brand-new nodes joining; then a liveness phase requiring one ring of every live node.
    /// </summary>
    All,
}
