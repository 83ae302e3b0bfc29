namespace SpreadNet.Simulation.Checkers;

/// <summary>
/// Safe means everyone has it, checked against the engines' state: when a node delivers a Safe
/// message in a regular configuration (not after its transitional configuration), every running
/// member still in that ring has received every packet up to it (its aru covers it); and no node
/// believes more of its ring is safe than the lowest aru of the running nodes in that ring.
/// </summary>
public sealed class SafeDeliveryChecker(SimulationRun run) : Checker(run)
{
    /// <inheritdoc />
    public override string Name => "SafeDeliveryAru";

    /// <inheritdoc />
    public override void OnDelivery(in DeliveryRecord delivery)
    {
        var d = delivery.Delivery;
        if (d.Service != Ring.ServiceType.Safe || delivery.Node.InTransition)
        {
            return;
        }

        foreach (var other in Run.Nodes)
        {
            if (other.IsUp && other.Engine.Ring == d.Ring && other.Engine.MyAru < d.Sequence)
            {
                Report($"n{delivery.Node.Index} delivered Safe {delivery.Id} (seq {d.Sequence} of {d.Ring}) while n{other.Index} has only received up to {other.Engine.MyAru}");
            }
        }
    }

    /// <inheritdoc />
    public override void AfterStep(SimulatedNode node)
    {
        var ring = node.Engine.Ring;
        if (ring == default)
        {
            return;
        }

        long lowestAru = long.MaxValue;
        foreach (var other in Run.Nodes)
        {
            if (other.IsUp && other.Engine.Ring == ring)
            {
                lowestAru = Math.Min(lowestAru, other.Engine.MyAru);
            }
        }

        if (node.Engine.SafeUpTo > lowestAru)
        {
            Report($"n{node.Index} thinks everything up to {node.Engine.SafeUpTo} of {ring} is safe, but some member's aru is only {lowestAru}");
        }
    }
}
