using SpreadNet.Ring;

namespace SpreadNet.Simulation.Checkers;

/// <summary>
/// Each engine's counters of its regular ring stay consistent and monotonic: delivered and safe at
/// most aru, aru at most the highest sequence number the node has seen of that ring, none going
/// back while the node stays in the ring. Without membership faults the ring never changes.
/// </summary>
public sealed class EngineInvariantChecker(SimulationRun run) : Checker(run)
{
    private readonly Previous[] _previous = new Previous[run.Nodes.Count];

    /// <inheritdoc />
    public override string Name => "EngineInvariant";

    /// <inheritdoc />
    public override void AfterStep(SimulatedNode node)
    {
        var engine = node.Engine;
        var ring = engine.Ring;
        if (ring == default)
        {
            return;
        }

        long aru = engine.MyAru;
        long safe = engine.SafeUpTo;
        long delivered = engine.DeliveredUpTo;
        long highest = node.HighestSeqSeen(ring);
        // Built only for a report: this runs after every step.
        string At() => $"n{node.Index} in {ring} (aru {aru}, safe {safe}, delivered {delivered}, highest seen {highest})";

        // A ring of one never sends its packets anywhere, so the network never sees them.
        if (aru > highest && engine.Members.Count > 1)
        {
            Report($"{At()}: aru above the highest sequence number the node has seen");
        }

        if (safe > aru)
        {
            Report($"{At()}: safe above aru");
        }

        if (delivered > aru)
        {
            Report($"{At()}: delivered above aru");
        }

        var now = new Previous(node.Incarnation, ring, aru, safe, delivered);
        var previous = _previous[node.Index];
        if (previous.Incarnation == now.Incarnation && previous.Ring == ring
            && (aru < previous.Aru || safe < previous.Safe || delivered < previous.Delivered))
        {
            Report($"{At()}: went back from (aru {previous.Aru}, safe {previous.Safe}, delivered {previous.Delivered})");
        }

        _previous[node.Index] = now;
        if (Run.Scenario.Plan.IsEmpty && ring != Run.InitialRing)
        {
            Report($"{At()}: ring changed from {Run.InitialRing} to {ring} without membership faults");
        }
    }

    private readonly record struct Previous(int Incarnation, RingId Ring, long Aru, long Safe, long Delivered);
}
