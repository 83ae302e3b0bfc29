using System.Text;

namespace SpreadNet.Simulation;

/// <summary>The static ring's goal: after the safety phase, every submitted message delivered at every node, and the group layers at rest.</summary>
public sealed class AllDeliveredGoal(SimulationRun run) : LivenessGoal(run)
{
    /// <inheritdoc />
    public override void AfterStep()
    {
        if (!IsMet && Run.Now >= Run.Scenario.SafetyMicros && Run.AllDelivered && Run.GroupsSettled)
        {
            IsMet = true;
            MetAt = Run.Now;
        }
    }

    /// <inheritdoc />
    public override string Explain()
    {
        var text = new StringBuilder();
        text.Append(Run.AllDelivered ? "the group layers did not come to rest" : "not every message was delivered everywhere");
        text.Append($" {Run.Scenario.LivenessBoundMicros / 1000}ms after faults stopped ({Run.Workload.Count} submitted, {Run.Submitted} handed to nodes):");
        foreach (var node in Run.Nodes)
        {
            var e = node.Engine;
            text.Append($" n{node.Index}[delivered {node.Delivered}, aru {e.MyAru}, safe {e.SafeUpTo}, delivered-up-to {e.DeliveredUpTo}, highest {node.HighestSeqSeen(e.Ring)}, backlog {node.Backlog}, queued {node.Outbound.PendingPackets}, holding {e.IsHoldingToken}, group exchange {node.Groups?.Layer.ExchangeUnderway}]");
        }

        return text.ToString();
    }
}
