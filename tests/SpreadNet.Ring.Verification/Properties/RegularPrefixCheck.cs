namespace SpreadNet.Ring.Verification;

/// <summary>
/// In a regular configuration a node delivers without holes: what it delivered of ring C before
/// the transitional configuration contains every message of C that anyone delivered at a lower
/// position. (With a static ring this is the classic "every node delivers a prefix of one sequence".)
/// </summary>
internal sealed class RegularPrefixCheck(VerificationContext context) : PropertyCheck(context)
{
    public override void Finish(IReadOnlyCollection<IncarnationHistory> nodes)
    {
        var order = new Dictionary<RingId, SortedDictionary<Position, MessageKey>>();
        foreach (var epoch in nodes.SelectMany(n => n.Epochs))
        {
            if (!order.TryGetValue(epoch.Ring, out var positions))
            {
                order.Add(epoch.Ring, positions = []);
            }

            foreach (var d in epoch.RegularPart.Concat(epoch.TransitionalPart))
            {
                positions.TryAdd(Position.Of(d), d.Message);
            }
        }

        foreach (var node in nodes)
        {
            foreach (var epoch in node.Epochs.Where(e => e.RegularPart.Count > 0))
            {
                var last = Position.Of(epoch.RegularPart[^1]);
                var mine = epoch.RegularPart.Select(Position.Of).ToHashSet();
                foreach (var (position, message) in order[epoch.Ring])
                {
                    if (position.CompareTo(last) > 0)
                    {
                        break;
                    }

                    if (!mine.Contains(position))
                    {
                        Context.Report(EvsProperty.RegularPrefix, $"{Context.Name(node.Id)} delivered up to {last} in regular configuration {epoch.Ring} but skipped {Context.Name(message)} at {position}, which another node delivered");
                        break;
                    }
                }
            }
        }
    }
}
