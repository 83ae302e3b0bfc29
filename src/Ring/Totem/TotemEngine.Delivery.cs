using System.Buffers.Binary;
using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Totem;

/// <summary>
/// Delivery in ring order: agreed messages once every lower sequence number is here, safe
/// messages once the token shows every member has them; fragments reassembled per sender.
/// </summary>
public sealed partial class TotemEngine
{
    private void DeliverReady(RingContext ring)
    {
        while (ring.DeliveredUpTo < ring.MyAru)
        {
            long seq = ring.DeliveredUpTo + 1;
            if (!ring.Store.TryGet(seq, out var datagram))
            {
                throw new InvalidOperationException($"Packet {seq} is below this node's aru ({ring.MyAru}) in ring {ring.Id} but not stored.");
            }

            if (!DeliverPacket(ring, seq, datagram, senderFilter: null, evs: false))
            {
                return;
            }

            CompletePacket(ring, seq);
        }
    }

    private static void CompletePacket(RingContext ring, long seq)
    {
        ring.DeliveredUpTo = seq;
        ring.CursorIndex = 0;
        ring.CursorOffset = 0;
    }

    /// <summary>
    /// Delivers the packet's entries from the cursor on; false when a safe message must wait.
    /// In the transitional configuration (<paramref name="evs"/>) safe messages no longer wait, and
    /// a <paramref name="senderFilter"/> (after a hole) keeps only the senders it accepts.
    /// </summary>
    private bool DeliverPacket(RingContext ring, long seq, ReadOnlySpan<byte> datagram, HashSet<NodeId>? senderFilter, bool evs)
    {
        if (DataPacket.IsRecovered(datagram))
        {
            // Carried an old ring's packet during recovery: nothing to deliver in this ring.
            return true;
        }

        var sender = new NodeId(BinaryPrimitives.ReadUInt64BigEndian(datagram[12..]));
        if (senderFilter is not null && !senderFilter.Contains(sender))
        {
            ring.ReassemblyOf(sender).Abandon();
            return true;
        }

        int count = DataPacket.ReadEntryCount(datagram);
        var reader = ring.CursorOffset == 0 ? new DataEntryReader(datagram) : new DataEntryReader(datagram, ring.CursorOffset);
        for (int index = ring.CursorIndex; index < count; index++)
        {
            int offset = reader.Offset;
            reader.TryReadNext(_settings.MaxMessageSize, out var entry, out _);
            if (!evs && entry.Service == ServiceType.Safe && seq > ring.SafeUpTo)
            {
                ring.CursorIndex = index;
                ring.CursorOffset = offset;
                return false;
            }

            DeliverEntry(ring, sender, seq, index, entry, datagram);
        }

        return true;
    }

    private void DeliverEntry(RingContext ring, NodeId sender, long seq, int index, in DataEntry entry, ReadOnlySpan<byte> datagram)
    {
        var piece = datagram.Slice(entry.PayloadOffset, entry.Length);
        if (entry.Flags == FragmentFlags.Whole)
        {
            Counters.Delivered(piece.Length);
            _host.Deliver(new Delivery(sender, ring.Id, seq, index, entry.Service, entry.Kind, piece, entry.PayloadOffset, ring.Store, assembled: null));
            return;
        }

        ref var assembly = ref ring.ReassemblyOf(sender);
        if ((entry.Flags & FragmentFlags.First) != 0)
        {
            assembly.Begin(entry.TotalLength, entry.Service, entry.Kind);
        }
        else if (!assembly.InProgress)
        {
            // The message started before this node could see it: nothing to complete.
            return;
        }

        if (!assembly.TryAppend(piece))
        {
            Counters.ReassemblyError();
            assembly.Abandon();
            return;
        }

        if ((entry.Flags & FragmentFlags.Last) != 0)
        {
            if (assembly.IsComplete)
            {
                Counters.Delivered(assembly.Length);
                var service = assembly.Service;
                var kind = assembly.Kind;
                int length = assembly.Length;
                var lease = _pool.Lease(assembly.TakeBuffer(), fromArrayPool: true);
                try
                {
                    _host.Deliver(new Delivery(sender, ring.Id, seq, index, service, kind, lease.Buffer.AsSpan(0, length), 0, store: null, lease));
                }
                finally
                {
                    lease.Release();
                }
            }
            else
            {
                Counters.ReassemblyError();
            }

            assembly.Abandon();
        }
    }
}
