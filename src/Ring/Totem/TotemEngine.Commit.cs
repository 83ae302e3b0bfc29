using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Totem;

/// <summary>
/// Commit: the representative's commit token names the new ring and circulates twice; on the first
/// pass every member writes what it has of its old ring, on the second every member learns it all
/// and enters recovery. The representative then starts the new ring's regular token.
/// </summary>
public sealed partial class TotemEngine
{
    private readonly CommitToken _commit = new();
    private readonly CommitToken _incomingCommit = new();
    private byte[] _commitBytes = [];
    private int _commitLength;
    private RingId _commitRing;
    private NodeId[] _commitMembers = [];
    private bool _commitRetransmitPending;

    private void CreateCommitToken(long now)
    {
        var members = _procSet.Where(n => !_failSet.Contains(n)).ToArray();
        ulong sequence = Math.Max(_ringSeqSeen, Ring.Sequence) + 4;
        _ringSeqSeen = sequence;
        _host.SaveRingSequence(sequence);
        _commit.TokenSeq = 0;
        _commit.Hops = 0;
        _commit.Entries.Clear();
        foreach (var member in members)
        {
            _commit.Entries.Add(new CommitEntry(member, default, 0, 0, 0, false));
        }

        BeginCommit(new RingId(_self, sequence), members, now);
        VisitCommitToken(now);
    }

    private void BeginCommit(RingId ring, NodeId[] members, long now)
    {
        _state = MembershipState.Commit;
        _commitRing = ring;
        _commitMembers = members;
        _ringSeqSeen = Math.Max(_ringSeqSeen, ring.Sequence);
        _host.SetTimer(TimerKind.Join, TimerKinds.Disarmed);
        _host.SetTimer(TimerKind.Consensus, TimerKinds.Disarmed);
        _host.SetTimer(TimerKind.TokenLoss, now + _settings.TokenLossMicros);
    }

    private void OnCommitToken(in PacketHeader header, ReadOnlySpan<byte> body, long now)
    {
        var token = _incomingCommit;
        if (!token.TryRead(body, out var reason))
        {
            Counters.Drop(reason);
            return;
        }

        int members = token.Entries.Count;
        if (header.Ring.Representative != token.Entries[0].Node || IndexOf(token, _self) < 0 || IndexOf(token, header.Sender) < 0)
        {
            Counters.Drop(DropReason.BadField);
            return;
        }

        bool accepted = _state switch
        {
            MembershipState.Gather => token.Hops < members && MatchesActiveSet(token) && header.Ring.Sequence > Ring.Sequence,
            MembershipState.Commit => header.Ring == _commitRing && token.TokenSeq > _commit.TokenSeq,
            MembershipState.Recovery => header.Ring == _commitRing && token.TokenSeq > _commit.TokenSeq && _self == _commitRing.Representative && token.Hops == 2 * members,
            _ => false,
        };
        if (!accepted)
        {
            Counters.Drop(DropReason.Unexpected);
            return;
        }

        Counters.MembershipMessage();
        CopyCommit(token);
        if (_state == MembershipState.Gather)
        {
            BeginCommit(header.Ring, [.. token.Entries.Select(e => e.Node)], now);
        }

        VisitCommitToken(now);
    }

    private bool MatchesActiveSet(CommitToken token)
    {
        int i = 0;
        foreach (var node in _procSet)
        {
            if (_failSet.Contains(node))
            {
                continue;
            }

            if (i >= token.Entries.Count || token.Entries[i++].Node != node)
            {
                return false;
            }
        }

        return i == token.Entries.Count;
    }

    private static int IndexOf(CommitToken token, NodeId node)
    {
        for (int i = 0; i < token.Entries.Count; i++)
        {
            if (token.Entries[i].Node == node)
            {
                return i;
            }
        }

        return -1;
    }

    private void CopyCommit(CommitToken from)
    {
        _commit.TokenSeq = from.TokenSeq;
        _commit.Hops = from.Hops;
        _commit.Entries.Clear();
        _commit.Entries.AddRange(from.Entries);
    }

    /// <summary>The commit token is at this node: fill, enter recovery or start the ring, and pass it on.</summary>
    private void VisitCommitToken(long now)
    {
        while (true)
        {
            int members = _commit.Entries.Count;
            if (_commit.Hops < members)
            {
                int index = IndexOf(_commit, _self);
                var old = _ring;
                _commit.Entries[index] = new CommitEntry(
                    _self, old?.Id ?? default, old?.MyAru ?? 0, old?.HighestSeen ?? 0, old?.SafeUpTo ?? 0, true);
            }
            else if (_commit.Hops == 2 * members)
            {
                // Back at the representative after both passes: every member is recovering.
                _commitRetransmitPending = false;
                CancelTokenRetransmit();
                _token.Reset();
                ProcessTokenVisit(now);
                return;
            }
            else if (_state == MembershipState.Commit)
            {
                EnterRecovery(now);
            }

            _commit.Hops++;
            _commit.TokenSeq++;
            var next = _commitMembers[(Array.IndexOf(_commitMembers, _self) + 1) % members];
            if (next == _self)
            {
                // A ring of one: the token comes straight back.
                continue;
            }

            SendCommitToken(next, now);
            return;
        }
    }

    private void SendCommitToken(NodeId next, long now)
    {
        int length = PacketHeader.Size + _commit.BodySize;
        if (_commitBytes.Length < length)
        {
            _commitBytes = new byte[length];
        }

        var datagram = _commitBytes.AsSpan(0, length);
        new PacketHeader(PacketType.CommitToken, 0, length, _self, _commitRing).Write(datagram);
        _commit.Write(datagram[PacketHeader.Size..]);
        _commitLength = length;
        _host.Send(next, datagram);
        _commitRetransmitPending = true;
        _host.SetTimer(TimerKind.TokenRetransmit, now + _settings.TokenRetransmitMicros);
    }

    private void RetransmitCommitToken(long now)
    {
        if (!_commitRetransmitPending || _commitLength == 0)
        {
            return;
        }

        var next = _commitMembers[(Array.IndexOf(_commitMembers, _self) + 1) % _commitMembers.Length];
        Counters.TokenRetransmitted();
        _host.Send(next, _commitBytes.AsSpan(0, _commitLength));
        _host.SetTimer(TimerKind.TokenRetransmit, now + _settings.TokenRetransmitMicros);
    }
}
