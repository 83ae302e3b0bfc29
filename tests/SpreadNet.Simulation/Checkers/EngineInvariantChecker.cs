namespace SpreadNet.Simulation.Checkers;

/// <summary>
/// Each engine's counters stay consistent and monotonic: delivered ≤ safe-or-aru bounds,
/// safe ≤ aru ≤ the highest sequence number the node has seen, none of them ever going back,
/// and the ring never changing (this stage has a static ring).
/// </summary>
public sealed class EngineInvariantChecker(SimulationRun run) : Checker(run)
{
    private readonly (long Aru, long Safe, long Delivered)[] _previous = new (long, long, long)[run.Nodes.Count];

    /// <inheritdoc />
    public override string Name => "EngineInvariant";

    /// <inheritdoc />
    public override void AfterStep(SimulatedNode node)
    {
        var engine = node.Engine;
        long aru = engine.MyAru;
        long safe = engine.SafeUpTo;
        long delivered = engine.DeliveredUpTo;
        string at = $"n{node.Index} (aru {aru}, safe {safe}, delivered {delivered}, highest seen {node.HighestSeqSeen})";
        if (aru > node.HighestSeqSeen)
        {
            Report($"{at}: aru above the highest sequence number the node has seen");
        }

        if (safe > aru)
        {
            Report($"{at}: safe above aru");
        }

        if (delivered > aru)
        {
            Report($"{at}: delivered above aru");
        }

        var previous = _previous[node.Index];
        if (aru < previous.Aru || safe < previous.Safe || delivered < previous.Delivered)
        {
            Report($"{at}: went back from (aru {previous.Aru}, safe {previous.Safe}, delivered {previous.Delivered})");
        }

        _previous[node.Index] = (aru, safe, delivered);
        if (engine.Ring != Run.InitialRing)
        {
            Report($"{at}: ring changed from {Run.InitialRing} to {engine.Ring} on a static ring");
        }
    }
}
