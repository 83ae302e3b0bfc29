using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Totem;

/// <summary>Receiving data packets: storing them by sequence number and advancing this node's aru.</summary>
public sealed partial class TotemEngine
{
    /// <summary>Returns true when a store kept the buffer.</summary>
    private bool OnData(in PacketHeader header, byte[] buffer, int length, long now)
    {
        var ring = DataRingFor(header);
        if (ring is null)
        {
            OnForeignPacket(header, now);
            return false;
        }

        var datagram = buffer.AsSpan(0, length);
        if (!DataPacket.TryValidate(datagram, _settings.MaxMessageSize, out long seq, out var reason))
        {
            Counters.Drop(reason);
            return false;
        }

        if (seq <= ring.MyAru || ring.Store.Contains(seq))
        {
            Counters.Drop(DropReason.DuplicateData);
            return false;
        }

        if (!ring.TryStore(seq, buffer, length))
        {
            Counters.Drop(DropReason.OutsideWindow);
            return false;
        }

        Counters.PacketReceived();

        // A packet numbered above the token we forwarded proves the token moved on.
        if (ring == TokenRing && seq > _forwardedSeq)
        {
            CancelTokenRetransmit();
        }

        if (ring == _forming)
        {
            _commitRetransmitPending = false;
            UnwrapRecovered(datagram);
        }
        else if (_state != MembershipState.Recovery)
        {
            DeliverReady(ring);
        }

        return true;
    }

    /// <summary>
    /// The ring a data packet may be stored in: the token ring, or the old regular ring while a new
    /// one is gathered or committed (late packets still help recovery). During recovery the old
    /// ring's store is frozen: its missing packets arrive only through the new ring, so every
    /// member that moves from it ends up with exactly the same set.
    /// </summary>
    private RingContext? DataRingFor(in PacketHeader header)
    {
        var ring = _state switch
        {
            MembershipState.Operational or MembershipState.Gather or MembershipState.Commit => _ring,
            MembershipState.Recovery => _forming,
            _ => null,
        };
        return ring is not null && header.Ring == ring.Id && ring.IsMember(header.Sender) ? ring : null;
    }
}
