using System.Collections.Concurrent;
using System.Diagnostics.Metrics;
using System.Net;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using SpreadNet.Ring.Diagnostics;
using SpreadNet.Ring.Groups;
using SpreadNet.Ring.Totem;
using SpreadNet.Ring.Transport;
using SpreadNet.Ring.Wire;

namespace SpreadNet.Ring;

/// <summary>
/// One member of one ring: a Totem engine driven over its own UDP socket by its own event-loop
/// thread, with Spread's groups on top. Any number of nodes (of the same or different rings) live
/// in one process and share nothing. Applications open <see cref="RingSession"/>s (any number,
/// from any thread) to join groups, multicast and receive messages and views. The raw API
/// (<see cref="TrySubmit"/> and an <see cref="IDeliveryHandler"/>) carries ungrouped messages
/// beside them, on the node's thread, in ring order. The node publishes its counters as metrics
/// on a meter of its own named <see cref="RingMetrics.MeterName"/>.
/// </summary>
public sealed class RingNode : IAsyncDisposable
{
    private readonly PacketPool _pool;
    private readonly OutboundQueue _outbound;
    private readonly TotemEngine _engine;
    private readonly UdpEventLoop _loop;
    private readonly NodeId[] _seeds;
    private readonly RingSequenceStore _sequenceStore;
    private readonly GroupLayer _groups;
    private readonly ConcurrentDictionary<uint, RingSession> _sessions = new();
    private readonly RingNodeMeter _meter;
    private readonly ILogger _log;
    private ConfigurationChange? _configuration;
    private readonly TimeSpan _sessionEndGrace;
    private readonly int _maxMessageSize;
    private int _nextSession;
    private int _state;

    /// <summary>Validates <paramref name="options"/>, binds the socket and prepares the node; <see cref="Start"/> runs it.</summary>
    /// <exception cref="RingConfigurationException">A setting is wrong; the message says which and how to fix it.</exception>
    /// <param name="options">The node's settings.</param>
    /// <param name="handler">Receives messages and configuration changes on the node's thread.</param>
    /// <param name="timeProvider">The clock (tests may pass a fake one).</param>
    /// <param name="logger">Where configuration changes and ring events are logged.</param>
    /// <param name="meterFactory">
    /// Creates the node's meter (hosts pass the one from dependency injection); without it the node
    /// creates its meter itself. Either way the node stops reporting when it is disposed.
    /// </param>
    public RingNode(RingOptions options, IDeliveryHandler? handler = null, TimeProvider? timeProvider = null, ILogger<RingNode>? logger = null, IMeterFactory? meterFactory = null)
    {
        _log = logger ?? NullLogger<RingNode>.Instance;
        ArgumentNullException.ThrowIfNull(options);
        options.Validate();
        var listen = options.ListenEndPoint!;
        timeProvider ??= TimeProvider.System;
        Id = NodeId.FromEndPoint(listen);
        _sessionEndGrace = options.TokenLossTimeout;
        _seeds = [.. options.Seeds.Select(NodeId.FromEndPoint).Where(id => id != Id).Distinct()];
        _sequenceStore = new RingSequenceStore(options.StateDirectory, Id, timeProvider);
        var settings = TotemSettings.FromOptions(options);
        PacketProtector? protector = null;
        PacketCounterStore? counters = null;
        if (options.ClusterKey is { } key)
        {
            settings = settings with { KeyFingerprint = ClusterKeyDerivation.Fingerprint(key) };
            counters = new PacketCounterStore(options.StateDirectory, Id);
            ulong first = counters.Start(PacketProtector.FirstCounter(timeProvider.GetUtcNow()));
            protector = PacketProtector.Create(key, options.ClusterKeyMode, Id, first);
        }

        _pool = new PacketPool(options.MaxDatagramSize, maxRetained: (2 * options.ReceiveWindow) + options.SendQueueCapacity);
        _outbound = new OutboundQueue(_pool, options.SendQueueCapacity, options.WireMessageSize, protector is null ? 0 : PacketProtector.TrailerSize);
        _maxMessageSize = options.MaxMessageSize;
        try
        {
            _loop = new UdpEventLoop(listen, Id, options.SocketBufferSize, _pool, handler, _sequenceStore, timeProvider, protector, counters);
        }
        catch
        {
            protector?.Dispose();
            throw;
        }

        _engine = new TotemEngine(Id, settings, _loop, _outbound, _pool);
        _outbound.BecameNonEmpty = _loop.SignalSubmissions;
        _groups = new GroupLayer(Id, _outbound, _pool);
        _loop.Groups = _groups;
        _loop.ConfigurationChanged += change =>
        {
            if (change.Kind == ConfigurationKind.Regular)
            {
                Volatile.Write(ref _configuration, change);
            }

            RingLog.LogConfiguration(_log, change);
        };
        _loop.EventRaised += e =>
        {
            RingLog.Log(_log, e);
            EventRaised?.Invoke(e);
        };
        Name = options.Name;
        _meter = new RingNodeMeter(this, Name, meterFactory);
    }

    /// <summary>The ring's name (<see cref="RingOptions.Name"/>).</summary>
    public string Name { get; }

    /// <summary>This node's id (derived from its endpoint).</summary>
    public NodeId Id { get; }

    /// <summary>The endpoint the node's socket is bound to.</summary>
    public IPEndPoint LocalEndPoint => _loop.LocalEndPoint;

    /// <summary>The node's counters.</summary>
    public RingCounters Counters => _engine.Counters;

    /// <summary>The regular configuration the node operates in; null until it forms or joins a ring.</summary>
    public ConfigurationChange? Configuration => Volatile.Read(ref _configuration);

    /// <summary>Completes when the node has stopped; faults if its event loop failed.</summary>
    public Task Completion => _loop.Completion;

    /// <summary>Counters of the group layer (malformed messages, views, drops, evictions).</summary>
    public GroupCounters GroupCounters => _groups.Counters;

    /// <summary>Groups with at least one member in the ring, as this node knows them.</summary>
    public int GroupCount => _groups.GroupCount;

    /// <summary>Sessions open on this node.</summary>
    public int SessionCount => _sessions.Count;

    /// <summary>Largest message that travels in one datagram without fragmentation.</summary>
    public int UnfragmentedMessageCapacity => _outbound.PayloadCapacity;

    /// <summary>Packets waiting in the send queue (for metrics).</summary>
    internal int SendQueueLength => _outbound.PendingPackets;

    /// <summary>Socket errors sending (for metrics).</summary>
    internal long SendErrors => _loop.SendErrors;

    /// <summary>Socket errors receiving (for metrics).</summary>
    internal long ReceiveErrors => _loop.ReceiveErrors;

    /// <summary>
    /// Raised, on the node's thread, for what an operator should hear about: a token loss, a member
    /// that left, a node with different settings, a one-way link. Keep handlers short.
    /// </summary>
    public event Action<RingEvent>? EventRaised;

    /// <summary>Starts the event loop and joins (or forms) the ring with the seeds.</summary>
    public void Start()
    {
        if (Interlocked.CompareExchange(ref _state, 1, 0) != 0)
        {
            throw new InvalidOperationException("The ring node was already started.");
        }

        ulong floor = _sequenceStore.LoadFloor();
        RingLog.NodeStarting(_log, Name, LocalEndPoint, _seeds.Length);
        _loop.Run(_engine, (engine, now) => engine.StartJoining(_seeds, floor, now), $"SpreadNet ring {Name} {LocalEndPoint}");
    }

    /// <summary>
    /// Replaces the nodes this node knows of outside its ring with <paramref name="peers"/> (this
    /// node's own endpoint may be among them), for hosts that learn the ring's nodes elsewhere, as an
    /// Orleans silo does from cluster membership. New peers hear from this node at once, so they merge
    /// without waiting for <see cref="RingOptions.MergeDetectInterval"/>; peers no longer listed stop
    /// receiving merge-detect announcements. Members of the current ring stay members: only the ring's
    /// own membership protocol (token loss, leave) removes them. Thread-safe; the set is handed to the
    /// node's thread, and a newer call supersedes one not yet taken. Called before <see cref="Start"/>,
    /// it takes effect as the node starts, after the seeds were contacted; after
    /// <see cref="DisposeAsync"/> it does nothing.
    /// </summary>
    /// <exception cref="ArgumentException">A peer is not a concrete IPv4 endpoint.</exception>
    public void UpdatePeers(IEnumerable<IPEndPoint> peers)
    {
        ArgumentNullException.ThrowIfNull(peers);
        var ids = new List<NodeId>();
        foreach (var peer in peers)
        {
            if (peer is null || peer.Port == 0 || peer.AddressFamily != System.Net.Sockets.AddressFamily.InterNetwork || peer.Address.Equals(IPAddress.Any))
            {
                throw new ArgumentException($"Peer {peer?.ToString() ?? "null"} is not a concrete IPv4 address and UDP port.", nameof(peers));
            }

            ids.Add(NodeId.FromEndPoint(peer));
        }

        if (Volatile.Read(ref _state) != 2)
        {
            _loop.SetPeers([.. ids.Distinct()]);
        }
    }

    /// <summary>
    /// Opens a session on this node. Sessions can be opened before <see cref="Start"/>; their
    /// operations are ordered once the node is in a ring.
    /// </summary>
    /// <param name="name">Unique on this node (1 to 32 printable ASCII characters, no spaces or '#'); generated when null.</param>
    /// <param name="options">Receive-queue limits; defaults when null.</param>
    /// <exception cref="ArgumentException">The name is not valid or already used by an open session of this node.</exception>
    public RingSession OpenSession(string? name = null, RingSessionOptions? options = null)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _state) == 2, this);
        options ??= new RingSessionOptions();
        options.Validate();
        uint id = (uint)Interlocked.Increment(ref _nextSession);
        name ??= string.Create(System.Globalization.CultureInfo.InvariantCulture, $"s{id}");
        GroupNames.ValidateSession(name);
        var session = new RingSession(this, _groups, _outbound, id, name, options);
        if (!_groups.TryRegister(session))
        {
            throw new ArgumentException($"A session named '{name}' is already open on node {LocalEndPoint}; session names are unique per node.", nameof(name));
        }

        _sessions[id] = session;
        _ = session.Completion.ContinueWith(_ => _sessions.TryRemove(id, out var _), TaskScheduler.Default);
        return session;
    }

    /// <summary>
    /// Submits a message for ordered delivery at every member, copying it into a datagram buffer.
    /// Returns false when the send queue is full (the ring is slower than the submitters).
    /// </summary>
    /// <exception cref="ArgumentOutOfRangeException">The message is larger than <see cref="RingOptions.MaxMessageSize"/>.</exception>
    public bool TrySubmit(ReadOnlySpan<byte> payload, ServiceType service = ServiceType.Agreed)
    {
        CheckSize(payload.Length);
        return _outbound.TryEnqueue(payload, service);
    }

    /// <summary>Submits a message, waiting while the send queue is full (backpressure).</summary>
    public ValueTask SubmitAsync(ReadOnlyMemory<byte> payload, ServiceType service = ServiceType.Agreed, CancellationToken cancellationToken = default)
    {
        CheckSize(payload.Length);
        return _outbound.EnqueueAsync(payload, service, cancellationToken);
    }

    internal void ReportBacklog(RingSession session, SessionBacklog backlog) =>
        RingLog.SessionBacklogged(_log, session.Member.Name, backlog.QueuedMessages, backlog.QueuedBytes, backlog.MaxQueuedMessages, backlog.MaxQueuedBytes);

    internal void ReportEviction(string message) => RingLog.SessionEvicted(_log, message);

    /// <summary>Throws when a payload exceeds <see cref="RingOptions.MaxMessageSize"/>.</summary>
    internal void CheckSize(long length, [System.Runtime.CompilerServices.CallerArgumentExpression(nameof(length))] string? payload = null)
    {
        if (length > _maxMessageSize)
        {
            throw new ArgumentOutOfRangeException(payload, length, $"The message is larger than the ring's MaxMessageSize ({_maxMessageSize} bytes); raise RingOptions.MaxMessageSize on every node, or split the message.");
        }
    }

    /// <summary>
    /// Ends the open sessions (the other members see them leave with reason Disconnect; waits at most
    /// a token-loss timeout for that), leaves the ring gracefully (the members reform at once) and
    /// closes the socket. Messages not yet sent are dropped.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (Volatile.Read(ref _state) == 1 && !_sessions.IsEmpty && Configuration is not null)
        {
            var ending = Task.WhenAll(_sessions.Values.Select(s => s.DisposeAsync().AsTask()));
            await Task.WhenAny(ending, Task.Delay(_sessionEndGrace)).ConfigureAwait(false);
        }

        if (Interlocked.Exchange(ref _state, 2) == 2)
        {
            return;
        }

        await Task.Run(() =>
        {
            _loop.LeaveAndStop();
            _loop.Dispose();
        }).ConfigureAwait(false);
        _outbound.Close();
        _meter.Dispose();
        EndSessions();
    }

    /// <summary>Stops at once without telling the members, as a crash would (for tests and benchmarks).</summary>
    internal async ValueTask CrashAsync()
    {
        if (Interlocked.Exchange(ref _state, 2) == 2)
        {
            return;
        }

        await Task.Run(_loop.Dispose).ConfigureAwait(false);
        _outbound.Close();
        _meter.Dispose();
        EndSessions();
    }

    private void EndSessions()
    {
        foreach (var session in _sessions.Values)
        {
            session.NodeStopped();
        }
    }
}
