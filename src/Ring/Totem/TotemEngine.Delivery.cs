using System.Buffers;
using System.Buffers.Binary;
using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Totem;

/// <summary>
/// Delivery in ring order: agreed messages once every lower sequence number is here, safe
/// messages once the token shows every member has them; fragments reassembled per sender.
/// </summary>
public sealed partial class TotemEngine
{
    private long _safeUpTo;
    private long _deliveredUpTo;
    private int _cursorIndex;
    private int _cursorOffset;
    private Reassembly[] _reassembly = [];

    private void DeliverReady()
    {
        while (_deliveredUpTo < _myAru)
        {
            long seq = _deliveredUpTo + 1;
            if (!_store.TryGet(seq, out var datagram))
            {
                throw new InvalidOperationException($"Packet {seq} is below this node's aru ({_myAru}) but not stored.");
            }

            if (!DeliverPacket(seq, datagram))
            {
                return;
            }

            _deliveredUpTo = seq;
            _cursorIndex = 0;
            _cursorOffset = 0;
        }
    }

    /// <summary>Delivers the packet's entries from the cursor on; false when a safe message must wait.</summary>
    private bool DeliverPacket(long seq, ReadOnlySpan<byte> datagram)
    {
        var sender = new NodeId(BinaryPrimitives.ReadUInt64BigEndian(datagram[12..]));
        int count = DataPacket.ReadEntryCount(datagram);
        var reader = _cursorOffset == 0 ? new DataEntryReader(datagram) : new DataEntryReader(datagram, _cursorOffset);
        for (int index = _cursorIndex; index < count; index++)
        {
            int offset = reader.Offset;
            reader.TryReadNext(_settings.MaxMessageSize, out var entry, out _);
            if (entry.Service == ServiceType.Safe && seq > _safeUpTo)
            {
                _cursorIndex = index;
                _cursorOffset = offset;
                return false;
            }

            DeliverEntry(sender, seq, index, entry, datagram);
        }

        return true;
    }

    private void DeliverEntry(NodeId sender, long seq, int index, in DataEntry entry, ReadOnlySpan<byte> datagram)
    {
        var piece = datagram.Slice(entry.PayloadOffset, entry.Length);
        if (entry.Flags == FragmentFlags.Whole)
        {
            Counters.Delivered(piece.Length);
            _host.Deliver(new Delivery(sender, _ring, seq, index, entry.Service, piece));
            return;
        }

        ref var assembly = ref ReassemblyOf(sender);
        if ((entry.Flags & FragmentFlags.First) != 0)
        {
            assembly.Abandon();
            assembly.Begin(entry.TotalLength, entry.Service);
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
                _host.Deliver(new Delivery(sender, _ring, seq, index, assembly.Service, assembly.Message));
            }
            else
            {
                Counters.ReassemblyError();
            }

            assembly.Abandon();
        }
    }

    private ref Reassembly ReassemblyOf(NodeId sender)
    {
        if (_reassembly.Length != _members.Length)
        {
            _reassembly = new Reassembly[_members.Length];
        }

        return ref _reassembly[Array.BinarySearch(_members, sender)];
    }

    /// <summary>A message being put together from its fragments.</summary>
    private struct Reassembly
    {
        private byte[]? _buffer;
        private int _filled;
        private int _total;

        public readonly bool InProgress => _buffer is not null;

        public readonly bool IsComplete => _buffer is not null && _filled == _total;

        public readonly int Length => _total;

        public ServiceType Service { get; private set; }

        public readonly ReadOnlySpan<byte> Message => _buffer.AsSpan(0, _total);

        public void Begin(int total, ServiceType service)
        {
            _buffer = ArrayPool<byte>.Shared.Rent(total);
            _total = total;
            _filled = 0;
            Service = service;
        }

        public bool TryAppend(ReadOnlySpan<byte> piece)
        {
            if (_buffer is null || piece.Length > _total - _filled)
            {
                return false;
            }

            piece.CopyTo(_buffer.AsSpan(_filled));
            _filled += piece.Length;
            return true;
        }

        public void Abandon()
        {
            if (_buffer is not null)
            {
                ArrayPool<byte>.Shared.Return(_buffer);
                _buffer = null;
            }

            _filled = 0;
            _total = 0;
        }
    }
}
