using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Totem;

/// <summary>Receiving data packets: storing them by sequence number and advancing this node's aru.</summary>
public sealed partial class TotemEngine
{
    private readonly PacketStore _store;
    private long _myAru;
    private long _highestSeen;

    /// <summary>Returns true when the store kept the buffer.</summary>
    private bool OnData(byte[] buffer, int length)
    {
        var datagram = buffer.AsSpan(0, length);
        if (!DataPacket.TryValidate(datagram, _settings.MaxMessageSize, out long seq, out var reason))
        {
            Counters.Drop(reason);
            return false;
        }

        if (seq <= _myAru || _store.Contains(seq))
        {
            Counters.Drop(DropReason.DuplicateData);
            return false;
        }

        if (!_store.TryAdd(seq, buffer, length))
        {
            Counters.Drop(DropReason.OutsideWindow);
            return false;
        }

        Counters.PacketReceived();
        if (seq > _highestSeen)
        {
            _highestSeen = seq;
        }

        // A packet numbered above the token we forwarded proves the token moved on.
        if (seq > _forwardedSeq)
        {
            CancelTokenRetransmit();
        }

        if (seq == _myAru + 1)
        {
            AdvanceAru();
            DeliverReady();
        }

        return true;
    }

    private void AdvanceAru()
    {
        while (_store.Contains(_myAru + 1))
        {
            _myAru++;
        }
    }
}
