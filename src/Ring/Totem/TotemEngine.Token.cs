using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Totem;

/// <summary>Token handling: a visit of the regular token at this node.</summary>
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

    /// <summary>Idle visits after which the representative holds the token: two rotations, so safe delivery completes first.</summary>
    private int HoldThreshold => 2 * _members.Length;

    private void OnToken(ReadOnlySpan<byte> body, long now)
    {
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
        if (_incomingToken.Seq < _highestSeen || _incomingToken.Seq < _token.Seq)
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
        _lastTokenSeq = _incomingToken.TokenSeq;
        _token.CopyFrom(_incomingToken);
        CancelTokenRetransmit();
        _host.SetTimer(TimerKind.TokenLoss, now + _settings.TokenLossMicros);

        if (ShouldHold())
        {
            _holding = true;
            _host.SetTimer(TimerKind.TokenHold, now + _settings.TokenHoldMicros);
            return;
        }

        ProcessTokenVisit(now);
    }

    private bool ShouldHold() =>
        _self == _ring.Representative
        && _token.IdleVisits >= HoldThreshold
        && _outbound.IsEmpty
        && !_holdCancelRequested;

    private void OnHoldCancel(long now)
    {
        if (_self != _ring.Representative)
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
        var token = _token;
        _holdCancelRequested = false;
        _holdCancelSent = false;

        int retransmitted = AnswerRetransmitRequests(token);
        int backlog = _outbound.PendingPackets;
        int allowed = FlowControl.AllowedNewPackets(
            _settings, token.Fcc, token.Backlog, backlog, _backlogLastVisit, retransmitted, token.Seq, token.Aru);
        int sent = SendNewPackets(token, allowed);

        int sentThisVisit = retransmitted + sent;
        token.Fcc = Math.Max(0, token.Fcc + sentThisVisit - _sentLastVisit);
        _sentLastVisit = sentThisVisit;
        backlog = _outbound.PendingPackets;
        token.Backlog = Math.Max(0, token.Backlog + backlog - _backlogLastVisit);
        _backlogLastVisit = backlog;

        RequestMissing(token);
        UpdateAru(token);

        long safe = Math.Min(token.Aru, _aruAtPreviousVisit);
        _aruAtPreviousVisit = token.Aru;
        if (safe > _safeUpTo)
        {
            _safeUpTo = safe;
        }

        bool idle = sentThisVisit == 0 && backlog == 0 && token.RetransmitCount == 0 && token.Aru == token.Seq;
        token.IdleVisits = idle ? token.IdleVisits + 1 : 0;
        _tokenMayBeHeld = token.IdleVisits >= _members.Length;

        ForwardToken(token, now);
        DeliverReady();
        _store.FreeUpTo(Math.Min(_safeUpTo, _deliveredUpTo));
    }

    private int AnswerRetransmitRequests(RegularToken token)
    {
        int answered = 0;
        int kept = 0;
        var requests = token.RetransmitRequestsMutable;
        for (int i = 0; i < requests.Length; i++)
        {
            long seq = requests[i];
            if (answered < _settings.MaxPacketsPerVisit && _store.TryGet(seq, out var datagram))
            {
                Broadcast(datagram);
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

    private int SendNewPackets(RegularToken token, int allowed)
    {
        int sent = 0;
        while (sent < allowed && _store.InWindow(token.Seq + 1) && _outbound.TryTake(out var packet))
        {
            long seq = token.Seq + 1;
            var datagram = packet.Buffer.AsSpan(0, packet.Length);
            new PacketHeader(PacketType.Data, 0, packet.Length, _self, _ring).Write(datagram);
            DataPacket.WriteBody(datagram, seq, packet.EntryCount);
            if (!_store.TryAdd(seq, packet.Buffer, packet.Length))
            {
                // The window was checked and the token numbers above everything held: a broken invariant.
                throw new InvalidOperationException($"Packet {seq} is already held (freed up to {_store.FreedUpTo}, highest seen {_highestSeen}).");
            }

            token.Seq = seq;
            Broadcast(datagram);
            Counters.PacketSent();
            sent++;
            AdvanceAru();
        }

        return sent;
    }

    /// <summary>
    /// Asks for what this node misses, but only packets numbered at or below the token's seq at its
    /// previous visit: those have had a whole rotation to arrive, so a request is not raced by a
    /// packet still in flight.
    /// </summary>
    private void RequestMissing(RegularToken token)
    {
        long upper = Math.Min(token.Seq, _seqAtPreviousVisit);
        for (long seq = _myAru + 1; seq <= upper && token.RetransmitCount < token.RetransmitCapacity; seq++)
        {
            if (!_store.Contains(seq))
            {
                token.TryAddRetransmitRequest(seq);
            }
        }

        _seqAtPreviousVisit = token.Seq;
    }

    private void UpdateAru(RegularToken token)
    {
        if (_myAru < token.Aru || token.AruId == _self || token.AruId.IsNone)
        {
            token.Aru = _myAru;
            token.AruId = _myAru == token.Seq ? NodeId.None : _self;
        }
    }

    private void ForwardToken(RegularToken token, long now)
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
        new PacketHeader(PacketType.Token, 0, length, _self, _ring).Write(datagram);
        token.Write(datagram[PacketHeader.Size..]);
        _forwardedTokenLength = length;
        _forwardedSeq = token.Seq;
        _host.Send(_next, datagram);

        // The representative may hold an idle token for up to the hold time: do not call that a loss.
        bool nextMayHold = _next == _ring.Representative && token.IdleVisits >= HoldThreshold;
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
        if (!_retransmitArmed || _forwardedTokenLength == 0)
        {
            return;
        }

        Counters.TokenRetransmitted();
        _host.Send(_next, _forwardedToken.AsSpan(0, _forwardedTokenLength));
        _host.SetTimer(TimerKind.TokenRetransmit, now + _settings.TokenRetransmitMicros);
    }

    private void OnTokenLossTimeout(long now)
    {
        // Without membership (a later stage) a static ring can only wait for the token to come
        // back: the node that last forwarded it keeps retransmitting it.
        Counters.TokenLost();
        _host.SetTimer(TimerKind.TokenLoss, now + _settings.TokenLossMicros);
    }
}
