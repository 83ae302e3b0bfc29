namespace SpreadNet.Ring.Verification;

/// <summary>No incarnation delivers a message twice.</summary>
internal sealed class NoDuplicatesCheck(VerificationContext context) : PropertyCheck(context)
{
    private readonly Dictionary<Incarnation, HashSet<MessageKey>> _delivered = [];

    public override void Observe(IncarnationHistory node, LogEntry entry)
    {
        if (entry is not Delivered d)
        {
            return;
        }

        if (!_delivered.TryGetValue(node.Id, out var seen))
        {
            _delivered.Add(node.Id, seen = []);
        }

        if (!seen.Add(d.Message))
        {
            Context.Report(EvsProperty.NoDuplicates, $"{Context.Name(node.Id)} delivered {Context.Name(d.Message)} twice (again at {Position.Of(d)})");
        }
    }
}
