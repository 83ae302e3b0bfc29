using SpreadNet.Interfaces;
using SpreadNet.StreamProvider;

namespace SpreadNet.Samples.ClusterDemo.Members;

/// <summary>
/// What a member saw: on a silo, kept by the silo (a singleton) rather than by the grain, so that a
/// reactivated member grain goes on with the same record; on the client, kept by its member object.
/// Thread-safe: the stream handler, the group deliveries and reporters use it at once.
/// </summary>
public sealed class MemberLog(string silo)
{
    private readonly Lock _lock = new();
    private readonly List<DeliveredLine> _lines = [];
    private readonly List<GroupEvent> _group = [];
    private int _repeats;
    private int _resubscriptions;
    private volatile bool _subscribed;
    private volatile string? _member;

    public string Silo { get; } = silo;

    /// <summary>Whether the member subscribed once: from then on it must stay subscribed, whichever activation it is.</summary>
    public bool Subscribed
    {
        get => _subscribed;
        set => _subscribed = value;
    }

    /// <summary>The member's grain identity in the group, once it joined.</summary>
    public string? Member
    {
        get => _member;
        set => _member = value;
    }

    public int Count
    {
        get
        {
            lock (_lock)
            {
                return _lines.Count;
            }
        }
    }

    /// <summary>The last token applied, or null.</summary>
    public SpreadSequenceToken? LastToken
    {
        get
        {
            lock (_lock)
            {
                return _lines.Count == 0 ? null : _lines[^1].Token;
            }
        }
    }

    /// <summary>
    /// Applies a line at its position. A persistent stream delivers at least once: after a queue
    /// moves to another silo, lines after its last watermark come again with their original tokens;
    /// those (and anything not after the last applied token) are counted and ignored.
    /// </summary>
    public bool Apply(SpreadSequenceToken token, ChatLine line)
    {
        lock (_lock)
        {
            if (_lines.Count > 0 && token.CompareTo(_lines[^1].Token) <= 0)
            {
                _repeats++;
                return false;
            }

            _lines.Add(new DeliveredLine(token, line));
            return true;
        }
    }

    /// <summary>Records a view of the group (not the member's own SelfLeave, which ends its record).</summary>
    public void Add(GroupViewInfo view)
    {
        if (view.Kind == GroupViewKind.SelfLeave)
        {
            return;
        }

        var record = new GroupEvent(view.Id.ToString(), view.Kind.ToString(), view.Reason.ToString(), [.. view.Members.Select(Identity)], null, null);
        lock (_lock)
        {
            _group.Add(record);
        }
    }

    /// <summary>Records a notice multicast to the group; other payloads are not the demo's.</summary>
    public void Add(GroupMessageInfo message)
    {
        if (message.Payload is not ChatNotice notice)
        {
            return;
        }

        var record = new GroupEvent(message.Position.ToString(), GroupEvent.NoticeKind, string.Empty, [], Identity(message.Sender), notice);
        lock (_lock)
        {
            _group.Add(record);
        }
    }

    public void NoteResubscribed()
    {
        lock (_lock)
        {
            _resubscriptions++;
        }
    }

    public MemberReport Report(string siloAddress, IReadOnlyList<string> ringMembers)
    {
        lock (_lock)
        {
            return new MemberReport(Silo, siloAddress, [.. _lines], _repeats, [.. _group], ringMembers, _resubscriptions, _member);
        }
    }

    /// <summary>A member by its grain identity (the same at every member), or by its ring name when its identity did not arrive.</summary>
    private static string Identity(GroupMemberInfo member) => member.Member?.ToString() ?? member.Name;
}
