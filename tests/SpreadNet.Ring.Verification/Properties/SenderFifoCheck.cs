namespace SpreadNet.Ring.Verification;

/// <summary>
/// Per sender FIFO: an incarnation delivers each origin's messages in the origin's numbering
/// order, and the engine names the origin as sender. At the end: in each ring, what an incarnation
/// delivered of an origin is a prefix (no gaps) of what anyone delivered of it there. (A node
/// delivers an origin's messages of a ring up to its first hole, or all of them when the origin
/// moved on with it and re-sent what it had.)
/// </summary>
internal sealed class SenderFifoCheck(VerificationContext context) : PropertyCheck(context)
{
    private readonly Dictionary<(Incarnation, NodeId), long> _lastNumber = [];

    public override void Observe(IncarnationHistory node, LogEntry entry)
    {
        if (entry is not Delivered d)
        {
            return;
        }

        string who = Context.Name(node.Id);
        if (d.Sender != d.Message.Origin)
        {
            Context.Report(EvsProperty.SenderFifo, $"{who} delivered {Context.Name(d.Message)} naming sender {Context.Name(d.Sender)}, but {Context.Name(d.Message.Origin)} submitted it");
        }

        var key = (node.Id, d.Message.Origin);
        if (_lastNumber.TryGetValue(key, out long last) && d.Message.Number < last)
        {
            Context.Report(EvsProperty.SenderFifo, $"{who} delivered {Context.Name(d.Message)} after {Context.Name(d.Message with { Number = last })}: not in the sender's order");
        }

        _lastNumber[key] = Math.Max(last, d.Message.Number);
    }

    public override void Finish(IReadOnlyCollection<IncarnationHistory> nodes)
    {
        var union = new Dictionary<(RingId, NodeId), SortedSet<long>>();
        foreach (var (epoch, delivered) in Delivered(nodes))
        {
            foreach (var d in delivered)
            {
                var key = (epoch.Ring, d.Message.Origin);
                if (!union.TryGetValue(key, out var numbers))
                {
                    union.Add(key, numbers = []);
                }

                numbers.Add(d.Message.Number);
            }
        }

        foreach (var node in nodes)
        {
            foreach (var epoch in node.Epochs)
            {
                foreach (var group in epoch.RegularPart.Concat(epoch.TransitionalPart).GroupBy(d => d.Message.Origin))
                {
                    var mine = group.Select(d => d.Message.Number).ToHashSet();
                    long highest = mine.Max();
                    var gaps = union[(epoch.Ring, group.Key)].Where(n => n < highest && !mine.Contains(n));
                    foreach (long gap in gaps.Take(1))
                    {
                        Context.Report(EvsProperty.SenderFifo, $"{Context.Name(node.Id)} delivered {Context.Name(new MessageKey(group.Key, highest))} in ring {epoch.Ring} but not {Context.Name(new MessageKey(group.Key, gap))}, which another node delivered there: a gap");
                    }
                }
            }
        }
    }

    private static IEnumerable<(EpochLog Epoch, IEnumerable<Delivered> Delivered)> Delivered(IReadOnlyCollection<IncarnationHistory> nodes) =>
        nodes.SelectMany(n => n.Epochs).Select(e => (e, e.RegularPart.Concat(e.TransitionalPart)));
}
