using SpreadNet.Ring.Groups;

namespace SpreadNet.Ring.Verification.Groups;

/// <summary>
/// Every service type is totally ordered by the ring: a session receives at strictly growing
/// positions (so per-sender FIFO and one order across senders); a position holds one message and a
/// message one position everywhere; and from each sender a session receives in send order.
/// </summary>
internal sealed class GroupOrderCheck(GroupContext context) : GroupCheck(context)
{
    private readonly Dictionary<SessionKey, Position> _last = [];
    private readonly Dictionary<(SessionKey Receiver, SessionKey Sender), long> _lastFrom = [];
    private readonly Dictionary<Position, GroupMessageKey> _byPosition = [];
    private readonly Dictionary<GroupMessageKey, Position> _byMessage = [];

    public override void Observe(SessionHistory session, SessionEntry entry)
    {
        if (entry is not MessageReceived m)
        {
            return;
        }

        var position = Position.Of(m.Position);
        string At() => $"{Context.Name(session.Key)} received {Context.Name(m.Message)} at {position}";
        if (_last.TryGetValue(session.Key, out var last) && position.CompareTo(last) <= 0)
        {
            Context.Report(GroupProperty.Order, $"{At()} after a message at {last}: positions must grow");
        }

        _last[session.Key] = position;
        var pair = (session.Key, m.Message.Sender);
        if (_lastFrom.TryGetValue(pair, out long previous) && m.Message.Number <= previous)
        {
            Context.Report(GroupProperty.Order, $"{At()} after its sender's #{previous}: not in send order");
        }

        _lastFrom[pair] = m.Message.Number;
        if (!_byPosition.TryAdd(position, m.Message) && _byPosition[position] != m.Message)
        {
            Context.Report(GroupProperty.Order, $"{At()}, where another session received {Context.Name(_byPosition[position])}");
        }

        if (!_byMessage.TryAdd(m.Message, position) && _byMessage[m.Message] != position)
        {
            Context.Report(GroupProperty.Order, $"{At()}, another session at {_byMessage[m.Message]}");
        }
    }
}
