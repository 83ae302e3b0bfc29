namespace SpreadNet.Simulation;

/// <summary>How the initial nodes of a run start.</summary>
public enum BootstrapMode
{
    /// <summary><c>TotemEngine.Start</c>: straight into one operational ring of every initial node.</summary>
    Static,

    /// <summary><c>TotemEngine.StartJoining</c>: each node gathers with every initial node as seeds.</summary>
    Joining,
}
