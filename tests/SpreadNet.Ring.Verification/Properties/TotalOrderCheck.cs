namespace SpreadNet.Ring.Verification;

/// <summary>
/// Total order: each incarnation delivers at strictly growing positions (ring sequence, packet
/// sequence, index); a position holds the same message at every node, and a message has the same
/// position (so the same ordering ring) at every node that delivers it.
/// </summary>
internal sealed class TotalOrderCheck(VerificationContext context) : PropertyCheck(context)
{
    private readonly Dictionary<Incarnation, Position> _last = [];
    private readonly Dictionary<Position, (MessageKey Message, Incarnation By)> _byPosition = [];
    private readonly Dictionary<MessageKey, (Position Position, Incarnation By)> _byMessage = [];

    public override void Observe(IncarnationHistory node, LogEntry entry)
    {
        if (entry is not Delivered d)
        {
            return;
        }

        var position = Position.Of(d);
        string who = Context.Name(node.Id);
        if (_last.TryGetValue(node.Id, out var last) && position.CompareTo(last) <= 0)
        {
            Context.Report(EvsProperty.TotalOrder, $"{who} delivered {Context.Name(d.Message)} at {position} after position {last}: positions must grow");
        }

        _last[node.Id] = position;
        if (!_byPosition.TryAdd(position, (d.Message, node.Id)) && _byPosition[position] is var other && other.Message != d.Message)
        {
            Context.Report(EvsProperty.TotalOrder, $"{who} delivered {Context.Name(d.Message)} at {position}, where {Context.Name(other.By)} delivered {Context.Name(other.Message)}");
        }

        if (!_byMessage.TryAdd(d.Message, (position, node.Id)) && _byMessage[d.Message] is var earlier && earlier.Position != position)
        {
            Context.Report(EvsProperty.TotalOrder, $"{who} delivered {Context.Name(d.Message)} at {position}, {Context.Name(earlier.By)} at {earlier.Position}");
        }
    }
}
