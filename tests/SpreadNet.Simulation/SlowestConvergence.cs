namespace SpreadNet.Simulation;

/// <summary>Keeps the passing membership-fault run that converged latest after its last fault (thread-safe).</summary>
internal sealed class SlowestConvergence
{
    private readonly Lock _lock = new();

    public SimulationResult? Result { get; private set; }

    public SimulationResult? MostReformations { get; private set; }

    public void Offer(SimulationResult result)
    {
        if (!result.Passed || result.Scenario.Plan.IsEmpty)
        {
            return;
        }

        lock (_lock)
        {
            if (Result is null || Delay(result) > Delay(Result))
            {
                Result = result;
            }

            if (MostReformations is null || result.ReformationsAfterHeal > MostReformations.ReformationsAfterHeal)
            {
                MostReformations = result;
            }
        }
    }

    private static long Delay(SimulationResult result) => result.ConvergedMicros - result.Scenario.Plan.HealMicros;
}
