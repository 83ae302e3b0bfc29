using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Totem;

/// <summary>
/// The Totem single-ring engine of one node, sans-IO: datagrams, timer expiries and "messages
/// are waiting" notices go in, each with the current time; datagrams, ordered deliveries and timer
/// arms come out through <see cref="IEngineHost"/>. Owns no socket, thread, clock or random source.
/// Not thread-safe: one driver thread calls every input (submitters use the thread-safe
/// <see cref="OutboundQueue"/>).
/// </summary>
public sealed partial class TotemEngine
{
    private readonly NodeId _self;
    private readonly TotemSettings _settings;
    private readonly IEngineHost _host;
    private readonly OutboundQueue _outbound;
    private readonly PacketPool _pool;
    private readonly byte[] _scratch;
    private NodeId[] _members = [];
    private NodeId _next;
    private RingId _ring;
    private bool _started;

    /// <summary>Creates the engine of node <paramref name="self"/>.</summary>
    public TotemEngine(NodeId self, TotemSettings settings, IEngineHost host, OutboundQueue outbound, PacketPool pool, RingCounters? counters = null)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(host);
        ArgumentNullException.ThrowIfNull(outbound);
        ArgumentNullException.ThrowIfNull(pool);
        if (self.IsNone)
        {
            throw new ArgumentException("A node id must not be zero.", nameof(self));
        }

        if (pool.BufferSize < settings.MaxDatagramSize)
        {
            throw new ArgumentException("Pool buffers must hold the largest datagram.", nameof(pool));
        }

        _self = self;
        _settings = settings;
        _host = host;
        _outbound = outbound;
        _pool = pool;
        Counters = counters ?? new RingCounters();
        _scratch = new byte[PacketHeader.Size + RegularToken.FixedBodySize + (8 * settings.MaxRetransmitRequests)];
        _token = new RegularToken(settings.MaxRetransmitRequests);
        _incomingToken = new RegularToken(settings.MaxRetransmitRequests);
        _store = new PacketStore(settings.ReceiveWindow, pool);
    }

    /// <summary>This node's id.</summary>
    public NodeId Self => _self;

    /// <summary>The ring this node is operating in.</summary>
    public RingId Ring => _ring;

    /// <summary>Members of the current ring in ring order (ascending id).</summary>
    public IReadOnlyList<NodeId> Members => _members;

    /// <summary>This node's counters.</summary>
    public RingCounters Counters { get; }

    /// <summary>Highest sequence number below which this node has every packet.</summary>
    public long MyAru => _myAru;

    /// <summary>Highest sequence number this node knows every member has (safe).</summary>
    public long SafeUpTo => _safeUpTo;

    /// <summary>Every packet up to here has been delivered by this node.</summary>
    public long DeliveredUpTo => _deliveredUpTo;

    /// <summary>Whether this node (the representative) is holding an idle token.</summary>
    public bool IsHoldingToken => _holding;

    /// <summary>
    /// Starts operating in a ring of the given members (this node included) with the given ring
    /// sequence. The representative (lowest id) creates the first token.
    /// </summary>
    public void Start(IReadOnlyCollection<NodeId> members, ulong ringSequence, long now)
    {
        ArgumentNullException.ThrowIfNull(members);
        if (_started)
        {
            throw new InvalidOperationException("The engine is already started.");
        }

        var sorted = members.Distinct().Order().ToArray();
        if (Array.BinarySearch(sorted, _self) < 0)
        {
            throw new ArgumentException("The members must include this node.", nameof(members));
        }

        _started = true;
        _members = sorted;
        _ring = new RingId(sorted[0], ringSequence);
        _next = sorted[(Array.BinarySearch(sorted, _self) + 1) % sorted.Length];
        _store.Reset(0);
        _host.SetTimer(TimerKind.TokenLoss, now + _settings.TokenLossMicros);
        if (_self == _ring.Representative)
        {
            _token.Reset();
            ProcessTokenVisit(now);
        }
    }

    /// <summary>
    /// Handles one received datagram. The engine takes ownership of <paramref name="buffer"/>
    /// (a buffer of its pool): it keeps it or returns it to the pool. Malformed, foreign or
    /// replayed input is dropped and counted; it never throws and never changes state.
    /// </summary>
    public void OnDatagram(byte[] buffer, int length, long now)
    {
        ArgumentNullException.ThrowIfNull(buffer);
        if (!TryAccept(buffer, length, now))
        {
            _pool.Return(buffer);
        }
    }

    /// <summary>Handles the expiry of a timer the engine armed.</summary>
    public void OnTimer(TimerKind kind, long now)
    {
        if (!_started)
        {
            return;
        }

        switch (kind)
        {
            case TimerKind.TokenLoss:
                OnTokenLossTimeout(now);
                break;
            case TimerKind.TokenRetransmit:
                OnTokenRetransmitTimeout(now);
                break;
            case TimerKind.TokenHold:
                ReleaseHeldToken(now);
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(kind), kind, null);
        }
    }

    /// <summary>
    /// Tells the engine that messages wait in the outbound queue. Sends go out at the next token
    /// visit anyway; this only matters when the ring is idle and the token may be held.
    /// </summary>
    public void OnSubmissionsReady(long now)
    {
        if (!_started || _outbound.IsEmpty)
        {
            return;
        }

        if (_holding)
        {
            ReleaseHeldToken(now);
        }
        else if (_tokenMayBeHeld && !_holdCancelSent && _self != _ring.Representative)
        {
            _holdCancelSent = true;
            SendControl(PacketType.TokenHoldCancel, _ring.Representative);
        }
    }

    private bool TryAccept(byte[] buffer, int length, long now)
    {
        if ((uint)length > (uint)buffer.Length)
        {
            Counters.Drop(DropReason.BadLength);
            return false;
        }

        var datagram = buffer.AsSpan(0, length);
        if (!PacketHeader.TryRead(datagram, _settings.MaxDatagramSize, out var header, out var reason))
        {
            Counters.Drop(reason);
            return false;
        }

        if (!_started || header.Type == PacketType.Wake)
        {
            return false;
        }

        if (!IsMember(header.Sender))
        {
            Counters.Drop(DropReason.UnknownSender);
            return false;
        }

        if (header.Ring != _ring)
        {
            Counters.Drop(DropReason.ForeignRing);
            return false;
        }

        switch (header.Type)
        {
            case PacketType.Token:
                OnToken(datagram[PacketHeader.Size..], now);
                return false;
            case PacketType.Data:
                return OnData(buffer, length);
            case PacketType.TokenHoldCancel:
                OnHoldCancel(now);
                return false;
            default:
                Counters.Drop(DropReason.Unexpected);
                return false;
        }
    }

    private bool IsMember(NodeId node) => Array.BinarySearch(_members, node) >= 0;

    private void Broadcast(ReadOnlySpan<byte> datagram)
    {
        foreach (var member in _members)
        {
            if (member != _self)
            {
                _host.Send(member, datagram);
            }
        }
    }

    private void SendControl(PacketType type, NodeId destination)
    {
        var datagram = _scratch.AsSpan(0, PacketHeader.Size);
        new PacketHeader(type, 0, PacketHeader.Size, _self, _ring).Write(datagram);
        _host.Send(destination, datagram);
    }
}
