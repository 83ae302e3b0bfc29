namespace SpreadNet.Simulation;

/// <summary>Carries out the fault plan's actions on the run's nodes and connectivity.</summary>
internal sealed class FaultInjector(SimulationRun run, TraceLog trace)
{
    /// <summary>
    /// The simulated wall clock in milliseconds since the Unix epoch: the ring sequence floor of a
    /// node that starts without persisted state, as a real node takes it.
    /// </summary>
    public static ulong WallClock(long nowMicros) => MembershipKnobs.WallClockEpochMillis + (ulong)(nowMicros / 1000);

    /// <summary>Applies <paramref name="action"/>; returns the node that now runs an engine step, if any.</summary>
    public SimulatedNode? Apply(FaultAction action, long now)
    {
        if (trace.Enabled)
        {
            trace.Write(now, $"fault {action}");
        }

        var node = action.Node >= 0 ? run.Nodes[action.Node] : null;
        switch (action.Kind)
        {
            case FaultKind.Crash when node!.IsUp:
                node.Crash();
                run.OnIncarnationEnded(node);
                return null;
            case FaultKind.Leave when node!.IsUp:
                node.Leave(now);
                run.OnIncarnationEnded(node);
                return null;
            case FaultKind.Restart or FaultKind.Join when !node!.IsUp:
                ulong floor = action.Kind == FaultKind.Restart && action.Persisted ? node.SavedRingSequence : WallClock(now);
                node.StartJoining(action.Seeds!.Select(s => run.Nodes[s].Id), floor, now);
                return node;
            case FaultKind.Partition:
                run.Connectivity.Partition(action.Components!);
                return null;
            case FaultKind.Heal:
                run.Connectivity.Heal();
                return null;
            case FaultKind.OneWayLink:
                run.Connectivity.BreakOneWay(action.Node, action.Other);
                return null;
            case FaultKind.OneWayHeal:
                run.Connectivity.RepairOneWay(action.Node, action.Other);
                return null;
            default:
                throw new InvalidOperationException($"Fault {action} does not fit node n{action.Node} ({node?.Status}).");
        }
    }
}
