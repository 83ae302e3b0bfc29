using SpreadNet.Ring.Totem;

namespace SpreadNet.Ring.Groups;

/// <summary>The operations of sessions: multicast, join, leave and end.</summary>
internal sealed partial class GroupLayer
{
    private bool ApplyData(NodeId sender, MessagePosition position, ServiceType service, ref GroupReader reader, ReadOnlySpan<byte> message, PacketLease? lease, int offset)
    {
        if (!reader.TryReadByte(out byte flags)
            || !reader.TryReadUInt32(out uint session)
            || !reader.TryReadUInt32(out _)
            || !TryReadNamedMember(sender, session, ref reader, out var from)
            || !reader.TryReadByte(out byte groupCount)
            || groupCount == 0
            || groupCount > GroupWire.MaxGroupsPerMessage)
        {
            return false;
        }

        _recipients.Clear();
        _recipientList.Clear();
        IReadOnlyList<string>? groups = null;
        string[]? several = groupCount > 1 ? new string[groupCount] : null;
        for (int i = 0; i < groupCount; i++)
        {
            if (!reader.TryReadName(_nameBuffer, GroupNames.MaxGroupNameLength, allowPrivate: true, out int length))
            {
                return false;
            }

            var name = _nameBuffer.AsSpan(0, length);
            string? resolved = CollectRecipients(name, ref groups);
            if (several is not null)
            {
                several[i] = resolved ?? name.ToString();
            }
        }

        groups = several ?? groups ?? [];
        bool selfDiscard = (flags & GroupWire.SelfDiscardFlag) != 0;
        int payloadStart = reader.Offset;
        var payload = message[payloadStart..];
        foreach (var recipient in _recipientList)
        {
            if (selfDiscard && recipient.Member.Node == sender && recipient.Member.SessionId == session)
            {
                continue;
            }

            var payloadLease = _leases.Rent();
            if (lease is null || recipient.PrefersCopies)
            {
                if (!recipient.Copier.TryCopy(_pool, payload, payloadLease))
                {
                    payloadLease.Copy(payload);
                }
            }
            else
            {
                // Caught up: the buffer the copies went to need not stay open.
                recipient.Copier.Close();
                lease.AddReference();
                payloadLease.Share(lease, offset + payloadStart, payload.Length);
            }

            var received = new RingMessage(from, groups, service, position, payloadLease);
            if (!recipient.Deliver(new SessionEvent(received), payload.Length))
            {
                received.Dispose();
            }
        }

        Counters.Multicast(_recipientList.Count);
        return true;
    }

    /// <summary>Adds the local recipients of one target name; returns the group's shared name string when it has one.</summary>
    private string? CollectRecipients(ReadOnlySpan<char> name, ref IReadOnlyList<string>? single)
    {
        if (GroupNames.IsPrivate(name))
        {
            if (!GroupNames.TryParsePrivate(name, out var session, out var node) || node != _self
                || !_localBySpan.TryGetValue(session, out var target))
            {
                return null;
            }

            single ??= target.PrivateGroupList;
            AddRecipient(target);
            return target.PrivateGroupList[0];
        }

        if (!_groupsBySpan.TryGetValue(name, out var group))
        {
            return null;
        }

        single ??= group.NameList;
        foreach (var local in group.Local)
        {
            AddRecipient(local);
        }

        return group.Name;
    }

    private void AddRecipient(ILocalMember member)
    {
        if (_recipients.Add(member))
        {
            _recipientList.Add(member);
        }
    }

    private bool ApplyJoin(NodeId sender, MessagePosition position, ref GroupReader reader)
    {
        if (!reader.TryReadUInt32(out uint session)
            || !reader.TryReadUInt32(out uint request)
            || !TryReadNamedMember(sender, session, ref reader, out var member)
            || !reader.TryReadName(_nameBuffer, GroupNames.MaxGroupNameLength, allowPrivate: false, out int length))
        {
            return false;
        }

        if (!_agreed.Contains(sender))
        {
            // A node whose state this one does not share (it came from another ring, or is gone):
            // the next exchange brings its sessions' groups.
            return true;
        }

        var group = GetOrAddGroup(_nameBuffer.AsSpan(0, length));
        var state = StateOf(member);
        var local = sender == _self && _local.TryGetValue(session, out var found) ? found : null;
        if (group.Add(member))
        {
            state.Groups.Add(group);
            if (local is not null)
            {
                group.Local.Add(local);
            }

            DeliverView(group, group.View(ViewId(position), GroupViewKind.Regular, ViewChangeReason.Join, [member], []));
        }

        local?.RequestCompleted(request);
        return true;
    }

    private bool ApplyLeave(NodeId sender, MessagePosition position, ref GroupReader reader)
    {
        if (!reader.TryReadUInt32(out uint session)
            || !reader.TryReadUInt32(out uint request)
            || !reader.TryReadName(_nameBuffer, GroupNames.MaxGroupNameLength, allowPrivate: false, out int length))
        {
            return false;
        }

        var local = sender == _self && _local.TryGetValue(session, out var found) ? found : null;
        if (_members.TryGetValue((sender, session), out var state) && _groupsBySpan.TryGetValue(_nameBuffer.AsSpan(0, length), out var group)
            && state.Groups.Remove(group))
        {
            RemoveMember(group, state, position, ViewChangeReason.Leave);
            ForgetIfIdle(state);
        }

        local?.RequestCompleted(request);
        return true;
    }

    private bool ApplyEnd(NodeId sender, MessagePosition position, ref GroupReader reader)
    {
        if (!reader.TryReadUInt32(out uint session))
        {
            return false;
        }

        if (_members.TryGetValue((sender, session), out var state))
        {
            foreach (var group in state.Groups)
            {
                RemoveMember(group, state, position, ViewChangeReason.Disconnect);
            }

            state.Groups.Clear();
            _members.Remove((sender, session));
        }

        _senders.Remove((sender, session));
        if (sender == _self && _local.TryRemove(session, out var local))
        {
            _localByName.TryRemove(local.Member.SessionName, out _);
            local.Ended();
        }

        return true;
    }

    /// <summary>Removes a member from a group it asked to leave or lost by ending; the others get a view.</summary>
    private void RemoveMember(Group group, MemberState state, MessagePosition position, ViewChangeReason reason)
    {
        var member = state.Member;
        group.Remove(member);
        int localIndex = group.Local.FindIndex(l => l.Member.Equals(member));
        ILocalMember? local = null;
        if (localIndex >= 0)
        {
            local = group.Local[localIndex];
            group.Local.RemoveAt(localIndex);
        }

        var id = ViewId(position);
        if (local is not null && reason == ViewChangeReason.Leave)
        {
            local.Deliver(new SessionEvent(new GroupView(group.Name, id, GroupViewKind.SelfLeave, reason, [], [], [member])), 0);
        }

        DeliverView(group, group.View(id, GroupViewKind.Regular, reason, [], [member]));
        DropIfEmpty(group);
    }

    private void ForgetIfIdle(MemberState state)
    {
        if (state.Groups.Count == 0)
        {
            _members.Remove((state.Member.Node, state.Member.SessionId));
        }
    }

    private static GroupViewId ViewId(MessagePosition position) => new(position.Ring, position.Sequence, position.Index);
}
