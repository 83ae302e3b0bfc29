using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Totem;

/// <summary>
/// Rings meeting rings: merge detection, packets from foreign rings, graceful leaves, refusing
/// nodes whose settings differ, and keeping out a node whose link to this one works one way only.
/// </summary>
public sealed partial class TotemEngine
{
    private const int MaxReportedPeers = 1024;

    private readonly HashSet<NodeId> _reportedVersions = [];
    private readonly HashSet<(NodeId, string)> _reportedSettings = [];
    private readonly Dictionary<NodeId, long> _lastMismatchReply = [];
    private readonly Dictionary<NodeId, long> _lastHeard = [];
    private readonly Dictionary<NodeId, bool> _joinsThisGather = [];
    private readonly Dictionary<NodeId, long> _oneWaySuspects = [];
    private readonly Dictionary<NodeId, (long Until, long Step)> _mergeBackoff = [];
    private NodeId _mergeTrigger;
    private long _gatherStarted;

    private void OnMergeDetectTimeout(long now)
    {
        // Every member announces the ring, not only the representative: with unicast, each node
        // knows its own set of other nodes (its seeds, whom it heard), and two rings whose
        // representatives know nothing of each other must still find each other.
        var ring = _ring;
        if (_state != MembershipState.Operational || ring is null)
        {
            return;
        }

        var datagram = WriteMergeDetect();
        foreach (var node in _known)
        {
            if (!ring.IsMember(node))
            {
                _host.Send(node, datagram);
            }
        }

        _host.SetTimer(TimerKind.MergeDetect, now + _settings.MergeDetectMicros);
    }

    private void OnMergeDetect(in PacketHeader header, ReadOnlySpan<byte> body, long now)
    {
        if (!MergeDetectMessage.TryRead(body, out ulong ringSeq, out var settings, out var reason))
        {
            Counters.Drop(reason);
            return;
        }

        if (!CheckSettings(header.Sender, settings, now))
        {
            return;
        }

        NoteHeard(header.Sender, now, join: null);
        _ringSeqSeen = Math.Max(_ringSeqSeen, ringSeq);
        AddKnown(header.Sender);
        OnForeignPacket(header, now);
    }

    /// <summary>A packet of a ring this node is not in: rings that hear each other merge.</summary>
    private void OnForeignPacket(in PacketHeader header, long now)
    {
        var ring = _ring;
        if (_state != MembershipState.Operational || ring is null || ring.IsMember(header.Sender) || header.Ring == ring.Id)
        {
            Counters.Drop(DropReason.ForeignRing);
            return;
        }

        if (IsSuspectedOneWay(header.Sender, now) || IsMergeBackingOff(header.Sender, now))
        {
            Counters.Drop(DropReason.ForeignRing);
            return;
        }

        Counters.MembershipMessage();
        NoteHeard(header.Sender, now, join: null);
        AddKnown(header.Sender);
        ReportMerge(header.Sender);
        _mergeTrigger = header.Sender;
        _procSet.Clear();
        _procSet.UnionWith(ring.Members);
        _procSet.Add(header.Sender);
        _failSet.Clear();
        EnterGather(now, announceTo: null);
    }

    /// <summary>
    /// After a merge this node started for another node ends in a ring without that node (a
    /// third node that cannot hear it, say), the next attempt waits, eight times longer each time
    /// up to a minute, so that a link that works for some pairs only does not keep the ring reforming.
    /// </summary>
    private void NoteMergeOutcome(RingContext ring, long now)
    {
        var trigger = _mergeTrigger;
        _mergeTrigger = NodeId.None;
        if (trigger.IsNone)
        {
            return;
        }

        if (ring.IsMember(trigger))
        {
            _mergeBackoff.Remove(trigger);
            return;
        }

        long step = _mergeBackoff.TryGetValue(trigger, out var previous) ? Math.Min(previous.Step * 8, 60_000_000) : _settings.MergeDetectMicros;
        if (_mergeBackoff.Count < MaxKnownNodes || _mergeBackoff.ContainsKey(trigger))
        {
            _mergeBackoff[trigger] = (now + step, step);
        }
    }

    private bool IsMergeBackingOff(NodeId node, long now) =>
        _mergeBackoff.TryGetValue(node, out var backoff) && now < backoff.Until;

    /// <summary>This node's ring, ring sequence and settings, as a merge-detect datagram in the scratch buffer.</summary>
    private ReadOnlySpan<byte> WriteMergeDetect()
    {
        int length = PacketHeader.Size + MergeDetectMessage.BodySize;
        var datagram = _scratch.AsSpan(0, length);
        new PacketHeader(PacketType.MergeDetect, 0, length, _self, Ring).Write(datagram);
        MergeDetectMessage.Write(datagram[PacketHeader.Size..], _ringSeqSeen, _settingsBlock);
        return datagram;
    }

    private void ReportMerge(NodeId other) =>
        _host.Notify(new RingEvent(
            RingEventKind.MergeDetected,
            other,
            $"Node {_host.Describe(_self)} hears {_host.Describe(other)}, which is not in its ring {Ring}: the rings merge."));

    private void OnLeave(in PacketHeader header, long now)
    {
        var sender = header.Sender;
        switch (_state)
        {
            case MembershipState.Operational when _ring!.IsMember(sender) && header.Ring == _ring.Id:
                Counters.MembershipMessage();
                _host.Notify(new RingEvent(RingEventKind.MemberLeft, sender, $"Node {_host.Describe(sender)} left ring {_ring.Id}."));
                EnterGatherFromRing(now, failed: sender);
                break;
            case MembershipState.Gather or MembershipState.Commit or MembershipState.Recovery when _procSet.Contains(sender) && !_failSet.Contains(sender):
                Counters.MembershipMessage();
                _failSet.Add(sender);
                RestartGather(now);
                CheckConsensus(now);
                break;
            default:
                Counters.Drop(DropReason.Unexpected);
                break;
        }
    }

    /// <summary>
    /// False (and reported once per peer and setting, both here and, by a reply, at the peer) when
    /// the peer's ring settings differ from this node's.
    /// </summary>
    private bool CheckSettings(NodeId peer, in SettingsBlock theirs, long now)
    {
        var difference = _settingsBlock.FirstDifference(theirs);
        if (difference is null)
        {
            return true;
        }

        Counters.Drop(DropReason.BadField);
        if (_reportedSettings.Count < MaxReportedPeers && _reportedSettings.Add((peer, difference.Setting)))
        {
            _host.Notify(new RingEvent(
                RingEventKind.SettingsMismatch,
                peer,
                $"Node {_host.Describe(peer)} has {difference.Setting} = {difference.Theirs}, but this node ({_host.Describe(_self)}) has {difference.Mine}: the two will not form a ring. Fix: {difference.Fix}.",
                difference));
        }

        // Tell the peer our settings, at most once a second, so that it reports the mismatch too.
        if (_lastMismatchReply.Count < MaxReportedPeers
            && (!_lastMismatchReply.TryGetValue(peer, out long last) || now - last >= 1_000_000))
        {
            _lastMismatchReply[peer] = now;
            _host.Send(peer, WriteMergeDetect());
        }

        return false;
    }

    private void NoteHeard(NodeId node, long now, JoinMessage? join)
    {
        if (_lastHeard.Count < MaxKnownNodes || _lastHeard.ContainsKey(node))
        {
            _lastHeard[node] = now;
        }

        if (join is not null && _joinsThisGather.Count < MaxKnownNodes)
        {
            bool hearsMe = join.ProcSet.Contains(_self) && !join.FailSet.Contains(_self);
            _joinsThisGather[node] = hearsMe;
            if (hearsMe)
            {
                _oneWaySuspects.Remove(node);
            }
        }
    }

    /// <summary>
    /// A node that did not agree although this node kept hearing it, and whose joins never showed
    /// it hears this node, has a one-way link to it: keep it out until it proves otherwise (a join
    /// of its that lists this node), so the ring does not reform again and again.
    /// </summary>
    private void SuspectOneWayIfHeard(NodeId node, long now)
    {
        bool heard = _lastHeard.TryGetValue(node, out long last) && last >= _gatherStarted;
        bool hearsMe = _joinsThisGather.TryGetValue(node, out bool listed) && listed;
        if (!heard || hearsMe || _oneWaySuspects.Count >= MaxKnownNodes)
        {
            return;
        }

        bool known = _oneWaySuspects.ContainsKey(node);
        _oneWaySuspects[node] = now + _settings.OneWaySuspicionMicros;
        if (!known)
        {
            _host.Notify(new RingEvent(
                RingEventKind.OneWayLink,
                node,
                $"One-way link: {_host.Describe(_self)} hears {_host.Describe(node)}, but {_host.Describe(node)} does not hear {_host.Describe(_self)}. {_host.Describe(node)} is kept out of this node's ring until packets flow both ways; check firewalls and routes between the two."));
        }
    }

    private bool IsSuspectedOneWay(NodeId node, long now)
    {
        if (!_oneWaySuspects.TryGetValue(node, out long until))
        {
            return false;
        }

        if (now < until)
        {
            return true;
        }

        _oneWaySuspects.Remove(node);
        return false;
    }
}
