namespace SpreadNet.Simulation.Checkers;

/// <summary>
/// Per sender, every node delivers counters 0, 1, 2, ... in order: a repeat is a duplicate, a jump
/// a gap. A sender's messages are queued and sent in submission order, so this is also FIFO order.
/// </summary>
public sealed class NoGapsNoDuplicatesChecker : Checker
{
    private readonly int[][] _next;

    /// <summary>Creates the checker.</summary>
    public NoGapsNoDuplicatesChecker(SimulationRun run)
        : base(run)
    {
        _next = new int[run.Nodes.Count][];
        for (int i = 0; i < _next.Length; i++)
        {
            _next[i] = new int[run.Nodes.Count];
        }
    }

    /// <inheritdoc />
    public override string Name => "NoGapsNoDuplicates";

    /// <inheritdoc />
    public override void OnDelivery(in DeliveryRecord delivery)
    {
        if (!delivery.HasId || (uint)delivery.Id.Node >= (uint)_next.Length)
        {
            return;
        }

        var id = delivery.Id;
        ref int expected = ref _next[delivery.Node.Index][id.Node];
        if (id.Counter < expected)
        {
            Report($"n{delivery.Node.Index} delivered {id} again (or out of order): it already delivered up to n{id.Node}#{expected - 1}");
        }
        else if (id.Counter > expected)
        {
            Report($"n{delivery.Node.Index} delivered {id} but skipped n{id.Node}#{expected}..#{id.Counter - 1}");
        }

        expected = Math.Max(expected, id.Counter + 1);
    }
}
