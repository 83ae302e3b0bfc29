namespace SpreadNet.Simulation;

/// <summary>Which faults a run injects during its safety phase.</summary>
public enum FaultMode
{
    /// <summary>A perfect network: fixed delay, no loss, duplication, reordering or clogging.</summary>
    None,

    /// <summary>Loss, duplication, reordering (delay jitter) and per-link clogging.</summary>
    Network,

    /// <summary>Every fault the simulator knows; for now the same as <see cref="Network"/> (crashes and partitions come with membership).</summary>
    All,
}
