namespace SpreadNet.Simulation.Checkers;

/// <summary>
/// Every node delivers a prefix of one common sequence: the k-th delivery at every node is the same
/// message at the same (ring, seq, index) position, and positions only grow at each node.
/// </summary>
public sealed class TotalOrderChecker(SimulationRun run) : Checker(run)
{
    private readonly List<Entry> _common = [];
    private readonly (ulong Ring, long Seq, int Index)?[] _lastPosition = new (ulong, long, int)?[run.Nodes.Count];

    /// <summary>Length of the common sequence so far.</summary>
    public int CommonLength => _common.Count;

    /// <inheritdoc />
    public override string Name => "TotalOrder";

    /// <inheritdoc />
    public override void OnDelivery(in DeliveryRecord delivery)
    {
        var d = delivery.Delivery;
        var node = delivery.Node;
        var entry = new Entry(delivery.Id, d.Ring.Sequence, d.Ring.Representative.Value, d.Sequence, d.Index);
        var position = (d.Ring.Sequence, d.Sequence, d.Index);
        if (_lastPosition[node.Index] is { } last && position.CompareTo(last) <= 0)
        {
            Report($"n{node.Index} delivered {delivery.Id} at position {position} after position {last}: positions must grow");
        }

        _lastPosition[node.Index] = position;
        int k = node.Delivered;
        if (k < _common.Count)
        {
            if (_common[k] != entry)
            {
                Report($"n{node.Index}'s delivery #{k} is {entry}, but another node's delivery #{k} was {_common[k]}");
            }
        }
        else if (k == _common.Count)
        {
            _common.Add(entry);
        }
        else
        {
            Report($"n{node.Index}'s delivery #{k} is beyond the common sequence ({_common.Count}): the checker lost track");
        }
    }

    private readonly record struct Entry(MessageId Id, ulong RingSeq, ulong RingRep, long Seq, int Index)
    {
        public override string ToString() => $"{Id} at ({RingRep:x}:{RingSeq}, {Seq}, {Index})";
    }
}
