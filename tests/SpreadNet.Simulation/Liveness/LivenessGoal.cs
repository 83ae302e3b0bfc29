namespace SpreadNet.Simulation;

/// <summary>
/// What a run must reach once its faults are over, within <see cref="Scenario.LivenessBoundMicros"/>
/// of the end of the safety phase. The run stops as soon as it is met.
/// </summary>
public abstract class LivenessGoal(SimulationRun run)
{
    /// <summary>The run watched.</summary>
    protected SimulationRun Run { get; } = run;

    /// <summary>Whether the goal has been reached.</summary>
    public bool IsMet { get; protected set; }

    /// <summary>Whether the goal can no longer be reached (the run stops and the liveness check reports <see cref="Explain"/>).</summary>
    public bool HasFailed { get; protected set; }

    /// <summary>When it was reached, or -1.</summary>
    public long MetAt { get; protected set; } = -1;

    /// <summary>With membership faults: when the live nodes formed one ring, or -1.</summary>
    public virtual long RingFormedAt => -1;

    /// <summary>Called after every step of the run.</summary>
    public abstract void AfterStep();

    /// <summary>Says what is missing, for the liveness violation.</summary>
    public abstract string Explain();
}
