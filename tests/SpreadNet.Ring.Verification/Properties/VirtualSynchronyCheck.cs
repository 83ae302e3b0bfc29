namespace SpreadNet.Ring.Verification;

/// <summary>
/// Virtual synchrony across a configuration change: incarnations that deliver the same
/// transitional configuration (C to C') delivered exactly the same messages of C before it, and
/// exactly the same after it. Nodes in other components may split C's messages differently (a
/// message delivered in regular C here may be delivered in the transitional configuration there).
/// </summary>
internal sealed class VirtualSynchronyCheck(VerificationContext context) : PropertyCheck(context)
{
    private readonly Dictionary<(RingId, RingId), (EpochLog Epoch, Incarnation By)> _first = [];

    public override void Observe(IncarnationHistory node, LogEntry entry)
    {
        if (entry is not Configuration { Kind: ConfigKind.Regular } c || !node.InTransition)
        {
            return;
        }

        var epoch = node.Current!;
        var key = (epoch.Ring, c.Ring);
        if (!_first.TryGetValue(key, out var first))
        {
            _first.Add(key, (epoch, node.Id));
            return;
        }

        string pair = $"{Context.Name(node.Id)} and {Context.Name(first.By)} moved together from {epoch.Ring} to {c.Ring}";
        Compare(pair, "before", epoch.RegularPart, first.Epoch.RegularPart);
        Compare(pair, "after", epoch.TransitionalPart, first.Epoch.TransitionalPart);
    }

    private void Compare(string pair, string part, List<Delivered> mine, List<Delivered> theirs)
    {
        int common = 0;
        while (common < mine.Count && common < theirs.Count && mine[common].Message == theirs[common].Message)
        {
            common++;
        }

        if (common == mine.Count && common == theirs.Count)
        {
            return;
        }

        string first = common < mine.Count ? $"the first delivered {Context.Name(mine[common].Message)}" : "the first stopped";
        string second = common < theirs.Count ? $"the second {Context.Name(theirs[common].Message)}" : "the second stopped";
        Context.Report(EvsProperty.VirtualSynchrony, $"{pair}, but delivered different messages of {mine.Concat(theirs).FirstOrDefault()?.Ring} {part} the transitional configuration: {mine.Count} vs {theirs.Count}; after {common} in common {first}, {second}");
    }
}
