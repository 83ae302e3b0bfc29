using System.Buffers;
using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Totem;

/// <summary>
/// A packed data packet waiting for the token: entries written, header and sequence number not yet.
/// <paramref name="FollowingFragments"/> counts the packets after this one that carry the rest of a
/// message it starts or continues (0 when its last entry ends a message).
/// </summary>
public readonly record struct OutboundPacket(byte[] Buffer, int Length, int EntryCount, int FollowingFragments = 0);

/// <summary>
/// Messages submitted to one node, packed straight into datagram buffers (the only copy a message
/// makes on its way out) and fragmented when larger than a datagram. Thread-safe: any thread
/// submits, the engine takes packets at a token visit. Bounded: when
/// <c>capacity</c> packets wait, submitters are told to wait (<see cref="TryEnqueue(ReadOnlySpan{byte}, ServiceType)"/> returns
/// false, <see cref="EnqueueAsync(ReadOnlyMemory{byte}, ServiceType, CancellationToken)"/> waits for the engine to make room).
/// </summary>
public sealed class OutboundQueue
{
    private const int MinFirstFragment = 256;

    private readonly Lock _lock = new();
    private readonly Queue<OutboundPacket> _ready = new();
    private readonly PacketPool _pool;
    private readonly int _capacity;
    private readonly int _packetEnd;
    private readonly int _maxMessageSize;
    private byte[]? _open;
    private int _openLength;
    private int _openEntries;
    private int _openFollowing;
    private int _pendingCount;
    private TaskCompletionSource? _spaceWaiter;
    private bool _closed;

    /// <summary>Creates a queue that packs into <paramref name="pool"/>'s buffers.</summary>
    /// <param name="pool">Buffers of the ring's maximum datagram size.</param>
    /// <param name="capacity">Packets that may wait before submitters are held back.</param>
    /// <param name="maxMessageSize">Largest message accepted.</param>
    /// <param name="reservedTrailer">Bytes kept free at the end of every datagram (authentication tag).</param>
    public OutboundQueue(PacketPool pool, int capacity, int maxMessageSize, int reservedTrailer = 0)
    {
        ArgumentNullException.ThrowIfNull(pool);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(capacity);
        _pool = pool;
        _capacity = capacity;
        _maxMessageSize = maxMessageSize;
        // Headroom for carrying the packet whole inside another during recovery (a recovered packet).
        _packetEnd = pool.BufferSize - reservedTrailer - DataPacket.EntriesOffset;
        PayloadCapacity = _packetEnd - DataPacket.EntriesOffset - DataPacket.EntryHeaderSize;
        if (PayloadCapacity < MinFirstFragment * 2)
        {
            throw new ArgumentException("Datagram too small to carry messages.", nameof(pool));
        }
    }

    /// <summary>Largest message that fits in one packet unfragmented.</summary>
    public int PayloadCapacity { get; }

    /// <summary>Called on the submitting thread when the queue goes from empty to not empty.</summary>
    public Action? BecameNonEmpty { get; set; }

    /// <summary>Packets waiting, the partly filled one included. Safe to read from any thread.</summary>
    public int PendingPackets => Volatile.Read(ref _pendingCount);

    /// <summary>Whether nothing waits.</summary>
    public bool IsEmpty => PendingPackets == 0;

    /// <summary>
    /// Packs a message if there is room. Returns false when the queue is full; a message is
    /// always accepted by an empty queue, however many packets it needs.
    /// </summary>
    public bool TryEnqueue(ReadOnlySpan<byte> payload, ServiceType service)
    {
        if (payload.Length > _maxMessageSize)
        {
            throw TooLarge(payload.Length, nameof(payload));
        }

        return TryEnqueue(new MessageParts(payload), service, EntryKind.Application);
    }

    /// <summary>
    /// Packs a message of <paramref name="kind"/> if there is room (or regardless of room when
    /// <paramref name="force"/> is set: for the engine thread's own few messages, which must not wait).
    /// </summary>
    public bool TryEnqueue(scoped in MessageParts message, ServiceType service, EntryKind kind, bool force = false)
    {
        if (message.Length > _maxMessageSize)
        {
            throw TooLarge(message.Length, nameof(message));
        }

        if (service is < ServiceType.Unreliable or > ServiceType.Safe)
        {
            throw new ArgumentOutOfRangeException(nameof(service), service, "Unknown service type.");
        }

        bool wasEmpty;
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            if (!force && _pendingCount > 0 && _pendingCount + NewPacketsNeeded(message.Length) > _capacity)
            {
                return false;
            }

            wasEmpty = _pendingCount == 0;
            Write(message, service, kind);
        }

        if (wasEmpty)
        {
            BecameNonEmpty?.Invoke();
        }

        return true;
    }

    /// <summary>Packs a message, waiting for room while the queue is full.</summary>
    public async ValueTask EnqueueAsync(ReadOnlyMemory<byte> payload, ServiceType service, CancellationToken cancellationToken = default)
    {
        while (!TryEnqueue(payload.Span, service))
        {
            await WaitForSpaceAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>Packs a message made of a header and a scattered body, waiting for room while the queue is full.</summary>
    public async ValueTask EnqueueAsync(ReadOnlyMemory<byte> prefix, ReadOnlySequence<byte> body, ServiceType service, EntryKind kind, CancellationToken cancellationToken = default)
    {
        while (!TryEnqueue(new MessageParts(prefix.Span, body), service, kind))
        {
            await WaitForSpaceAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The <see cref="OutboundPacket.FollowingFragments"/> of the packet <see cref="TryTake"/> would
    /// return, or -1 when nothing waits: a sender starts a fragmented message only when it can send
    /// every fragment in the same token visit, so a message never straddles two rings.
    /// </summary>
    public int PeekFollowingFragments()
    {
        lock (_lock)
        {
            if (_ready.TryPeek(out var packet))
            {
                return packet.FollowingFragments;
            }

            return _open is null ? -1 : _openFollowing;
        }
    }

    /// <summary>
    /// Takes the oldest packet, sealing the partly filled one when nothing else waits. The caller
    /// owns the buffer afterwards.
    /// </summary>
    public bool TryTake(out OutboundPacket packet)
    {
        TaskCompletionSource? waiter = null;
        lock (_lock)
        {
            if (!_ready.TryDequeue(out packet))
            {
                if (_open is null)
                {
                    return false;
                }

                packet = new OutboundPacket(_open, _openLength, _openEntries, _openFollowing);
                _open = null;
                _openFollowing = 0;
            }

            _pendingCount--;
            if (_spaceWaiter is not null && _pendingCount < _capacity)
            {
                waiter = _spaceWaiter;
                _spaceWaiter = null;
            }
        }

        waiter?.TrySetResult();
        return true;
    }

    /// <summary>Refuses further messages, wakes waiting submitters with an error and frees what waits.</summary>
    public void Close()
    {
        TaskCompletionSource? waiter;
        lock (_lock)
        {
            _closed = true;
            waiter = _spaceWaiter;
            _spaceWaiter = null;
            while (_ready.TryDequeue(out var packet))
            {
                _pool.Return(packet.Buffer);
            }

            if (_open is not null)
            {
                _pool.Return(_open);
                _open = null;
            }

            _pendingCount = 0;
        }

        waiter?.TrySetException(new ObjectDisposedException(nameof(OutboundQueue), "The ring node stopped."));
    }

    private Task WaitForSpaceAsync(CancellationToken cancellationToken)
    {
        lock (_lock)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            if (_pendingCount < _capacity)
            {
                return Task.CompletedTask;
            }

            _spaceWaiter ??= new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            return _spaceWaiter.Task.WaitAsync(cancellationToken);
        }
    }

    private ArgumentOutOfRangeException TooLarge(int length, string parameter) =>
        new(parameter, length, $"The message is larger than the ring's MaxMessageSize ({_maxMessageSize} bytes).");

    private int NewPacketsNeeded(int length)
    {
        int whole = DataPacket.EntryHeaderSize + length;
        if (_open is not null && _packetEnd - _openLength >= whole)
        {
            return 0;
        }

        if (length <= PayloadCapacity)
        {
            return 1;
        }

        int perPacket = PayloadCapacity - DataPacket.FirstFragmentExtension;
        return ((length + perPacket - 1) / perPacket) + 1;
    }

    private void Write(scoped in MessageParts message, ServiceType service, EntryKind kind)
    {
        int whole = DataPacket.EntryHeaderSize + message.Length;
        if (_open is null || _packetEnd - _openLength < whole || _openEntries == ushort.MaxValue)
        {
            if (message.Length <= PayloadCapacity)
            {
                SealAndOpen();
                Append(message, 0, message.Length, service, FragmentFlags.Whole, kind);
                return;
            }

            if (_open is null || _packetEnd - _openLength < DataPacket.EntryHeaderSize + DataPacket.FirstFragmentExtension + MinFirstFragment)
            {
                SealAndOpen();
            }

            WriteFragments(message, service, kind);
            return;
        }

        Append(message, 0, message.Length, service, FragmentFlags.Whole, kind);
    }

    private void WriteFragments(scoped in MessageParts message, ServiceType service, EntryKind kind)
    {
        int offset = 0;
        while (true)
        {
            var flags = offset == 0 ? FragmentFlags.First : FragmentFlags.None;
            int header = DataPacket.EntryHeaderSize + (offset == 0 ? DataPacket.FirstFragmentExtension : 0);
            int chunk = Math.Min(message.Length - offset, _packetEnd - _openLength - header);
            if (offset + chunk == message.Length)
            {
                flags |= FragmentFlags.Last;
            }

            Append(message, offset, chunk, service, flags, kind);
            offset += chunk;
            if (offset == message.Length)
            {
                // Nothing shares the last fragment's packet: a packet that ends one fragmented message
                // never starts another, so the engine knows a message's full extent before sending it.
                Seal();
                return;
            }

            // Every later fragment fills a fresh packet.
            _openFollowing = (message.Length - offset + PayloadCapacity - 1) / PayloadCapacity;
            SealAndOpen();
        }
    }

    private void Append(scoped in MessageParts message, int offset, int length, ServiceType service, FragmentFlags flags, EntryKind kind)
    {
        var destination = _open.AsSpan(_openLength);
        int header = DataPacket.WriteEntryHeader(destination, service, flags, length, message.Length, kind);
        message.CopyTo(offset, destination.Slice(header, length));
        _openLength += header + length;
        _openEntries++;
    }

    private void Seal()
    {
        _ready.Enqueue(new OutboundPacket(_open!, _openLength, _openEntries, _openFollowing));
        _open = null;
        _openFollowing = 0;
    }

    private void SealAndOpen()
    {
        if (_open is not null)
        {
            _ready.Enqueue(new OutboundPacket(_open, _openLength, _openEntries, _openFollowing));
        }

        _openFollowing = 0;
        _pendingCount++;

        _open = _pool.Rent();
        _openLength = DataPacket.EntriesOffset;
        _openEntries = 0;
    }
}
