namespace SpreadNet.Ring.Verification;

/// <summary>
/// Each incarnation's configurations form Regular C0, then (Transitional Ck-1 -> Ck, Regular Ck)*:
/// a fresh node gets no transitional configuration; every later regular one is announced by a
/// transitional one naming the same rings; each names the incarnation's previous regular ring; a
/// transitional configuration's members belong to both rings.
/// </summary>
internal sealed class ConfigurationSequenceCheck(VerificationContext context) : PropertyCheck(context)
{
    public override void Observe(IncarnationHistory node, LogEntry entry)
    {
        if (entry is not Configuration c)
        {
            return;
        }

        string who = Context.Name(node.Id);
        var current = node.Current;
        if (c.Kind == ConfigKind.Transitional)
        {
            string? problem = current is null ? "before any regular configuration"
                : node.InTransition ? "right after another transitional configuration"
                : c.PreviousRing != current.Ring ? $"naming previous ring {c.PreviousRing}, but its regular configuration is {current.Ring}"
                : !IsSubset(c.Members, current.Members) ? $"with members {Context.Name(c.Members)} not all in {current.Ring} {Context.Name(current.Members)}"
                : null;
            if (problem is not null)
            {
                Context.Report(EvsProperty.ConfigurationSequence, $"{who} delivered transitional configuration {c.PreviousRing} -> {c.Ring} {problem}");
            }

            return;
        }

        var expectedPrevious = current?.Ring ?? default;
        string? wrong = c.PreviousRing != expectedPrevious ? $"naming previous ring {c.PreviousRing}, but its regular configuration was {expectedPrevious}"
            : current is null ? null
            : !node.InTransition ? "without a transitional configuration first"
            : current.Transitional!.Ring != c.Ring ? $"after transitional configuration to {current.Transitional.Ring}"
            : !IsSubset(current.Transitional.Members, [.. c.Members.Order()]) ? $"whose members {Context.Name(c.Members)} lack some of the transitional ones {Context.Name(current.Transitional.Members)}"
            : null;
        if (wrong is not null)
        {
            Context.Report(EvsProperty.ConfigurationSequence, $"{who} installed regular configuration {c.Ring} {wrong}");
        }
    }

    private static bool IsSubset(IReadOnlyList<NodeId> members, NodeId[] sorted) =>
        members.All(m => Array.BinarySearch(sorted, m) >= 0);
}
