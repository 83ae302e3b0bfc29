namespace SpreadNet.Ring.Verification;

/// <summary>
/// Self delivery: an incarnation that neither crashed nor left delivered every message its engine
/// accepted. Meaningful only once the run has settled (the simulator checks it after its liveness phase).
/// </summary>
internal sealed class SelfDeliveryCheck(VerificationContext context) : PropertyCheck(context)
{
    public override void Finish(IReadOnlyCollection<IncarnationHistory> nodes)
    {
        foreach (var node in nodes.Where(n => !n.Ended && n.Undelivered.Count > 0))
        {
            var missing = node.Undelivered.OrderBy(m => m.Number).ToArray();
            Context.Report(EvsProperty.SelfDelivery, $"{Context.Name(node.Id)} never delivered {missing.Length} of its own messages, from {Context.Name(missing[0])}: [{string.Join(", ", missing.Take(8).Select(Context.Name))}{(missing.Length > 8 ? ", ..." : "")}]");
        }
    }
}
