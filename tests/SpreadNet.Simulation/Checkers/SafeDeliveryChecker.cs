namespace SpreadNet.Simulation.Checkers;

/// <summary>
/// Safe means everyone has it: when a node delivers a Safe message, every member has received
/// every packet up to it (its aru covers it); and no node ever believes more is safe than the
/// lowest aru in the ring.
/// </summary>
public sealed class SafeDeliveryChecker(SimulationRun run) : Checker(run)
{
    /// <inheritdoc />
    public override string Name => "SafeDelivery";

    /// <inheritdoc />
    public override void OnDelivery(in DeliveryRecord delivery)
    {
        var d = delivery.Delivery;
        if (d.Service != Ring.ServiceType.Safe)
        {
            return;
        }

        foreach (var other in Run.Nodes)
        {
            if (other.Engine.MyAru < d.Sequence)
            {
                Report($"n{delivery.Node.Index} delivered Safe {delivery.Id} (seq {d.Sequence}) while n{other.Index} has only received up to {other.Engine.MyAru}");
            }
        }
    }

    /// <inheritdoc />
    public override void AfterStep(SimulatedNode node)
    {
        long lowestAru = long.MaxValue;
        foreach (var other in Run.Nodes)
        {
            lowestAru = Math.Min(lowestAru, other.Engine.MyAru);
        }

        if (node.Engine.SafeUpTo > lowestAru)
        {
            Report($"n{node.Index} thinks everything up to {node.Engine.SafeUpTo} is safe, but some member's aru is only {lowestAru}");
        }
    }
}
