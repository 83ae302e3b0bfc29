namespace SpreadNet.Ring.Verification;

/// <summary>
/// Every incarnation that installs a regular configuration reports the same members for it, and
/// every one that delivers a transitional configuration (C to C') the same members for that; a
/// configuration lists the incarnation delivering it, and a regular one its representative.
/// </summary>
internal sealed class MembershipAgreementCheck(VerificationContext context) : PropertyCheck(context)
{
    private readonly Dictionary<RingId, (NodeId[] Members, Incarnation By)> _regular = [];
    private readonly Dictionary<(RingId, RingId), (NodeId[] Members, Incarnation By)> _transitional = [];

    public override void Observe(IncarnationHistory node, LogEntry entry)
    {
        if (entry is not Configuration c)
        {
            return;
        }

        NodeId[] members = [.. c.Members.Order()];
        string what = c.Kind == ConfigKind.Regular ? $"regular configuration {c.Ring}" : $"transitional configuration {c.PreviousRing} -> {c.Ring}";
        if (Array.BinarySearch(members, node.Id.Node) < 0)
        {
            Context.Report(EvsProperty.MembershipAgreement, $"{Context.Name(node.Id)} delivered {what} {Context.Name(members)}, which does not list it");
        }

        if (c.Kind == ConfigKind.Regular && Array.BinarySearch(members, c.Ring.Representative) < 0)
        {
            Context.Report(EvsProperty.MembershipAgreement, $"{Context.Name(node.Id)} delivered {what} {Context.Name(members)}, which does not list its representative");
        }

        var first = c.Kind == ConfigKind.Regular
            ? Agree(_regular, c.Ring, members, node.Id)
            : Agree(_transitional, (c.PreviousRing, c.Ring), members, node.Id);
        if (first is { } earlier)
        {
            Context.Report(EvsProperty.MembershipAgreement, $"{Context.Name(node.Id)} delivered {what} as {Context.Name(members)}, {Context.Name(earlier.By)} as {Context.Name(earlier.Members)}");
        }
    }

    /// <summary>Records the first report of a configuration; returns it when a later one differs.</summary>
    private static (NodeId[] Members, Incarnation By)? Agree<TKey>(
        Dictionary<TKey, (NodeId[] Members, Incarnation By)> seen, TKey key, NodeId[] members, Incarnation by)
        where TKey : notnull
    {
        if (!seen.TryGetValue(key, out var first))
        {
            seen.Add(key, (members, by));
            return null;
        }

        return first.Members.AsSpan().SequenceEqual(members) ? null : first;
    }
}
