using System.Text;

namespace SpreadNet.Simulation.Checkers;

/// <summary>
/// Once faults stop, every submitted message is delivered at every node within the scenario's
/// bound of simulated time.
/// </summary>
public sealed class LivenessChecker(SimulationRun run) : Checker(run)
{
    /// <inheritdoc />
    public override string Name => "Liveness";

    /// <inheritdoc />
    public override void AtEnd()
    {
        if (Run.AllDelivered)
        {
            return;
        }

        var text = new StringBuilder();
        text.Append($"not every message was delivered everywhere {Run.Scenario.LivenessBoundMicros / 1000}ms after faults stopped ({Run.Workload.Count} submitted, {Run.Submitted} handed to nodes):");
        foreach (var node in Run.Nodes)
        {
            var e = node.Engine;
            text.Append($" n{node.Index}[delivered {node.Delivered}, aru {e.MyAru}, safe {e.SafeUpTo}, delivered-up-to {e.DeliveredUpTo}, highest {node.HighestSeqSeen}, backlog {node.Backlog}, queued {node.Outbound.PendingPackets}, holding {e.IsHoldingToken}]");
        }

        Report(text.ToString());
    }
}
