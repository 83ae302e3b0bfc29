using System.Collections.Concurrent;
using SpreadNet.Ring.Totem;
using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Groups;

/// <summary>
/// Groups, sessions and views on top of one ring node: a deterministic state machine fed, on the
/// node's thread, with the ring's ordered deliveries and configuration changes. Every node applies
/// the same group-layer messages in the same total order, so every node holds the same group
/// membership and every member of a group sees the same views and messages in the same order.
/// After a configuration change each node announces the groups its own sessions are in (each node
/// is the authority for its sessions); the new views are installed when the last announcement is
/// delivered, and the group messages ordered meanwhile are delivered after them.
/// </summary>
internal sealed partial class GroupLayer
{
    private const int MaxCachedSenders = 65_536;

    private readonly NodeId _self;
    private readonly OutboundQueue _outbound;
    private readonly PacketPool _pool;
    private readonly PayloadLeasePool _leases = new();
    private readonly Dictionary<string, Group> _groups = new(StringComparer.Ordinal);
    private readonly Dictionary<string, Group>.AlternateLookup<ReadOnlySpan<char>> _groupsBySpan;
    private readonly Dictionary<(NodeId Node, uint Session), MemberState> _members = [];
    private readonly Dictionary<(NodeId Node, uint Session), GroupMember> _senders = [];
    private readonly ConcurrentDictionary<uint, ILocalMember> _local = new();
    private readonly ConcurrentDictionary<string, ILocalMember> _localByName = new(StringComparer.Ordinal);
    private readonly ConcurrentDictionary<string, ILocalMember>.AlternateLookup<ReadOnlySpan<char>> _localBySpan;
    private readonly HashSet<ILocalMember> _recipients = [];
    private readonly List<ILocalMember> _recipientList = [];
    private readonly char[] _nameBuffer = new char[256];

    public GroupLayer(NodeId self, OutboundQueue outbound, PacketPool pool)
    {
        _self = self;
        _outbound = outbound;
        _pool = pool;
        _groupsBySpan = _groups.GetAlternateLookup<ReadOnlySpan<char>>();
        _localBySpan = _localByName.GetAlternateLookup<ReadOnlySpan<char>>();
        _agreed.Add(self);
        StateChunkSize = Math.Max(1024, outbound.PayloadCapacity);
    }

    public GroupCounters Counters { get; } = new();

    /// <summary>Bytes per state announcement message (one datagram unfragmented, by default).</summary>
    public int StateChunkSize { get; init; }

    internal PayloadLeasePool Leases => _leases;

    /// <summary>Groups known at this node (any thread may read; a moment old).</summary>
    public int GroupCount => Volatile.Read(ref _groupCount);

    private int _groupCount;

    /// <summary>Registers a session opened on this node; false when its name is taken.</summary>
    public bool TryRegister(ILocalMember member)
    {
        if (!_localByName.TryAdd(member.Member.SessionName, member))
        {
            return false;
        }

        _local[member.Member.SessionId] = member;
        return true;
    }

    /// <summary>Forgets a session whose end will never be ordered (the node stopped).</summary>
    public void Unregister(ILocalMember member)
    {
        _local.TryRemove(member.Member.SessionId, out _);
        _localByName.TryRemove(member.Member.SessionName, out _);
    }

    /// <summary>One ordered group-layer message.</summary>
    public void OnDelivery(in Delivery delivery)
    {
        var payload = delivery.Payload;
        if (payload.IsEmpty)
        {
            Counters.Malformed();
            return;
        }

        var position = new MessagePosition(delivery.Ring, delivery.Sequence, delivery.Index);
        var type = (GroupMessageType)payload[0];
        if (type == GroupMessageType.State)
        {
            OnState(delivery.Sender, position, payload);
            return;
        }

        var lease = type == GroupMessageType.Data ? delivery.RetainBuffer() : null;
        if (_exchange is not null)
        {
            Hold(delivery.Sender, position, delivery.Service, payload, lease, delivery.PayloadOffset);
            return;
        }

        try
        {
            Apply(delivery.Sender, position, delivery.Service, payload, lease, delivery.PayloadOffset);
        }
        finally
        {
            lease?.Release();
        }
    }

    /// <summary>Applies one operation to the current state. <paramref name="lease"/> (when given) holds the buffer <paramref name="message"/> lies in, from <paramref name="offset"/>.</summary>
    private void Apply(NodeId sender, MessagePosition position, ServiceType service, ReadOnlySpan<byte> message, PacketLease? lease, int offset)
    {
        var reader = new GroupReader(message);
        reader.TryReadByte(out byte type);
        bool applied = (GroupMessageType)type switch
        {
            GroupMessageType.Data => ApplyData(sender, position, service, ref reader, message, lease, offset),
            GroupMessageType.Join => ApplyJoin(sender, position, ref reader),
            GroupMessageType.Leave => ApplyLeave(sender, position, ref reader),
            GroupMessageType.End => ApplyEnd(sender, position, ref reader),
            _ => false,
        };
        if (!applied)
        {
            Counters.Malformed();
        }
    }

    private bool TryReadNamedMember(NodeId node, uint session, ref GroupReader reader, out GroupMember member)
    {
        member = null!;
        if (!reader.TryReadName(_nameBuffer, GroupNames.MaxSessionNameLength, allowPrivate: false, out int length))
        {
            return false;
        }

        var name = _nameBuffer.AsSpan(0, length);
        if (_members.TryGetValue((node, session), out var state))
        {
            // A session keeps its name for life; a member known under another name is forged or corrupt.
            member = state.Member;
            return name.SequenceEqual(state.Member.SessionName);
        }

        if (_senders.TryGetValue((node, session), out var cached) && name.SequenceEqual(cached.SessionName))
        {
            member = cached;
            return true;
        }

        if (_senders.Count >= MaxCachedSenders)
        {
            _senders.Clear();
        }

        member = node == _self && _local.TryGetValue(session, out var local) && name.SequenceEqual(local.Member.SessionName)
            ? local.Member
            : new GroupMember(node, session, name.ToString());
        _senders[(node, session)] = member;
        return true;
    }

    private MemberState StateOf(GroupMember member)
    {
        var key = (member.Node, member.SessionId);
        if (!_members.TryGetValue(key, out var state))
        {
            state = new MemberState(member);
            _members[key] = state;
        }

        return state;
    }

    private Group GetOrAddGroup(string name) =>
        _groups.TryGetValue(name, out var group) ? group : AddGroup(new Group(name));

    private Group GetOrAddGroup(ReadOnlySpan<char> name) =>
        _groupsBySpan.TryGetValue(name, out var group) ? group : AddGroup(new Group(name.ToString()));

    private Group AddGroup(Group group)
    {
        _groups[group.Name] = group;
        Volatile.Write(ref _groupCount, _groups.Count);
        return group;
    }

    private void DropIfEmpty(Group group)
    {
        if (group.Members.Count == 0)
        {
            _groups.Remove(group.Name);
            Volatile.Write(ref _groupCount, _groups.Count);
        }
    }

    private void DeliverView(Group group, GroupView view)
    {
        foreach (var local in group.Local)
        {
            local.Deliver(new SessionEvent(view), 0);
        }

        Counters.ViewInstalled();
    }

    /// <summary>Checks the layer's internal consistency; returns the first problem found, or null (tests and fuzzing).</summary>
    internal string? FindInconsistency()
    {
        foreach (var (name, group) in _groups)
        {
            if (group.Name != name || group.Members.Count == 0 && !group.InTransition && _exchange is null)
            {
                return $"group {name} is empty or misnamed";
            }

            for (int i = 1; i < group.Members.Count; i++)
            {
                if (GroupMember.CompareByRingOrder(group.Members[i - 1], group.Members[i]) >= 0)
                {
                    return $"group {name} members out of order or repeated";
                }
            }

            foreach (var member in group.Members)
            {
                if (!_members.TryGetValue((member.Node, member.SessionId), out var state) || !state.Groups.Contains(group))
                {
                    return $"member {member} of {name} has no matching state";
                }
            }

            if (group.Local.Any(l => !group.Contains(l.Member) || l.Member.Node != _self))
            {
                return $"group {name} lists a local member that is not a member";
            }
        }

        foreach (var state in _members.Values)
        {
            if (state.Groups.Any(g => !g.Contains(state.Member) || !_groups.ContainsKey(g.Name)))
            {
                return $"member {state.Member} lists a group it is not in";
            }
        }

        return null;
    }
}
