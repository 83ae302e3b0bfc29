using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Totem;

/// <summary>
/// Gather: agreeing with the reachable nodes on the members of the next ring. Join messages carry
/// the proc set (nodes wanted) and the fail set (nodes given up on); consensus when every node in
/// proc - fail reports the same sets; the lowest id among them then sends the commit token.
/// </summary>
public sealed partial class TotemEngine
{
    private const int MaxKnownNodes = 1024;

    private readonly SortedSet<NodeId> _procSet = [];
    private readonly SortedSet<NodeId> _failSet = [];
    private readonly HashSet<NodeId> _consensus = [];
    private readonly SortedSet<NodeId> _known = [];
    private readonly JoinMessage _incomingJoin = new();
    private readonly JoinMessage _outgoingJoin = new();
    private readonly Dictionary<NodeId, ulong> _latestJoinSequence = [];
    private ulong _ringSeqSeen;
    private bool _started;

    private void AddKnown(NodeId node)
    {
        if (node != _self && !node.IsNone && _known.Count < MaxKnownNodes)
        {
            _known.Add(node);
        }
    }

    /// <summary>Leaves the token ring (regular or forming) for Gather, starting from its members.</summary>
    private void EnterGatherFromRing(long now, NodeId failed)
    {
        if (_state == MembershipState.Operational && _ring is not null)
        {
            _procSet.Clear();
            _procSet.UnionWith(_ring.Members);
            _failSet.Clear();
        }

        EnterGather(now, announceTo: null);
        if (!failed.IsNone && failed != _self)
        {
            // A member known to be gone (it left, or cannot receive): the rest may agree at once.
            _failSet.Add(failed);
            SendJoin(null);
            CheckConsensus(now);
        }
    }

    /// <summary>Goes back to Gather keeping the sets (a commit or recovery that did not finish).</summary>
    private void RestartGather(long now) => EnterGather(now, announceTo: null);

    private void EnterGather(long now, IEnumerable<NodeId>? announceTo)
    {
        ResetTokenState();
        _host.SetTimer(TimerKind.TokenLoss, TimerKinds.Disarmed);
        _host.SetTimer(TimerKind.MergeDetect, TimerKinds.Disarmed);
        if (_forming is not null)
        {
            _forming.Release();
            _forming = null;
        }

        _commitRetransmitPending = false;
        _state = MembershipState.Gather;
        Counters.Gathered();
        _gatherStarted = now;
        _joinsThisGather.Clear();
        _consensus.Clear();
        _consensus.Add(_self);
        SendJoin(announceTo);
        _host.SetTimer(TimerKind.Join, now + _settings.JoinMicros);
        _host.SetTimer(TimerKind.Consensus, now + _settings.ConsensusMicros);

        // No consensus check here: whatever made this node gather (a join, a foreign ring, its seeds)
        // brings nodes to add first, or a ring of one would form before they are heard.
    }

    private void SendJoin(IEnumerable<NodeId>? extra)
    {
        _outgoingJoin.RingSeq = _ringSeqSeen;
        _outgoingJoin.Settings = _settingsBlock;
        _outgoingJoin.ProcSet.Clear();
        _outgoingJoin.ProcSet.AddRange(_procSet);
        _outgoingJoin.FailSet.Clear();
        _outgoingJoin.FailSet.AddRange(_failSet);
        int length = PacketHeader.Size + _outgoingJoin.BodySize;
        var datagram = _scratch.AsSpan(0, length);
        new PacketHeader(PacketType.Join, 0, length, _self, Ring).Write(datagram);
        _outgoingJoin.Write(datagram[PacketHeader.Size..]);

        var recipients = new SortedSet<NodeId>(_procSet);
        recipients.UnionWith(_failSet);
        if (extra is not null)
        {
            recipients.UnionWith(extra);
        }

        recipients.Remove(_self);
        foreach (var node in recipients)
        {
            _host.Send(node, datagram);
        }
    }

    private void OnJoinTimeout(long now)
    {
        if (_state != MembershipState.Gather)
        {
            return;
        }

        SendJoin(null);
        _host.SetTimer(TimerKind.Join, now + _settings.JoinMicros);
    }

    private void OnJoin(in PacketHeader header, ReadOnlySpan<byte> body, long now)
    {
        var join = _incomingJoin;
        var sender = header.Sender;
        if (!join.TryRead(body, out var reason))
        {
            Counters.Drop(reason);
            return;
        }

        if (!join.ProcSet.Contains(sender) || join.FailSet.Contains(sender))
        {
            Counters.Drop(DropReason.BadField);
            return;
        }

        if (!CheckSettings(sender, join.Settings, now))
        {
            return;
        }

        // A node's ring sequence never goes back: a join numbered below one already seen from the
        // same node was overtaken on the way, and would resurrect a gather it has left.
        if (_latestJoinSequence.TryGetValue(sender, out ulong latest) && join.RingSeq < latest)
        {
            Counters.Drop(DropReason.StaleToken);
            return;
        }

        if (_latestJoinSequence.Count < MaxKnownNodes || _latestJoinSequence.ContainsKey(sender))
        {
            _latestJoinSequence[sender] = join.RingSeq;
        }

        NoteHeard(sender, now, join);
        _ringSeqSeen = Math.Max(_ringSeqSeen, join.RingSeq);
        AddKnown(sender);
        switch (_state)
        {
            case MembershipState.Operational:
                if (!JoinStartsGather(header, join, now))
                {
                    return;
                }

                Counters.MembershipMessage();
                EnterGatherFromRing(now, NodeId.None);
                break;
            case MembershipState.Commit or MembershipState.Recovery:
                Counters.MembershipMessage();
                if (!CommitAbandonedBy(sender, join))
                {
                    return;
                }

                RestartGather(now);
                break;
            default:
                Counters.MembershipMessage();
                break;
        }

        ProcessJoin(sender, join, now);
    }

    /// <summary>
    /// Whether a join received during commit or recovery means the ring being formed will not be:
    /// a member of it has gone back to Gather (its join numbers the new ring's sequence, so it was
    /// sent after the commit token), or the join would change the sets the new ring was agreed on.
    /// A late copy from the gather that led here changes nothing and is ignored.
    /// </summary>
    private bool CommitAbandonedBy(NodeId sender, JoinMessage join)
    {
        if (_failSet.Contains(sender))
        {
            return false;
        }

        if (Array.IndexOf(_commitMembers, sender) >= 0 && join.RingSeq >= _commitRing.Sequence)
        {
            return true;
        }

        if (join.FailSet.Contains(_self))
        {
            // It gave up on this node: that matters only if it was to be in the new ring.
            return Array.IndexOf(_commitMembers, sender) >= 0;
        }

        return !(IsSubset(join.ProcSet, _procSet) && IsSubset(join.FailSet, _failSet));
    }

    /// <summary>Whether a join received while operational means the ring must reform.</summary>
    private bool JoinStartsGather(in PacketHeader header, JoinMessage join, long now)
    {
        var ring = _ring!;
        if (ring.IsMember(header.Sender))
        {
            // A member gathering from this ring, or one that restarted (no ring yet), means reform;
            // a join from before this ring formed is a late copy.
            if (header.Ring == ring.Id || header.Ring == default)
            {
                return true;
            }

            Counters.Drop(DropReason.StaleToken);
            return false;
        }

        // A join that gives up on this node comes from a gather that will form a ring without it;
        // answering it would only fail the sender back. Merge detection joins the two rings later,
        // with fresh sets on both sides.
        if (join.FailSet.Contains(_self))
        {
            Counters.Drop(DropReason.Unexpected);
            return false;
        }

        if ((IsSuspectedOneWay(header.Sender, now) && !join.ProcSet.Contains(_self)) || IsMergeBackingOff(header.Sender, now))
        {
            Counters.Drop(DropReason.Unexpected);
            return false;
        }

        ReportMerge(header.Sender);
        _mergeTrigger = header.Sender;
        return true;
    }

    private void ProcessJoin(NodeId sender, JoinMessage join, long now)
    {
        if (_failSet.Contains(sender))
        {
            return;
        }

        bool changed;
        if (join.FailSet.Contains(_self))
        {
            // It gave up on this node, perhaps in an earlier round whose joins are still arriving.
            // Failing it back at once makes two nodes that meet exclude each other again and again;
            // if it really does not hear this node, the consensus timeout leaves it out (and
            // reports the one-way link).
            return;
        }

        if (SetEquals(join.ProcSet, _procSet) && SetEquals(join.FailSet, _failSet))
        {
            _consensus.Add(sender);
            CheckConsensus(now);
            return;
        }
        else if (IsSubset(join.ProcSet, _procSet) && IsSubset(join.FailSet, _failSet))
        {
            return;
        }
        else
        {
            changed = false;
            foreach (var node in join.ProcSet)
            {
                changed |= _procSet.Add(node);
                AddKnown(node);
            }

            foreach (var node in join.FailSet)
            {
                if (node != _self)
                {
                    changed |= _failSet.Add(node);
                }
            }
        }

        if (changed)
        {
            _consensus.Clear();
            _consensus.Add(_self);
            SendJoin(null);
            _host.SetTimer(TimerKind.Consensus, now + _settings.ConsensusMicros);
            CheckConsensus(now);
        }
    }

    private void CheckConsensus(long now)
    {
        if (_state != MembershipState.Gather)
        {
            return;
        }

        NodeId lowest = NodeId.None;
        foreach (var node in _procSet)
        {
            if (_failSet.Contains(node))
            {
                continue;
            }

            if (!_consensus.Contains(node))
            {
                return;
            }

            if (lowest.IsNone)
            {
                lowest = node;
            }
        }

        if (lowest == _self)
        {
            CreateCommitToken(now);
        }
    }

    private void OnConsensusTimeout(long now)
    {
        if (_state != MembershipState.Gather)
        {
            return;
        }

        foreach (var node in _procSet.ToArray())
        {
            if (!_failSet.Contains(node) && !_consensus.Contains(node))
            {
                _failSet.Add(node);
                SuspectOneWayIfHeard(node, now);
            }
        }

        _consensus.Clear();
        _consensus.Add(_self);
        _gatherStarted = now;
        _joinsThisGather.Clear();
        SendJoin(null);
        _host.SetTimer(TimerKind.Consensus, now + _settings.ConsensusMicros);
        CheckConsensus(now);
    }

    private static bool SetEquals(List<NodeId> sorted, SortedSet<NodeId> set)
    {
        if (sorted.Count != set.Count)
        {
            return false;
        }

        int i = 0;
        foreach (var node in set)
        {
            if (sorted[i++] != node)
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsSubset(List<NodeId> nodes, SortedSet<NodeId> set)
    {
        foreach (var node in nodes)
        {
            if (!set.Contains(node))
            {
                return false;
            }
        }

        return true;
    }
}
