using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Totem;

/// <summary>Token handling: a visit of the regular token at this node, in Operational or Recovery.</summary>
public sealed partial class TotemEngine
{
    private readonly RegularToken _incomingToken;
    private readonly RegularToken _token;
    private byte[] _forwardedToken = [];
    private int _forwardedTokenLength;
    private long _forwardedSeq;
    private long _lastTokenSeq = -1;
    private long _seqAtPreviousVisit;
    private long _aruAtPreviousVisit;
    private int _sentLastVisit;
    private int _backlogLastVisit;
    private bool _retransmitArmed;
    private bool _holding;
    private bool _holdCancelRequested;
    private bool _holdCancelSent;
    private bool _tokenMayBeHeld;
    private NodeId _stuckAruId;
    private int _stuckAruVisits;
    private long _stuckSince;

    /// <summary>The ring the regular token circulates on now: the regular ring, or the one being formed.</summary>
    private RingContext? TokenRing => _state switch
    {
        MembershipState.Operational => _ring,
        MembershipState.Recovery => _forming,
        _ => null,
    };

    /// <summary>Idle visits after which the representative holds the token: two rotations, so safe delivery completes first.</summary>
    private static int HoldThreshold(RingContext ring) => 2 * ring.Members.Length;

    /// <summary>Forgets the previous ring's token: a new ring starts its token from scratch.</summary>
    private void ResetTokenState()
    {
        _token.Reset();
        _forwardedTokenLength = 0;
        _forwardedSeq = 0;
        _lastTokenSeq = -1;
        _seqAtPreviousVisit = 0;
        _aruAtPreviousVisit = 0;
        _sentLastVisit = 0;
        _backlogLastVisit = 0;
        _holding = false;
        _holdCancelRequested = false;
        _holdCancelSent = false;
        _tokenMayBeHeld = false;
        _stuckAruId = NodeId.None;
        _stuckAruVisits = 0;
        CancelTokenRetransmit();
        _host.SetTimer(TimerKind.TokenHold, TimerKinds.Disarmed);
    }

    private void OnToken(in PacketHeader header, ReadOnlySpan<byte> body, long now)
    {
        var ring = TokenRing;
        if (ring is null || header.Ring != ring.Id || !ring.IsMember(header.Sender))
        {
            OnForeignPacket(header, now);
            return;
        }

        if (!_incomingToken.TryRead(body, out var reason))
        {
            Counters.Drop(reason);
            return;
        }

        if (_incomingToken.TokenSeq <= _lastTokenSeq)
        {
            Counters.Drop(DropReason.StaleToken);
            return;
        }

        // A newer token numbers at least every packet sent before it; one that does not is forged or corrupt.
        if (_incomingToken.Seq < ring.HighestSeen || _incomingToken.Seq < _token.Seq)
        {
            Counters.Drop(DropReason.BadField);
            return;
        }

        if (_holding)
        {
            // A newer token while this node holds one cannot happen on a healthy ring.
            Counters.Drop(DropReason.Unexpected);
            return;
        }

        Counters.TokenReceived();
        _commitRetransmitPending = false;
        _lastTokenSeq = _incomingToken.TokenSeq;
        _token.CopyFrom(_incomingToken);
        CancelTokenRetransmit();
        _host.SetTimer(TimerKind.TokenLoss, now + _settings.TokenLossMicros);

        if (ShouldHold(ring))
        {
            _holding = true;
            _host.SetTimer(TimerKind.TokenHold, now + _settings.TokenHoldMicros);
            return;
        }

        ProcessTokenVisit(now);
    }

    private bool ShouldHold(RingContext ring) =>
        _state == MembershipState.Operational
        && _self == ring.Id.Representative
        && _token.IdleVisits >= HoldThreshold(ring)
        && _outbound.IsEmpty
        && !_holdCancelRequested;

    private void OnHoldCancel(in PacketHeader header, long now)
    {
        if (_state != MembershipState.Operational || _ring is null || header.Ring != _ring.Id || _self != _ring.Id.Representative || !_ring.IsMember(header.Sender))
        {
            Counters.Drop(DropReason.Unexpected);
            return;
        }

        if (_holding)
        {
            ReleaseHeldToken(now);
        }
        else
        {
            _holdCancelRequested = true;
        }
    }

    private void ReleaseHeldToken(long now)
    {
        if (!_holding)
        {
            return;
        }

        _holding = false;
        _host.SetTimer(TimerKind.TokenHold, TimerKinds.Disarmed);
        _host.SetTimer(TimerKind.TokenLoss, now + _settings.TokenLossMicros);
        ProcessTokenVisit(now);
    }

    private void ProcessTokenVisit(long now)
    {
        var ring = TokenRing!;
        var token = _token;
        _holdCancelRequested = false;
        _holdCancelSent = false;

        int retransmitted = AnswerRetransmitRequests(ring, token);
        int sent;
        int backlog;
        if (_state == MembershipState.Recovery)
        {
            sent = SendRecoveryPackets(ring, token, retransmitted);
            backlog = _recoveryQueue.Count;
        }
        else
        {
            backlog = _outbound.PendingPackets;
            int allowed = FlowControl.AllowedNewPackets(
                _settings, token.Fcc, token.Backlog, backlog, _backlogLastVisit, retransmitted, token.Seq, token.Aru);
            sent = SendNewPackets(ring, token, allowed);
            backlog = _outbound.PendingPackets;
        }

        int sentThisVisit = retransmitted + sent;
        token.Fcc = Math.Max(0, token.Fcc + sentThisVisit - _sentLastVisit);
        _sentLastVisit = sentThisVisit;
        token.Backlog = Math.Max(0, token.Backlog + backlog - _backlogLastVisit);
        _backlogLastVisit = backlog;

        RequestMissing(ring, token);
        UpdateAru(ring, token);
        bool failedToReceive = DetectFailureToReceive(token, now);

        long safe = Math.Min(token.Aru, _aruAtPreviousVisit);
        _aruAtPreviousVisit = token.Aru;
        if (safe > ring.SafeUpTo)
        {
            ring.SafeUpTo = safe;
        }

        bool idle = sentThisVisit == 0 && backlog == 0 && token.RetransmitCount == 0 && token.Aru == token.Seq;
        token.IdleVisits = idle ? token.IdleVisits + 1 : 0;
        _tokenMayBeHeld = token.IdleVisits >= ring.Members.Length;

        bool installNow = _state == MembershipState.Recovery && TrackRecoveryProgress(ring, token);
        ForwardToken(ring, token, now);
        if (failedToReceive)
        {
            EnterGatherFromRing(now, failed: _stuckAruId);
            return;
        }

        if (installNow)
        {
            InstallFormingRing(now);
            return;
        }

        if (_state == MembershipState.Operational)
        {
            DeliverReady(ring);
        }
        else
        {
            ConsumeRecoveredPrefix(ring);
        }

        ring.Store.FreeUpTo(Math.Min(ring.SafeUpTo, ring.DeliveredUpTo));
        Counters.ReceiveWindowUsed(ring.HighestSeen - ring.Store.FreedUpTo);
    }

    private int AnswerRetransmitRequests(RingContext ring, RegularToken token)
    {
        int answered = 0;
        int kept = 0;
        var requests = token.RetransmitRequestsMutable;
        for (int i = 0; i < requests.Length; i++)
        {
            long seq = requests[i];
            if (answered < _settings.MaxPacketsPerVisit && ring.Store.TryGetBuffer(seq, out var buffer, out int length))
            {
                Broadcast(ring, buffer, length);
                Counters.PacketRetransmitted();
                answered++;
            }
            else
            {
                requests[kept++] = seq;
            }
        }

        token.TruncateRetransmitRequests(kept);
        return answered;
    }

    /// <summary>
    /// Sends up to <paramref name="allowed"/> new packets, but always every fragment of a message
    /// once its first is sent (so a message never straddles two rings), and never beyond what the
    /// slowest member's receive window can hold.
    /// </summary>
    private int SendNewPackets(RingContext ring, RegularToken token, int allowed)
    {
        int sent = 0;
        bool continuing = false;
        while (continuing || sent < allowed)
        {
            if (!continuing)
            {
                int following = _outbound.PeekFollowingFragments();
                long last = token.Seq + 1 + Math.Max(following, 0);
                if (following < 0 || !ring.Store.InWindow(last) || last > token.Aru + (_settings.ReceiveWindow / 2))
                {
                    break;
                }
            }

            if (!_outbound.TryTake(out var packet))
            {
                break;
            }

            long seq = token.Seq + 1;
            var datagram = packet.Buffer.AsSpan(0, packet.Length);
            new PacketHeader(PacketType.Data, 0, packet.Length, _self, ring.Id).Write(datagram);
            DataPacket.WriteBody(datagram, seq, packet.EntryCount);
            StoreOwnPacket(ring, token, seq, packet.Buffer, packet.Length);
            Counters.PacketSent();
            sent++;
            continuing = packet.FollowingFragments > 0;
        }

        return sent;
    }

    private void StoreOwnPacket(RingContext ring, RegularToken token, long seq, byte[] buffer, int length)
    {
        if (!ring.TryStore(seq, buffer, length))
        {
            // The window was checked and the token numbers above everything held: a broken invariant.
            throw new InvalidOperationException($"Packet {seq} of ring {ring.Id} cannot be stored (freed up to {ring.Store.FreedUpTo}, window {ring.Store.Capacity}, aru {ring.MyAru}, highest seen {ring.HighestSeen}, state {_state}).");
        }

        token.Seq = seq;
        Broadcast(ring, buffer, length);
    }

    /// <summary>
    /// Asks for what this node misses, but only packets numbered at or below the token's seq at its
    /// previous visit: those have had a whole rotation to arrive, so a request is not raced by a
    /// packet still in flight.
    /// </summary>
    private void RequestMissing(RingContext ring, RegularToken token)
    {
        long upper = Math.Min(token.Seq, _seqAtPreviousVisit);
        for (long seq = ring.MyAru + 1; seq <= upper && token.RetransmitCount < token.RetransmitCapacity; seq++)
        {
            if (!ring.Store.Contains(seq))
            {
                token.TryAddRetransmitRequest(seq);
            }
        }

        _seqAtPreviousVisit = token.Seq;
    }

    private void UpdateAru(RingContext ring, RegularToken token)
    {
        if (ring.MyAru < token.Aru || token.AruId == _self || token.AruId.IsNone)
        {
            token.Aru = ring.MyAru;
            token.AruId = ring.MyAru == token.Seq ? NodeId.None : _self;
        }
    }

    /// <summary>
    /// Totem's fail-to-receive rule, applied by the others (as in the paper): a member that has
    /// held the token's aru down, unchanged, for too many rotations, and for at least a token-loss
    /// timeout (rotations are fast on a quiet LAN), keeps missing a message it keeps asking for,
    /// and is removed from the ring.
    /// </summary>
    private bool DetectFailureToReceive(RegularToken token, long now)
    {
        if (token.AruId.IsNone || token.AruId == _self || token.Aru != _aruAtPreviousVisit || token.AruId != _stuckAruId)
        {
            _stuckAruId = token.AruId;
            _stuckAruVisits = 0;
            _stuckSince = now;
            return false;
        }

        if (++_stuckAruVisits < _settings.FailToReceiveRotations || now - _stuckSince < _settings.TokenLossMicros)
        {
            return false;
        }

        _host.Notify(new RingEvent(
            RingEventKind.FailedToReceive,
            _stuckAruId,
            $"Node {_host.Describe(_stuckAruId)} has kept missing packet {token.Aru + 1} for {_stuckAruVisits} token rotations ({(now - _stuckSince) / 1000} ms) although others have it: it is removed from the ring (check its network path and receive buffers)."));
        return true;
    }

    private void ForwardToken(RingContext ring, RegularToken token, long now)
    {
        // _lastTokenSeq keeps the value received: the next token numbers at least one more than
        // what is sent here, and on a one-node ring it is this very token coming back.
        token.TokenSeq++;
        int length = PacketHeader.Size + token.BodySize;
        if (_forwardedToken.Length < length)
        {
            _forwardedToken = new byte[PacketHeader.Size + RegularToken.FixedBodySize + (8 * token.RetransmitCapacity)];
        }

        var datagram = _forwardedToken.AsSpan(0, length);
        new PacketHeader(PacketType.Token, 0, length, _self, ring.Id).Write(datagram);
        token.Write(datagram[PacketHeader.Size..]);
        _forwardedTokenLength = length;
        _forwardedSeq = token.Seq;
        _host.Send(ring.Next, datagram);

        // The representative may hold an idle token for up to the hold time: do not call that a loss.
        bool nextMayHold = ring.Next == ring.Id.Representative && token.IdleVisits >= HoldThreshold(ring);
        long wait = _settings.TokenRetransmitMicros + (nextMayHold ? _settings.TokenHoldMicros : 0);
        _retransmitArmed = true;
        _host.SetTimer(TimerKind.TokenRetransmit, now + wait);
    }

    private void CancelTokenRetransmit()
    {
        if (_retransmitArmed)
        {
            _retransmitArmed = false;
            _host.SetTimer(TimerKind.TokenRetransmit, TimerKinds.Disarmed);
        }
    }

    private void OnTokenRetransmitTimeout(long now)
    {
        if (_state == MembershipState.Commit || (_state == MembershipState.Recovery && _commitRetransmitPending))
        {
            RetransmitCommitToken(now);
            return;
        }

        var ring = TokenRing;
        if (!_retransmitArmed || _forwardedTokenLength == 0 || ring is null)
        {
            return;
        }

        Counters.TokenRetransmitted();
        _host.Send(ring.Next, _forwardedToken.AsSpan(0, _forwardedTokenLength));
        _host.SetTimer(TimerKind.TokenRetransmit, now + _settings.TokenRetransmitMicros);
    }

    private void OnTokenLossTimeout(long now)
    {
        Counters.TokenLost();
        switch (_state)
        {
            case MembershipState.Operational:
                _host.Notify(new RingEvent(
                    RingEventKind.TokenLost,
                    NodeId.None,
                    $"Node {_host.Describe(_self)}: the token of ring {_ring!.Id} did not come back within {_settings.TokenLossMicros / 1000} ms: a member failed or the network dropped it; forming a new ring."));
                EnterGatherFromRing(now, failed: NodeId.None);
                break;
            case MembershipState.Commit or MembershipState.Recovery:
                RestartGather(now);
                CheckConsensus(now);
                break;
            default:
                break;
        }
    }
}
