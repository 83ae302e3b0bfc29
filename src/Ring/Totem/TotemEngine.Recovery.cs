using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Totem;

/// <summary>
/// Recovery and extended virtual synchrony. The members that move together from an old ring
/// re-send, on the new ring, the old ring's packets some of them miss; once every member of the
/// new ring has all of them, each node delivers: what the old regular configuration still allows,
/// the transitional configuration, the rest (after a hole only from transitional members), and
/// the new regular configuration.
/// </summary>
public sealed partial class TotemEngine
{
    private readonly Queue<long> _recoveryQueue = new();
    private readonly HashSet<NodeId> _transitional = [];
    private long _maxOldSafe;
    private int _quietVisits;
    private long _installSeq = -1;

    private void EnterRecovery(long now)
    {
        _state = MembershipState.Recovery;
        ResetTokenState();
        _host.SetTimer(TimerKind.TokenLoss, now + _settings.TokenLossMicros);
        _forming?.Release();
        _forming = new RingContext(_commitRing, _commitMembers, _self, _settings.ReceiveWindow, _pool);
        _recoveryQueue.Clear();
        _transitional.Clear();
        _quietVisits = 0;
        _installSeq = -1;
        _maxOldSafe = 0;

        var old = _ring;
        if (old is null)
        {
            return;
        }

        long lowAru = long.MaxValue;
        foreach (var entry in _commit.Entries)
        {
            if (entry.OldRing == old.Id)
            {
                _transitional.Add(entry.Node);
                lowAru = Math.Min(lowAru, entry.OldAru);
                _maxOldSafe = Math.Max(_maxOldSafe, entry.OldSafe);
            }
        }

        for (long seq = Math.Max(lowAru, old.Store.FreedUpTo) + 1; seq <= old.HighestSeen; seq++)
        {
            if (old.Store.Contains(seq) && IsDesignatedResender(old.Id, seq))
            {
                _recoveryQueue.Enqueue(seq);
            }
        }
    }

    /// <summary>
    /// One member re-sends a packet that some member surely has: the lowest id whose old aru covers
    /// it. A packet above every aru is re-sent by every member that has it.
    /// </summary>
    private bool IsDesignatedResender(RingId oldRing, long seq)
    {
        foreach (var entry in _commit.Entries)
        {
            if (entry.OldRing == oldRing && entry.OldAru >= seq)
            {
                return entry.Node == _self;
            }
        }

        return true;
    }

    private int SendRecoveryPackets(RingContext ring, RegularToken token, int retransmitted)
    {
        var old = _ring;
        int allowed = FlowControl.AllowedNewPackets(
            _settings, token.Fcc, token.Backlog, _recoveryQueue.Count, _backlogLastVisit, retransmitted, token.Seq, token.Aru);
        int sent = 0;
        while (sent < allowed && old is not null && ring.Store.InWindow(token.Seq + 1) && _recoveryQueue.TryDequeue(out long oldSeq))
        {
            if (!old.Store.TryGet(oldSeq, out var inner))
            {
                continue;
            }

            var buffer = _pool.Rent();
            int length = DataPacket.EntriesOffset + inner.Length;
            long seq = token.Seq + 1;
            var datagram = buffer.AsSpan(0, length);
            new PacketHeader(PacketType.Data, DataPacket.RecoveredFlag, length, _self, ring.Id).Write(datagram);
            DataPacket.WriteBody(datagram, seq, 0);
            inner.CopyTo(datagram[DataPacket.EntriesOffset..]);
            StoreOwnPacket(ring, token, seq, buffer, length);
            Counters.PacketSent();
            sent++;
        }

        return sent;
    }

    /// <summary>
    /// Counts the recovered packets at the head of the new ring as delivered (their content went to
    /// the old ring's store when they arrived), so that, once safe, they are freed and recovery of
    /// more than a receive window of old packets does not stall. Application packets that members
    /// already operational send stop it: they are delivered after the new ring is installed.
    /// </summary>
    private static void ConsumeRecoveredPrefix(RingContext ring)
    {
        while (ring.DeliveredUpTo < ring.MyAru
            && ring.Store.TryGet(ring.DeliveredUpTo + 1, out var datagram)
            && DataPacket.IsRecovered(datagram))
        {
            CompletePacket(ring, ring.DeliveredUpTo + 1);
        }
    }

    /// <summary>Stores an old-ring packet carried by the new ring, if it is of this node's old ring.</summary>
    private void UnwrapRecovered(ReadOnlySpan<byte> datagram)
    {
        var old = _ring;
        if (old is null || !DataPacket.IsRecovered(datagram))
        {
            return;
        }

        var inner = DataPacket.RecoveredInner(datagram);
        PacketHeader.TryRead(inner, inner.Length, out var header, out _);
        long seq = DataPacket.ReadSeq(inner);
        if (header.Ring != old.Id || !old.IsMember(header.Sender) || seq <= old.MyAru || old.Store.Contains(seq) || !old.Store.InWindow(seq))
        {
            return;
        }

        var copy = _pool.Rent();
        inner.CopyTo(copy);
        old.TryStore(seq, copy, inner.Length);
    }

    /// <summary>
    /// Called at each recovery visit after the aru update: decides when the new ring may be installed.
    /// The token names the last node that still had packets to re-send; once a whole rotation passes
    /// with nobody, every recovery packet is numbered, and once they are all safe on the new ring,
    /// every member has every old packet any of them will ever get.
    /// </summary>
    private bool TrackRecoveryProgress(RingContext ring, RegularToken token)
    {
        if (_recoveryQueue.Count > 0)
        {
            token.RecoveryOwner = _self;
        }
        else if (token.RecoveryOwner == _self)
        {
            token.RecoveryOwner = NodeId.None;
        }

        _quietVisits = token.RecoveryOwner.IsNone ? _quietVisits + 1 : 0;
        if (_installSeq < 0 && _quietVisits >= 2)
        {
            _installSeq = token.Seq;
        }

        return _installSeq >= 0 && ring.SafeUpTo >= _installSeq;
    }

    private void InstallFormingRing(long now)
    {
        var old = _ring;
        var forming = _forming!;
        if (old is not null)
        {
            // 1. What the old regular configuration still allows: up to the first hole, and safe
            //    messages only as far as some member that moves with this node saw them safe.
            old.SafeUpTo = Math.Max(old.SafeUpTo, Math.Min(_maxOldSafe, old.MyAru));
            DeliverReady(old);

            // 2. The transitional configuration, then 3. the rest of the old ring's messages.
            DeliverConfiguration(new ConfigurationChange(
                ConfigurationKind.Transitional, forming.Id, old.Id, [.. _transitional.Order()]));
            DeliverRemainingOld(old);
            old.Release();
        }

        _forming = null;
        InstallRegular(forming, old?.Id ?? default, now);
        DeliverReady(forming);
    }

    private void DeliverRemainingOld(RingContext old)
    {
        HashSet<NodeId>? filter = null;
        for (long seq = old.DeliveredUpTo + 1; seq <= old.HighestSeen; seq++)
        {
            if (!old.Store.TryGet(seq, out var datagram))
            {
                // A hole: later messages may depend on it, except those of members that moved with
                // this node (they re-sent all they had, so nothing of theirs is missing).
                filter = _transitional;
                CompletePacket(old, seq);
                continue;
            }

            DeliverPacket(old, seq, datagram, filter, evs: true);
            CompletePacket(old, seq);
        }
    }

    /// <summary>Enters Operational in <paramref name="ring"/> and delivers its regular configuration.</summary>
    private void InstallRegular(RingContext ring, RingId previous, long now)
    {
        _ring = ring;
        _state = MembershipState.Operational;
        _procSet.Clear();
        _failSet.Clear();
        _consensus.Clear();
        _recoveryQueue.Clear();
        _ringSeqSeen = Math.Max(_ringSeqSeen, ring.Id.Sequence);
        _host.SetTimer(TimerKind.Join, TimerKinds.Disarmed);
        _host.SetTimer(TimerKind.Consensus, TimerKinds.Disarmed);
        _host.SetTimer(TimerKind.TokenLoss, now + _settings.TokenLossMicros);
        _host.SetTimer(TimerKind.MergeDetect, now + _settings.MergeDetectMicros);
        NoteMergeOutcome(ring, now);
        DeliverConfiguration(new ConfigurationChange(ConfigurationKind.Regular, ring.Id, previous, ring.Members));
    }

    private void DeliverConfiguration(ConfigurationChange change)
    {
        Counters.ConfigurationDelivered(change.Kind);
        _host.DeliverConfiguration(change);
    }
}
