using SpreadNet.Ring.Totem;

namespace SpreadNet.Ring.Groups;

/// <summary>
/// Configuration changes. A transitional configuration removes the members whose nodes did not
/// move with this one (a transitional view to the groups that lost some). A regular configuration
/// starts an exchange: every member announces its own sessions' groups; when the last announcement
/// is delivered, every node computes the same new views (reason Network) at the same point of the
/// total order, then applies the group messages that were ordered during the exchange.
/// <para>
/// Until an exchange completes, nodes that came into the configuration from different rings hold
/// different group states. So a node applies joins only from the nodes whose state it shares
/// (<see cref="_agreed"/>: the members of the last completed exchange that stayed with it); the
/// others' joins reach it through the next exchange. Otherwise an exchange cut short by another
/// change would apply the same held join to different states at nodes that move on together,
/// giving their members different views under one view id.
/// </para>
/// </summary>
internal sealed partial class GroupLayer
{
    private Exchange? _exchange;

    /// <summary>
    /// The nodes whose sessions' memberships this node's state holds, identically to each of them:
    /// the members of the last completed exchange, less those that did not move along since (this
    /// node alone before its first exchange).
    /// </summary>
    private readonly HashSet<NodeId> _agreed = [];

    /// <summary>Whether the announcements of a configuration change are awaited (group messages are held meanwhile).</summary>
    internal bool ExchangeUnderway => _exchange is not null;

    /// <summary>A ring configuration change, in order with the messages.</summary>
    public void OnConfiguration(ConfigurationChange change)
    {
        if (change.Kind == ConfigurationKind.Transitional)
        {
            OnTransitional(change);
        }
        else
        {
            OnRegular(change);
        }
    }

    private void OnTransitional(ConfigurationChange change)
    {
        var unfinished = _exchange;
        _exchange = null;
        var survivors = new HashSet<NodeId>(change.Members);
        _agreed.IntersectWith(survivors);
        var lost = new Dictionary<Group, List<GroupMember>>();
        foreach (var state in _members.Values.Where(s => !survivors.Contains(s.Member.Node)).ToList())
        {
            foreach (var group in state.Groups)
            {
                group.Remove(state.Member);
                if (!lost.TryGetValue(group, out var left))
                {
                    left = [];
                    lost[group] = left;
                }

                left.Add(state.Member);
            }

            _members.Remove((state.Member.Node, state.Member.SessionId));
        }

        var id = new GroupViewId(change.Ring, 0, 0);
        foreach (var (group, left) in lost)
        {
            group.InTransition = true;
            DeliverView(group, group.View(id, GroupViewKind.Transitional, ViewChangeReason.Network, [], [.. left]));
        }

        if (unfinished is not null)
        {
            // The exchange was cut short. The members that move on together ordered the same
            // messages of it and (see _agreed) hold the same state, so applying them now, after
            // the transitional views as they would have come after the exchange's views, keeps
            // those members alike; joins of departed nodes are ignored with the rest of theirs.
            ReleaseHeld(unfinished, apply: true);
        }
    }

    private void OnRegular(ConfigurationChange change)
    {
        _exchange = new Exchange(change.Ring, change.Members);
        AnnounceLocalGroups(change.Ring);
    }

    /// <summary>Sends the groups this node's sessions are in, in messages of at most <see cref="StateChunkSize"/> bytes.</summary>
    private void AnnounceLocalGroups(RingId ring)
    {
        var chunk = new byte[StateChunkSize];
        int length = GroupWire.StateHeaderSize;
        int count = 0;
        foreach (var state in _members.Values.Where(s => s.Member.Node == _self))
        {
            foreach (var group in state.Groups)
            {
                int size = GroupWire.StateEntrySize(state.Member.SessionName, group.Name);
                if (length + size > chunk.Length)
                {
                    SendState(chunk, length, ring, last: false, count);
                    length = GroupWire.StateHeaderSize;
                    count = 0;
                }

                length += GroupWire.WriteStateEntry(chunk.AsSpan(length), state.Member.SessionId, state.Member.SessionName, group.Name);
                count++;
            }
        }

        SendState(chunk, length, ring, last: true, count);
    }

    private void SendState(byte[] chunk, int length, RingId ring, bool last, int count)
    {
        GroupWire.WriteStateHeader(chunk, ring, last, count);
        try
        {
            _outbound.TryEnqueue(new MessageParts(chunk.AsSpan(0, length)), ServiceType.Agreed, Wire.EntryKind.Group, force: true);
        }
        catch (ObjectDisposedException)
        {
            // The node is stopping: no exchange will complete anyway.
        }
    }

    private void OnState(NodeId sender, MessagePosition position, ReadOnlySpan<byte> message)
    {
        var reader = new GroupReader(message);
        reader.TryReadByte(out _);
        if (!reader.TryReadUInt64(out ulong representative) || !reader.TryReadUInt64(out ulong sequence)
            || !reader.TryReadByte(out byte last) || last > 1 || !reader.TryReadUInt32(out uint count))
        {
            Counters.Malformed();
            return;
        }

        var exchange = _exchange;
        if (exchange is null || exchange.Ring != new RingId(new NodeId(representative), sequence) || !exchange.Awaiting.Contains(sender))
        {
            // An announcement of an exchange that a later configuration change cut short.
            Counters.StaleState();
            return;
        }

        var claims = new List<(GroupMember Member, string Group)>();
        for (uint i = 0; i < count; i++)
        {
            if (!reader.TryReadUInt32(out uint session) || !TryReadNamedMember(sender, session, ref reader, out var member)
                || !reader.TryReadName(_nameBuffer, GroupNames.MaxGroupNameLength, allowPrivate: false, out int length))
            {
                Counters.Malformed();
                return;
            }

            claims.Add((member, new string(_nameBuffer, 0, length)));
        }

        if (reader.Remaining != 0)
        {
            Counters.Malformed();
            return;
        }

        foreach (var (member, group) in claims)
        {
            if (!exchange.Claim(member, group))
            {
                Counters.Malformed();
            }
        }

        if (last == 1)
        {
            exchange.Awaiting.Remove(sender);
            if (exchange.Awaiting.Count == 0)
            {
                _exchange = null;
                InstallExchangedViews(exchange, ViewId(position));
                ReleaseHeld(exchange, apply: true);
            }
        }
    }

    /// <summary>Replaces every group's membership by what the members announced; changed groups get views.</summary>
    private void InstallExchangedViews(Exchange exchange, GroupViewId id)
    {
        _agreed.Clear();
        _agreed.UnionWith(exchange.Members);
        var transitionalId = new GroupViewId(exchange.Ring, 0, 0);
        foreach (var group in _groups.Values.ToList())
        {
            exchange.Claims.TryGetValue(group.Name, out var claimed);
            Reconcile(group, claimed ?? [], id, transitionalId);
        }

        foreach (var (name, claimed) in exchange.Claims)
        {
            if (!_groups.ContainsKey(name))
            {
                Reconcile(GetOrAddGroup(name), claimed, id, transitionalId);
            }
        }
    }

    private void Reconcile(Group group, List<GroupMember> claimed, GroupViewId id, GroupViewId transitionalId)
    {
        claimed.Sort(GroupMember.CompareByRingOrder);
        var before = group.Members;
        bool same = before.Count == claimed.Count && before.SequenceEqual(claimed);
        if (same && !group.InTransition)
        {
            return;
        }

        if (!group.InTransition)
        {
            // Only gains: the members that moved together are all of the previous view.
            DeliverView(group, group.View(transitionalId, GroupViewKind.Transitional, ViewChangeReason.Network, [], []));
        }

        var joined = claimed.Except(before).ToArray();
        var left = before.Except(claimed).ToArray();
        foreach (var member in left)
        {
            if (_members.TryGetValue((member.Node, member.SessionId), out var state))
            {
                state.Groups.Remove(group);
                ForgetIfIdle(state);
            }

            group.Local.RemoveAll(l => l.Member.Equals(member));
        }

        foreach (var member in joined)
        {
            StateOf(member).Groups.Add(group);
            if (member.Node == _self && _local.TryGetValue(member.SessionId, out var local))
            {
                group.Local.Add(local);
            }
        }

        before.Clear();
        before.AddRange(claimed);
        group.InTransition = false;
        DeliverView(group, group.View(id, GroupViewKind.Regular, ViewChangeReason.Network, joined, left));
        DropIfEmpty(group);
    }

    private void Hold(NodeId sender, MessagePosition position, ServiceType service, ReadOnlySpan<byte> message, PacketLease? lease, int offset)
    {
        // Data keeps its lease (the payload is handed out later); other operations are small: copied.
        _exchange!.Held.Add(new HeldMessage(sender, position, service, lease is null ? message.ToArray() : null, lease, offset, message.Length));
    }

    private void ReleaseHeld(Exchange exchange, bool apply)
    {
        foreach (var held in exchange.Held)
        {
            try
            {
                if (apply)
                {
                    var message = held.Copy ?? held.Lease!.Buffer.AsSpan(held.Offset, held.Length);
                    Apply(held.Sender, held.Position, held.Service, message, held.Lease, held.Offset);
                }
            }
            finally
            {
                held.Lease?.Release();
            }
        }

        exchange.Held.Clear();
    }

    private sealed record HeldMessage(NodeId Sender, MessagePosition Position, ServiceType Service, byte[]? Copy, PacketLease? Lease, int Offset, int Length);

    private sealed class Exchange(RingId ring, IReadOnlyList<NodeId> members)
    {
        public RingId Ring { get; } = ring;

        public IReadOnlyList<NodeId> Members { get; } = members;

        public HashSet<NodeId> Awaiting { get; } = [.. members];

        public Dictionary<string, List<GroupMember>> Claims { get; } = new(StringComparer.Ordinal);

        public List<HeldMessage> Held { get; } = [];

        private Dictionary<(NodeId Node, uint Session), GroupMember> Claimants { get; } = [];

        private HashSet<(NodeId Node, uint Session, string Group)> ClaimedPairs { get; } = [];

        /// <summary>Records that <paramref name="member"/> is in <paramref name="group"/>; false for a claim that contradicts an earlier one.</summary>
        public bool Claim(GroupMember member, string group)
        {
            var key = (member.Node, member.SessionId);
            if (Claimants.TryGetValue(key, out var known) && known.SessionName != member.SessionName)
            {
                return false;
            }

            Claimants[key] = member;
            if (!Claims.TryGetValue(group, out var members))
            {
                members = [];
                Claims[group] = members;
            }

            if (ClaimedPairs.Add((key.Node, key.SessionId, group)))
            {
                members.Add(member);
            }

            return true;
        }
    }
}
