namespace SpreadNet.Ring.Verification;

/// <summary>What the properties share: how to name nodes and where to report.</summary>
internal sealed class VerificationContext(Func<NodeId, string> describe, Action<EvsViolation> report)
{
    public string Name(NodeId node) => describe(node);

    public string Name(Incarnation incarnation) =>
        incarnation.Number == 0 ? describe(incarnation.Node) : $"{describe(incarnation.Node)}/{incarnation.Number}";

    public string Name(MessageKey message) => $"{describe(message.Origin)}#{message.Number}";

    public string Name(IEnumerable<NodeId> members) => $"[{string.Join(", ", members.Order().Select(describe))}]";

    public void Report(string property, string message) => report(new EvsViolation(property, message));
}
