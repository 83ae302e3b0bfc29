namespace SpreadNet.Simulation;

/// <summary>Where a simulated node is in its life.</summary>
public enum NodeStatus
{
    /// <summary>Never started (a node that joins later).</summary>
    NotStarted,

    /// <summary>Running an engine.</summary>
    Up,

    /// <summary>Crashed: its engine is gone.</summary>
    Crashed,

    /// <summary>Left the ring gracefully and stopped.</summary>
    Left,
}
