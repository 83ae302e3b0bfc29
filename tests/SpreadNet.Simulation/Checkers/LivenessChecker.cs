namespace SpreadNet.Simulation.Checkers;

/// <summary>Once faults stop, the run's <see cref="LivenessGoal"/> is met within the scenario's bound of simulated time.</summary>
public sealed class LivenessChecker(SimulationRun run) : Checker(run)
{
    /// <inheritdoc />
    public override string Name => "Liveness";

    /// <inheritdoc />
    public override void AtEnd()
    {
        if (!Run.Liveness.IsMet || Run.Liveness.HasFailed)
        {
            Report(Run.Liveness.Explain());
        }
    }
}
