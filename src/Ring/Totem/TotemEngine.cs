using System.Buffers.Binary;
using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring.Totem;

/// <summary>
/// The Totem single-ring engine of one node, sans-IO: datagrams, timer expiries and "messages
/// are waiting" notices go in, each with the current time; datagrams, ordered deliveries,
/// configuration changes and timer arms come out through <see cref="IEngineHost"/>. Owns no
/// socket, thread, clock or random source. Not thread-safe: one driver thread calls every input
/// (submitters use the thread-safe <see cref="OutboundQueue"/>).
/// </summary>
public sealed partial class TotemEngine
{
    private readonly NodeId _self;
    private readonly TotemSettings _settings;
    private readonly SettingsBlock _settingsBlock;
    private readonly IEngineHost _host;
    private readonly OutboundQueue _outbound;
    private readonly PacketPool _pool;
    private readonly byte[] _scratch;
    private MembershipState _state;

    /// <summary>The regular ring this node operates in; while a new ring forms, the old one. Null before the first ring.</summary>
    private RingContext? _ring;

    /// <summary>The ring being formed, during recovery.</summary>
    private RingContext? _forming;

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
        _settingsBlock = settings.ToBlock();
        _host = host;
        _outbound = outbound;
        _pool = pool;
        Counters = counters ?? new RingCounters();
        _scratch = new byte[Math.Max(settings.MaxDatagramSize, PacketHeader.Size + CommitToken.FixedBodySize + (CommitToken.EntrySize * JoinMessage.MaxNodes))];
        _token = new RegularToken(settings.MaxRetransmitRequests);
        _incomingToken = new RegularToken(settings.MaxRetransmitRequests);
    }

    /// <summary>This node's id.</summary>
    public NodeId Self => _self;

    /// <summary>The membership state.</summary>
    public MembershipState State => _state;

    /// <summary>The regular ring this node operates in (default before its first ring).</summary>
    public RingId Ring => _ring?.Id ?? default;

    /// <summary>Members of the regular ring in ring order (ascending id).</summary>
    public IReadOnlyList<NodeId> Members => _ring?.Members ?? [];

    /// <summary>This node's counters.</summary>
    public RingCounters Counters { get; }

    /// <summary>Highest sequence number below which this node has every packet of its regular ring.</summary>
    public long MyAru => _ring?.MyAru ?? 0;

    /// <summary>Highest sequence number of its regular ring this node knows every member has (safe).</summary>
    public long SafeUpTo => _ring?.SafeUpTo ?? 0;

    /// <summary>Every packet of the regular ring up to here has been delivered by this node.</summary>
    public long DeliveredUpTo => _ring?.DeliveredUpTo ?? 0;

    /// <summary>Highest sequence number of its regular ring this node has received.</summary>
    public long HighestSeen => _ring?.HighestSeen ?? 0;

    /// <summary>Whether this node (the representative) is holding an idle token.</summary>
    public bool IsHoldingToken => _holding;

    /// <summary>Highest ring sequence this node has seen or used.</summary>
    public ulong RingSequenceSeen => _ringSeqSeen;

    /// <summary>
    /// Bootstraps straight into an operational ring of known members, without the membership
    /// protocol: every member must be started the same way with the same list and sequence. The
    /// representative (lowest id) creates the first token. For tests and fixed deployments; a
    /// member that crashes or a node that joins is then handled by the membership protocol.
    /// </summary>
    public void Start(IReadOnlyCollection<NodeId> members, ulong ringSequence, long now)
    {
        ArgumentNullException.ThrowIfNull(members);
        var sorted = members.Distinct().Order().ToArray();
        if (Array.BinarySearch(sorted, _self) < 0)
        {
            throw new ArgumentException("The members must include this node.", nameof(members));
        }

        EnsureNotStarted();
        foreach (var member in sorted)
        {
            AddKnown(member);
        }

        _ringSeqSeen = ringSequence;
        var ring = new RingContext(new RingId(sorted[0], ringSequence), sorted, _self, _settings.ReceiveWindow, _pool);
        InstallRegular(ring, previous: default, now);
        if (_self == ring.Id.Representative)
        {
            _token.Reset();
            ProcessTokenVisit(now);
        }
    }

    /// <summary>
    /// Starts by gathering with the given seed nodes (any of them may be down, this node may be
    /// among them): this node forms a ring with those that answer, or alone after the consensus
    /// timeout, and merges later with rings it hears. <paramref name="ringSequenceFloor"/> is the
    /// highest ring sequence used before (persisted, or taken from a clock).
    /// </summary>
    public void StartJoining(IEnumerable<NodeId> seeds, ulong ringSequenceFloor, long now)
    {
        ArgumentNullException.ThrowIfNull(seeds);
        EnsureNotStarted();
        _ringSeqSeen = ringSequenceFloor;
        foreach (var seed in seeds)
        {
            AddKnown(seed);
        }

        _procSet.Clear();
        _procSet.Add(_self);
        _failSet.Clear();
        EnterGather(now, announceTo: _known);
    }

    /// <summary>
    /// Leaves the ring gracefully: tells every member, so they reform at once instead of waiting
    /// for the token-loss timeout, and stops. Messages not yet sent are not sent.
    /// </summary>
    public void Leave(long now)
    {
        _ = now;
        if (_state == MembershipState.Stopped)
        {
            return;
        }

        var ring = _ring;
        var recipients = new SortedSet<NodeId>(_procSet);
        if (ring is not null)
        {
            recipients.UnionWith(ring.Members);
        }

        recipients.Remove(_self);
        var datagram = _scratch.AsSpan(0, PacketHeader.Size);
        new PacketHeader(PacketType.Leave, 0, PacketHeader.Size, _self, ring?.Id ?? default).Write(datagram);
        foreach (var member in recipients)
        {
            // Twice: one lost datagram should not cost the others a token-loss timeout.
            _host.Send(member, datagram);
            _host.Send(member, datagram);
        }

        _state = MembershipState.Stopped;
        for (int i = 0; i < TimerKinds.Count; i++)
        {
            _host.SetTimer((TimerKind)i, TimerKinds.Disarmed);
        }
    }

    /// <summary>
    /// Handles one received datagram. The engine takes ownership of <paramref name="buffer"/>
    /// (a buffer of its pool): it keeps it or returns it to the pool. Malformed, foreign or
    /// replayed input is dropped and counted; it never throws and never corrupts state.
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
        if (_state == MembershipState.Stopped)
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
            case TimerKind.Join:
                OnJoinTimeout(now);
                break;
            case TimerKind.Consensus:
                OnConsensusTimeout(now);
                break;
            case TimerKind.MergeDetect:
                OnMergeDetectTimeout(now);
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
        if (_state != MembershipState.Operational || _outbound.IsEmpty || _ring is null)
        {
            return;
        }

        if (_holding)
        {
            ReleaseHeldToken(now);
        }
        else if (_tokenMayBeHeld && !_holdCancelSent && _self != _ring.Id.Representative)
        {
            _holdCancelSent = true;
            SendControl(PacketType.TokenHoldCancel, _ring.Id.Representative, _ring.Id);
        }
    }

    private void EnsureNotStarted()
    {
        if (_state != MembershipState.Stopped || _ring is not null || _started)
        {
            throw new InvalidOperationException("The engine is already started.");
        }

        _started = true;
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
            if (reason == DropReason.BadVersion)
            {
                ReportVersionMismatch(datagram);
            }

            return false;
        }

        if (_state == MembershipState.Stopped || header.Type == PacketType.Wake)
        {
            return false;
        }

        if (header.Sender == _self && header.Type is not (PacketType.Token or PacketType.Data))
        {
            // Membership messages never come back to their sender; one that claims to is forged.
            Counters.Drop(DropReason.Unexpected);
            return false;
        }

        switch (header.Type)
        {
            case PacketType.Token:
                OnToken(header, datagram[PacketHeader.Size..], now);
                return false;
            case PacketType.Data:
                return OnData(header, buffer, length, now);
            case PacketType.TokenHoldCancel:
                OnHoldCancel(header, now);
                return false;
            case PacketType.Join:
                OnJoin(header, datagram[PacketHeader.Size..], now);
                return false;
            case PacketType.CommitToken:
                OnCommitToken(header, datagram[PacketHeader.Size..], now);
                return false;
            case PacketType.MergeDetect:
                OnMergeDetect(header, datagram[PacketHeader.Size..], now);
                return false;
            case PacketType.Leave:
                OnLeave(header, now);
                return false;
            default:
                Counters.Drop(DropReason.Unexpected);
                return false;
        }
    }

    /// <summary>Sends a data packet the engine holds (in a pool buffer) to every other member.</summary>
    private void Broadcast(RingContext ring, byte[] buffer, int length) =>
        _host.SendToEach(ring.Members, _self, buffer, length);

    private void SendControl(PacketType type, NodeId destination, RingId ring)
    {
        var datagram = _scratch.AsSpan(0, PacketHeader.Size);
        new PacketHeader(type, 0, PacketHeader.Size, _self, ring).Write(datagram);
        _host.Send(destination, datagram);
    }

    private void ReportVersionMismatch(ReadOnlySpan<byte> datagram)
    {
        var sender = new NodeId(BinaryPrimitives.ReadUInt64BigEndian(datagram[12..]));
        if (sender.IsNone || sender == _self || !_reportedVersions.Add(sender) || _reportedVersions.Count > MaxReportedPeers)
        {
            return;
        }

        _host.Notify(new RingEvent(
            RingEventKind.VersionMismatch,
            sender,
            $"Node {_host.Describe(sender)} speaks SpreadNet protocol version {datagram[2]}, this node ({_host.Describe(_self)}) speaks version {PacketHeader.CurrentVersion}: they cannot form a ring. Run the same SpreadNet version on every node of the ring."));
    }
}
